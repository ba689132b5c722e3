package democmd

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/internal/iostreams"
)

func TestQuarterEnd(t *testing.T) {
	cases := []struct{ at, want string }{
		{"2026-09-30", "2026-12-25"}, // last Friday of December 2026
		{"2026-03-01", "2026-03-27"},
		{"2026-03-27T09:00:00Z", "2026-06-26"},
		{"2026-12-26", "2027-03-26"},
	}
	for _, c := range cases {
		at, err := time.Parse(time.RFC3339, c.at)
		if err != nil {
			at, _ = time.Parse("2006-01-02", c.at)
		}
		if got := quarterEnd(at).Format("2006-01-02"); got != c.want {
			t.Errorf("quarterEnd(%s) = %s, want %s", c.at, got, c.want)
		}
	}
}

func TestDemoBackfillsTheSimulatedMarket(t *testing.T) {
	io, _, out, _ := iostreams.Test()
	dir := t.TempDir()
	o := &Options{IO: io, Out: dir, Seed: 1, Days: 5, Now: time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC)}
	if err := demoRun(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "simulated market") {
		t.Errorf("output does not say simulated market:\n%s", out)
	}
	lake, _ := data.Open(dir + "/lake")
	st, err := lake.Status()
	if err != nil {
		t.Fatal(err)
	}
	if len(st) != 12 { // 3 pairs × 3 contracts + 3 funding
		t.Fatalf("%d series, want 12", len(st))
	}
	for _, s := range st {
		if s.Rows == 0 || s.Missing != 0 {
			t.Errorf("%s %s: %d rows, %d missing", s.Dataset, s.Series, s.Rows, s.Missing)
		}
		if s.Symbol == "SOLUSDT" && s.Cadence != "4h" {
			t.Errorf("SOLUSDT cadence %s, want 4h", s.Cadence)
		}
	}
}
