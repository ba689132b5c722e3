package sweep

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/strategy"
	"github.com/carry-research/carry/strategy/portfolio"
)

// bookT0 is the synthetic universe's origin, a midnight UTC.
var bookT0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// bookMember is a perpetual of n hourly points from start hours after
// bookT0, spot drifting by a sine, the futures a basis above it, and an
// 8-hourly funding rate around rate (events from 24 hours before its
// first point, so that the lookback has history).
func bookMember(sym string, start, n int, rate, phase float64) portfolio.Member {
	m := &strategy.Market{Symbol: sym, ContractType: data.Perpetual, Period: "1h"}
	for i := range n {
		t := bookT0.Add(time.Duration(start+i) * time.Hour)
		s := 100 * (1 + 0.05*math.Sin(float64(i)/37+phase))
		m.Times, m.Spot, m.Futures = append(m.Times, t), append(m.Spot, s), append(m.Futures, s*(1+0.0005*math.Cos(float64(i)/11+phase)))
	}
	for h := start - 24; h < start+n; h += 8 {
		if h%8 != 0 {
			continue
		}
		r := rate * (1 + 0.8*math.Sin(float64(h)/53+phase))
		at := bookT0.Add(time.Duration(h) * time.Hour)
		m.Funding = append(m.Funding, strategy.FundingEvent{Instant: at, FundingTime: at, Rate: r, IntervalHours: 8, Mark: data.Some(100.0)})
	}
	vol := make([]float64, n)
	for i := range vol {
		vol[i] = 1e6
	}
	return portfolio.Member{Market: m, QuoteVolume: vol}
}

// bookUniverse is four pairs over 20 days, one entering late and one
// delisted early.
func bookUniverse() *portfolio.Universe {
	d := bookMember("DDDUSDT", 0, 300, 0.0003, 2)
	d.Delisted = true
	return &portfolio.Universe{Members: []portfolio.Member{
		bookMember("AAAUSDT", 0, 480, 0.0001, 0),
		bookMember("BBBUSDT", 0, 480, 0.0002, 1),
		bookMember("CCCUSDT", 96, 384, 0.00015, 3),
		d,
	}}
}

const bookGridText = `universe: [AAAUSDT, BBBUSDT, CCCUSDT, DDDUSDT]
top: [1, 2]
lookback: [1, 3]
weights: [equal, signal]
rebalance: [1d, 8h]
band: [0, 0.1]
leverage: [1, 2]
spot_fee: 10bp
`

func planBook(t *testing.T, text string) *BookExpansion {
	t.Helper()
	g, err := ParseBookGrid([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	ex, err := g.PlanBook()
	if err != nil {
		t.Fatal(err)
	}
	return ex
}

// TestBookGridParse: a grid with universe: is a portfolio grid, its
// fields read, a single-pair field in it (and a book field in a
// single-pair grid) refused by name, and its combinations the product of
// its fields' value counts (2·2·2·2·2·2 = 64, none invalid), with
// duplicates (1d = 24h) left out and invalid ones (inverse-vol with a 0
// window) counted.
func TestBookGridParse(t *testing.T) {
	if !IsBookGrid([]byte(bookGridText)) || IsBookGrid([]byte("symbols: BTCUSDT\n")) {
		t.Fatal("IsBookGrid misreads a grid")
	}
	ex := planBook(t, bookGridText)
	if ex.Len() != 64 || ex.Invalid != 0 || ex.Duplicates != 0 {
		t.Errorf("64 combinations, 0 invalid, 0 duplicates: got %d, %d, %d", ex.Len(), ex.Invalid, ex.Duplicates)
	}
	if g := ex.groups(); len(g) != 16 {
		t.Errorf("16 plans (top × lookback × weights × rebalance), got %d", len(g))
	}
	ex = planBook(t, "universe: all-history\nrebalance: [1d, 24h, 8h]\nweights: [equal, inverse-vol]\nvol_window: [0, 7d]\n")
	// 2 rebalances × 2 weights × 2 windows = 8; inverse-vol with 0 is invalid: 2.
	if ex.Len() != 6 || ex.Invalid != 2 || ex.Duplicates != 1*2*2 {
		t.Errorf("6 valid, 2 invalid, 4 duplicates: got %d, %d, %d", ex.Len(), ex.Invalid, ex.Duplicates)
	}
	for _, c := range []struct{ text, want string }{
		{"universe: [BTCUSDT]\nfunding_enter: 0.1\n", "field funding_enter is a single-pair parameter"},
		{"universe: [BTCUSDT]\nsymbols: BTCUSDT\n", "field symbols is a single-pair parameter"},
		{"universe: [BTCUSDT]\nwhatever: 1\n", "field whatever not found"},
		{"universe: []\n", "universe has no symbol"},
	} {
		if _, err := ParseBookGrid([]byte(c.text)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want %q", c.text, err, c.want)
		}
	}
	if _, err := ParseGrid([]byte("symbols: BTCUSDT\ntop: 3\n")); err == nil || !strings.Contains(err.Error(), "field top is a portfolio parameter") {
		t.Errorf("a single-pair grid with top: error %v", err)
	}
}

func computeBook(t *testing.T, job *BookJob, ex *BookExpansion) Tally {
	t.Helper()
	res, err := job.Compute(context.Background(), []byte(bookGridText), ex)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestBookSweepMatchesRun: every row's final_equity is the exact engine's
// (portfolio.Run) for its parameters to 1e-9 of the capital (the kernel's
// contract), and its liquidations and entries the same counts.
func TestBookSweepMatchesRun(t *testing.T) {
	u := bookUniverse()
	ex := planBook(t, bookGridText)
	dir := t.TempDir()
	res := computeBook(t, &BookJob{Out: dir, Workers: 2, Universe: u}, ex)
	if res.Computed != 64 || res.Total != 64 {
		t.Fatalf("computed %d of %d, want 64", res.Computed, res.Total)
	}
	header, rows, err := readResults(filepath.Join(dir, ResultsCSV))
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	if len(rows) != 64 {
		t.Fatalf("%d rows, want 64", len(rows))
	}
	for i, row := range rows {
		c, err := ex.At(i)
		if err != nil {
			t.Fatal(err)
		}
		if row[col["id"]] != c.ID || row[col["combination_index"]] != strconv.Itoa(i) {
			t.Fatalf("row %d is %s/%s, want %d/%s (sorted by index)", i, row[0], row[1], i, c.ID)
		}
		want, err := portfolio.Run(u, c.Params)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := strconv.ParseFloat(row[col["final_equity"]], 64)
		if d := math.Abs(got - want.FinalEquity.InexactFloat64()); d > 1e-9*c.Params.Pair.Capital.InexactFloat64() {
			t.Errorf("combination %d (%v): final_equity %v, portfolio.Run %v", i, c.Values, got, want.FinalEquity)
		}
		if row[col["top"]] != c.Values["top"] || row[col["leverage"]] != c.Values["leverage"] {
			t.Errorf("combination %d: parameters top %s leverage %s, want %s %s", i, row[col["top"]], row[col["leverage"]], c.Values["top"], c.Values["leverage"])
		}
	}
	if _, err := os.Stat(filepath.Join(dir, ResultsParquet)); err != nil {
		t.Errorf("no results.parquet: %v", err)
	}
}

// TestBookSweepResume: a results file cut after 10 rows (an interrupted
// sweep) resumes computing the 54 others only, and ends equal to the
// whole run's, byte for byte.
func TestBookSweepResume(t *testing.T) {
	u := bookUniverse()
	ex := planBook(t, bookGridText)
	whole := t.TempDir()
	computeBook(t, &BookJob{Out: whole, Workers: 2, Universe: u}, ex)
	want := readFile(t, filepath.Join(whole, ResultsCSV))

	part := t.TempDir()
	lines := strings.SplitAfter(want, "\n")
	for _, name := range []string{ResultsCSV, ManifestJSON} {
		text := readFile(t, filepath.Join(whole, name))
		if name == ResultsCSV {
			text = strings.Join(lines[:11], "") + lines[11][:5] // a torn last line, as a kill leaves
		}
		if err := os.WriteFile(filepath.Join(part, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res := computeBook(t, &BookJob{Out: part, Workers: 2, Universe: u}, ex)
	if res.Computed != 54 || res.Skipped != 10 {
		t.Errorf("resumed: computed %d, skipped %d; want 54 and 10", res.Computed, res.Skipped)
	}
	if got := readFile(t, filepath.Join(part, ResultsCSV)); got != want {
		t.Errorf("resumed results differ from the whole run's")
	}
}

// TestBookSweepShardsMerge: shards 0/3, 1/3 and 2/3 merged equal the
// unsharded run, byte for byte.
func TestBookSweepShardsMerge(t *testing.T) {
	u := bookUniverse()
	ex := planBook(t, bookGridText)
	whole := t.TempDir()
	computeBook(t, &BookJob{Out: whole, Workers: 2, Universe: u}, ex)
	var dirs []string
	total := 0
	for s := range 3 {
		d := t.TempDir()
		res := computeBook(t, &BookJob{Out: d, Workers: 2, Shard: s, Shards: 3, Universe: u}, ex)
		total += res.Computed
		dirs = append(dirs, d)
	}
	if total != 64 {
		t.Errorf("shards computed %d, want 64", total)
	}
	out := t.TempDir()
	if _, err := Merge(dirs, out); err != nil {
		t.Fatal(err)
	}
	if readFile(t, filepath.Join(out, ResultsCSV)) != readFile(t, filepath.Join(whole, ResultsCSV)) {
		t.Errorf("merged shards differ from the whole run")
	}
}

// TestBookSweepSplit: with --split 0.6 the rows are the in-sample
// universe's, and the analysis's out-of-sample figures of the pick are
// portfolio.Run's on the members' points after the cut (the cut: 60 % of
// the span 0 … 479 h = 287.4 h, truncated to the millisecond).
func TestBookSweepSplit(t *testing.T) {
	u := bookUniverse()
	ex := planBook(t, bookGridText)
	dir := t.TempDir()
	split := &Split{Fraction: 0.6}
	job := &BookJob{Out: dir, Workers: 2, Universe: u, Split: split}
	computeBook(t, job, ex)
	a, err := job.Analyze(context.Background(), ex, AnalysisOptions{Metric: "apr", Top: 5})
	if err != nil {
		t.Fatal(err)
	}
	if a.OutOfSample == nil || len(a.OutOfSample.Compared) != 5 {
		t.Fatalf("out of sample: %+v", a.OutOfSample)
	}
	cut := bookT0.Add(time.Duration(0.6 * float64(479*time.Hour))).Truncate(time.Millisecond)
	later := &portfolio.Universe{}
	for _, m := range u.Members {
		if p := memberBetween(m, cut, time.Time{}, false); p != nil {
			later.Members = append(later.Members, *p)
		}
	}
	if len(later.Members) != 4 {
		t.Fatalf("after the cut %s: %d members, want 4 (DDD, delisted at 299 h, has 12 points after it)", cut, len(later.Members))
	}
	for _, cmp := range a.OutOfSample.Compared {
		c, err := ex.At(cmp.Index)
		if err != nil {
			t.Fatal(err)
		}
		want, err := portfolio.Run(later, c.Params)
		if err != nil {
			t.Fatal(err)
		}
		if got := cmp.OutOfSample.FinalEquity; got == nil || math.Abs(*got-want.FinalEquity.InexactFloat64()) > 1e-9*c.Params.Pair.Capital.InexactFloat64() {
			t.Errorf("combination %d out of sample: final equity %v, portfolio.Run %v", cmp.Index, got, want.FinalEquity)
		}
		if want.Rows[0].Time.Before(cut) || !want.Rows[0].Time.After(cut) {
			t.Errorf("out-of-sample run starts at %s, want after %s", want.Rows[0].Time, cut)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, AnalysisJSON)); err != nil {
		t.Error(err)
	}
}

// TestBookSweepWalkForward: two folds each pick a combination and run it
// on the next segment; the stitched curve covers both segments.
func TestBookSweepWalkForward(t *testing.T) {
	u := bookUniverse()
	ex := planBook(t, bookGridText)
	dir := t.TempDir()
	job := &BookJob{Out: dir, Workers: 2, Universe: u}
	computeBook(t, job, ex)
	a, err := job.Analyze(context.Background(), ex, AnalysisOptions{WalkForward: &WalkForwardOptions{Folds: 2}})
	if err != nil {
		t.Fatal(err)
	}
	wf := a.WalkForward
	if wf == nil || len(wf.Folds) != 2 || wf.TotalReturn == nil {
		t.Fatalf("walk-forward: %+v", wf)
	}
	for _, f := range wf.Folds {
		if f.OutOfSample.FinalEquity == nil || f.Combinations != 64 {
			t.Errorf("fold %d: %+v", f.Fold, f)
		}
	}
}
