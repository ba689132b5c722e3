package viewcmd

import (
	"encoding/json"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/data/lake"
	"github.com/carry-research/carry/internal/cmdutil"
	"github.com/carry-research/carry/internal/iostreams"
)

var t0 = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

// tableLake: BTCUSDT 1h perpetual basis until 23:00 and 8h funding until
// 16:00 (mark prices on every row); ETHUSDT only a current-quarter series.
func tableLake(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "lake")
	l, err := lake.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	var perp, eth []data.BasisRow
	for i := range 24 {
		ts := t0.Add(time.Duration(i) * time.Hour)
		perp = append(perp, data.BasisRow{Timestamp: ts, IndexPrice: 60000 + float64(i), FuturesPrice: 60012 + float64(i), Basis: 12, BasisRate: 0.0002})
		eth = append(eth, data.BasisRow{Timestamp: ts, IndexPrice: 3000, FuturesPrice: 3030, Basis: 30, BasisRate: 0.01, AnnualizedBasisRate: data.Some(0.1417)})
	}
	if _, err := l.MergeBasis(data.BasisKey{Pair: "BTCUSDT", ContractType: data.Perpetual, Period: "1h"}, perp); err != nil {
		t.Fatal(err)
	}
	if _, err := l.MergeBasis(data.BasisKey{Pair: "ETHUSDT", ContractType: data.CurrentQuarter, Period: "1h"}, eth); err != nil {
		t.Fatal(err)
	}
	var ev []data.FundingRow
	for i, h := range []int{0, 8, 16} {
		ev = append(ev, data.FundingRow{FundingTime: t0.Add(time.Duration(h)*time.Hour + 3*time.Millisecond), FundingRate: []float64{0.0001, 0.0002, 0.0003}[i],
			MarkPrice: data.Some(60000.5 + float64(i)), RateType: data.Regular})
	}
	if _, err := l.MergeFunding("BTCUSDT", ev, lake.WithIntervalHours(8)); err != nil {
		t.Fatal(err)
	}
	return dir
}

// run runs `carry funding` or `carry basis` with args at now.
func run(t *testing.T, now time.Time, args ...string) string {
	t.Helper()
	ios, _, out, _ := iostreams.Test()
	f := &cmdutil.Factory{IO: ios, Getenv: func(string) string { return "" }, Now: func() time.Time { return now }}
	cmd := NewCmdFunding(f, nil)
	if args[0] == "basis" {
		cmd = NewCmdBasis(f, nil)
	}
	cmd.SetArgs(args[1:])
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	if err := cmd.Execute(); err != nil {
		t.Fatalf("%v: %v", args, err)
	}
	return out.String()
}

func TestFundingTableSaysHowOldItsDataIs(t *testing.T) {
	dir := tableLake(t)
	fresh := run(t, t0.Add(24*time.Hour), "funding", "--data", dir)
	for _, want := range []string{"MARK AT SETTLEMENT", "INDEX AT (UTC)", "2026-03-01 23:00", "As of 2026-03-01 23:00 UTC (the newest row shown, 1h ago)."} {
		if !strings.Contains(fresh, want) {
			t.Errorf("no %q in\n%s", want, fresh)
		}
	}
	if strings.Contains(fresh, "STALE") {
		t.Errorf("funding 8h old called stale:\n%s", fresh)
	}
	// 16:00 + two 8 h intervals is 08:00 the next day: after it, stale.
	old := run(t, t0.Add(32*time.Hour+time.Minute), "funding", "--data", dir)
	if !strings.Contains(old, "STALE: BTCUSDT") || !strings.Contains(old, "9h01m ago") {
		t.Errorf("funding 16 h old not called stale:\n%s", old)
	}
	var rate map[string]any
	if err := json.Unmarshal([]byte(run(t, t0.Add(32*time.Hour+time.Minute), "funding", "BTCUSDT", "--json", "--data", dir)), &rate); err != nil || rate["stale"] != true || rate["funding_rate"] != "0.0003" {
		t.Errorf("--json: %v %v", rate, err)
	}
}

func TestBasisTableLabelsTheIndex(t *testing.T) {
	dir := tableLake(t)
	out := run(t, t0.Add(24*time.Hour), "basis", "--data", dir)
	header := strings.SplitN(out, "\n", 2)[0]
	if !strings.Contains(header, "INDEX") || strings.Contains(header, "SPOT") {
		t.Errorf("header %q: the index price is labelled index", header)
	}
	if !strings.Contains(out, "As of 2026-03-01 23:00 UTC (the newest row shown, 1h ago).") || strings.Contains(out, "STALE") {
		t.Errorf("a 1 h old basis:\n%s", out)
	}
	out = run(t, t0.Add(26*time.Hour), "basis", "--data", dir)
	if !strings.Contains(out, "STALE: BTC, ETH") {
		t.Errorf("a 3 h old 1h basis is stale:\n%s", out)
	}
	var answer struct {
		Data struct{ LastTs int64 } `json:"data"`
		Meta struct {
			Total        int
			TableMissing bool `json:"tableMissing"`
		} `json:"meta"`
	}
	if err := json.Unmarshal([]byte(run(t, t0, "basis", "--json", "--data", dir)), &answer); err != nil ||
		answer.Data.LastTs != t0.Add(23*time.Hour).UnixMilli() || answer.Meta.Total != 2 || !answer.Meta.TableMissing {
		t.Errorf("--json: %+v %v", answer, err)
	}
}

func TestAge(t *testing.T) {
	for d, want := range map[time.Duration]string{
		20 * time.Second: "0m", 45 * time.Minute: "45m", 7 * time.Hour: "7h", 7*time.Hour + 5*time.Minute: "7h05m",
		50 * time.Hour: "2d2h", 72 * time.Hour: "3d", -time.Hour: "0m",
	} {
		if got := age(d); got != want {
			t.Errorf("age(%v) = %s, want %s", d, got, want)
		}
	}
}
