package backfill

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/carry-research/carry/backfill/binancesim"
	"github.com/carry-research/carry/data"
)

func TestBasisWindowsAreBackToBackWithinTheLimit(t *testing.T) {
	for _, step := range []time.Duration{5 * time.Minute, time.Hour, 24 * time.Hour} {
		from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		for _, points := range []int{1, 499, 500, 501, 1000, 1234} {
			to := from.Add(time.Duration(points-1) * step)
			wins := basisWindows(from, to, step)
			total := 0
			for i, w := range wins {
				n := int(w.To.Sub(w.From)/step) + 1
				if n > 500 {
					t.Errorf("step %s, %d points: window %d holds %d points", step, points, i, n)
				}
				if i > 0 && !w.From.Equal(wins[i-1].To.Add(step)) {
					t.Errorf("step %s: window %d starts at %s, not one period after %s", step, i, w.From, wins[i-1].To)
				}
				total += n
			}
			if want := (points + 499) / 500; len(wins) != want || total != points || !wins[0].From.Equal(from) || !wins[len(wins)-1].To.Equal(to) {
				t.Errorf("step %s, %d points: %d windows covering %d points, want %d windows", step, points, len(wins), total, want)
			}
		}
	}
}

func TestAllPerpetualsListsTradingPerpetualsOnly(t *testing.T) {
	m := testMarket()
	m.AddContract(binancesim.Contract{Symbol: "OLDUSDT", Status: "SETTLING"})
	e := newEnv(t, m, binancesim.Options{})
	got, err := e.backfiller().AllPerpetuals(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"BTCUSDT", "ETHUSDT"}; !slices.Equal(got, want) {
		t.Errorf("all = %v, want %v (no quarterlies, nothing not trading)", got, want)
	}
}

func TestParseTime(t *testing.T) {
	now := time.Date(2026, 3, 20, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		in   string
		want time.Time
		err  bool
	}{
		{"max", data.EarliestHistory, false},
		{"now", now, false},
		{"30d", now.Add(-30 * 24 * time.Hour), false},
		{"12h", now.Add(-12 * time.Hour), false},
		{"2w", now.Add(-14 * 24 * time.Hour), false},
		{"90m", now.Add(-90 * time.Minute), false},
		{"2024-01-01", time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), false},
		{"2024-01-01T08:00:00+02:00", time.Date(2024, 1, 1, 6, 0, 0, 0, time.UTC), false},
		{"0d", time.Time{}, true},
		{"yesterday", time.Time{}, true},
		{"", time.Time{}, true},
	}
	for _, c := range cases {
		got, err := data.ParseTime(c.in, now)
		if (err != nil) != c.err || !got.Equal(c.want) {
			t.Errorf("ParseTime(%q) = %s, %v", c.in, got, err)
		}
	}
}
