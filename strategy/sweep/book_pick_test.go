package sweep

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"testing"
	"time"
)

// liquidatingGridText is a book grid whose leverage-20 books are
// liquidated on the synthetic universe (its 5 % price swings exceed a
// 1/20 margin) while their funding income, before the liquidation,
// ranks above every leverage-1 book's: the ranking by funding_income puts
// liquidated combinations first (found by running it: 8 of 16
// liquidated, all at leverage 20).
const liquidatingGridText = `universe: [AAAUSDT, BBBUSDT, CCCUSDT, DDDUSDT]
top: [1, 2]
lookback: [1, 3]
band: [0, 0.1]
leverage: [1, 20]
`

// resultsRows reads dir's results.csv as maps by column.
func resultsRows(t *testing.T, dir string) []map[string]string {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, ResultsCSV))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var rows []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = r[i]
		}
		rows = append(rows, m)
	}
	return rows
}

// TestBookAnalysisPick: a portfolio sweep's pick is the best row by the
// metric not liquidated, with every better-ranked row (all liquidated)
// counted as skipped; its parameters are the book grid's that vary (top,
// lookback, band, leverage: the report printed only leverage when it
// looked up the single-pair names); its daily Sharpe is its row's; and
// the liquidations per value of each field are the counts of
// results.csv's rows. The expected figures are recomputed here from
// results.csv by sorting it (a stable sort by funding_income,
// descending, as the ranking is).
func TestBookAnalysisPick(t *testing.T) {
	ex := planBook(t, liquidatingGridText)
	dir := t.TempDir()
	job := &BookJob{Out: dir, Workers: 2, Universe: bookUniverse()}
	if _, err := job.Compute(context.Background(), []byte(liquidatingGridText), ex); err != nil {
		t.Fatal(err)
	}
	a, err := job.Analyze(context.Background(), ex, AnalysisOptions{Metric: "funding_income", Top: 5, WalkForward: &WalkForwardOptions{Folds: 2}})
	if err != nil {
		t.Fatal(err)
	}
	rows := resultsRows(t, dir)
	metric := func(r map[string]string) float64 {
		v, err := strconv.ParseFloat(r["funding_income"], 64)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	sort.SliceStable(rows, func(i, j int) bool { return metric(rows[i]) > metric(rows[j]) })
	want := -1
	for k, r := range rows {
		if r["liquidated"] == "false" {
			want = k
			break
		}
	}
	if want < 1 {
		t.Fatalf("the grid does not test the pick: the first row not liquidated ranks %d (want a liquidated row above it)", want)
	}
	p := a.Pick
	if p == nil || strconv.Itoa(p.Index) != rows[want]["combination_index"] || p.ID != rows[want]["id"] {
		t.Fatalf("pick %+v, want combination %s (id %s), the best not liquidated", p, rows[want]["combination_index"], rows[want]["id"])
	}
	if strconv.Itoa(p.RawBest) != rows[0]["combination_index"] || p.SkippedCount != want || len(p.Skipped) != min(want, 5) {
		t.Errorf("raw best %d, skipped %d (%d listed); want %s, %d", p.RawBest, p.SkippedCount, len(p.Skipped), rows[0]["combination_index"], want)
	}
	for _, s := range p.Skipped {
		if s.Reason != "liquidated" {
			t.Errorf("skipped %d: %q", s.Index, s.Reason)
		}
	}
	wantParams := map[string]string{"top": rows[want]["top"], "lookback": rows[want]["lookback"], "band": rows[want]["band"], "leverage": rows[want]["leverage"]}
	if len(p.Values) != 4 {
		t.Errorf("pick parameters %v, want %v", p.Values, wantParams)
	}
	for k, v := range wantParams {
		if p.Values[k] != v {
			t.Errorf("pick parameter %s = %q, want %q (all: %v)", k, p.Values[k], v, p.Values)
		}
	}
	if s, _ := strconv.ParseFloat(rows[want]["sharpe_daily"], 64); a.PickDailySharpe == nil || *a.PickDailySharpe != s {
		t.Errorf("pick daily Sharpe %v, want its row's %v", a.PickDailySharpe, s)
	}
	// Liquidations per value, counted from the rows.
	if a.Liquidations == nil || len(a.Liquidations.ByAxis) != 4 {
		t.Fatalf("liquidations %+v, want 4 axes", a.Liquidations)
	}
	for _, ax := range a.Liquidations.ByAxis {
		col := bookColumnOf(ax.Axis)
		for _, v := range ax.Values {
			n, liq := 0, 0
			for _, r := range rows {
				if r[col] == v.Value {
					n++
					if r["liquidated"] == "true" {
						liq++
					}
				}
			}
			if v.Combinations != n || v.Liquidated != liq {
				t.Errorf("%s %s: %d combinations, %d liquidated; rows say %d, %d", ax.Axis, v.Value, v.Combinations, v.Liquidated, n, liq)
			}
		}
	}
	// The walk-forward folds list the same parameters, and each boundary
	// is a grid point (the universe's points are whole hours).
	for _, f := range a.WalkForward.Folds {
		keys := make([]string, 0, len(f.Parameters))
		for k := range f.Parameters {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		if !slices.Equal(keys, []string{"band", "leverage", "lookback", "top"}) {
			t.Errorf("fold %d parameters %v, want band, leverage, lookback, top", f.Fold, f.Parameters)
		}
		if !f.InTo.Equal(f.InTo.Truncate(time.Hour)) {
			t.Errorf("fold %d: boundary %s between grid points", f.Fold, f.InTo)
		}
	}
	// The view shows whether each book was liquidated, beside its id.
	if len(a.ViewHeader) < 3 || a.ViewHeader[2] != "liquidated" {
		t.Errorf("view header %v: want liquidated third", a.ViewHeader)
	}
}

// TestBookSplitOnGridPoint: the out-of-sample cut is the latest grid
// point at or before the split's instant (60 % of 0 … 479 h is 287.4 h:
// 287 h), leaving every member's points on the same side as the instant
// would.
func TestBookSplitOnGridPoint(t *testing.T) {
	u := bookUniverse()
	in, out, err := splitUniverse(u, &Split{Fraction: 0.6})
	if err != nil {
		t.Fatal(err)
	}
	cut := bookT0.Add(287 * time.Hour)
	for _, m := range in.Members {
		if last := m.Market.Times[len(m.Market.Times)-1]; last.After(cut) {
			t.Errorf("%s in-sample ends %s, after %s", m.Market.Symbol, last, cut)
		}
	}
	for _, m := range out.Members {
		if first := m.Market.Times[0]; !first.After(cut) {
			t.Errorf("%s out of sample starts %s, not after %s", m.Market.Symbol, first, cut)
		}
	}
	if got := gridPointAtOrBefore(u, bookT0.Add(287*time.Hour+24*time.Minute)); !got.Equal(cut) {
		t.Errorf("grid point at or before 287.4 h: %s, want %s", got, cut)
	}
}
