package lake

import (
	"testing"

	"github.com/carry-research/carry/data"
)

// TestStatusShowsWhatABackfillHasNotFetched: a series whose coverage has a
// hole between its first and last rows (a backfill stopped there) lists the
// hole as unfetched; once it is covered, nothing is; a series written
// without coverage claims nothing either way.
func TestStatusShowsWhatABackfillHasNotFetched(t *testing.T) {
	l := newTestLake(t)
	var early, late []data.BasisRow
	for h := range 5 {
		early = append(early, basisRow(h, 100, 101))
		late = append(late, basisRow(20+h, 100, 101))
	}
	if _, err := l.MergeBasis(perpKey(), early, WithCovered(data.Span{From: hour(0), To: hour(4)})); err != nil {
		t.Fatal(err)
	}
	if _, err := l.MergeBasis(perpKey(), late, WithCovered(data.Span{From: hour(20), To: hour(24)})); err != nil {
		t.Fatal(err)
	}
	st := statusOf(t, l)
	if len(st.Unfetched) != 1 || !st.Unfetched[0].From.Equal(hour(4).Add(1e6)) || !st.Unfetched[0].To.Equal(hour(20).Add(-1e6)) {
		t.Errorf("unfetched %v, want the hole between hour 4 and hour 20", st.Unfetched)
	}
	if _, err := l.MergeBasis(perpKey(), nil, WithCovered(data.Span{From: hour(4), To: hour(20)})); err != nil {
		t.Fatal(err)
	}
	if st := statusOf(t, l); len(st.Unfetched) != 0 {
		t.Errorf("unfetched %v after the hole was fetched", st.Unfetched)
	}
	other := data.BasisKey{Pair: "ETHUSDT", ContractType: data.Perpetual, Period: "1h"}
	if _, err := l.MergeBasis(other, late); err != nil {
		t.Fatal(err)
	}
	all, err := l.Status()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range all {
		if s.Pair == "ETHUSDT" && len(s.Unfetched) != 0 {
			t.Errorf("a series written without coverage claims unfetched spans %v", s.Unfetched)
		}
	}
}

func statusOf(t *testing.T, l *Lake) SeriesStatus {
	t.Helper()
	all, err := l.Status()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range all {
		if s.Pair == "BTCUSDT" {
			return s
		}
	}
	t.Fatal("no BTCUSDT series")
	return SeriesStatus{}
}
