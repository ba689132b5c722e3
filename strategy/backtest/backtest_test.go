package backtest

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/data/lake"
	"github.com/carry-research/carry/internal/sharedtest"
	"github.com/carry-research/carry/strategy"
)

var t0 = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

// testLake: 48 hourly BTCUSDT perpetual rows with a 3-hour hole, and 8h
// funding, the first event without a mark price.
func testLake(t *testing.T) *lake.Lake {
	t.Helper()
	l, err := lake.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	var rows []data.BasisRow
	for i := range 48 {
		if i >= 20 && i < 23 {
			continue
		}
		s := 60000 + float64(i)*10
		rows = append(rows, data.BasisRow{Timestamp: t0.Add(time.Duration(i) * time.Hour), IndexPrice: s, FuturesPrice: s + 30, Basis: 30, BasisRate: 0.0005})
	}
	if _, err := l.MergeBasis(data.BasisKey{Pair: "BTCUSDT", ContractType: data.Perpetual, Period: "1h"}, rows); err != nil {
		t.Fatal(err)
	}
	var ev []data.FundingRow
	for h := -16; h <= 48; h += 8 {
		r := data.FundingRow{FundingTime: t0.Add(time.Duration(h)*time.Hour + 2*time.Millisecond), FundingRate: 0.0001, RateType: data.Regular}
		if h > 0 {
			r.MarkPrice = data.Some(60000 + float64(h)*10)
		}
		ev = append(ev, r)
	}
	if _, err := l.MergeFunding("BTCUSDT", ev); err != nil {
		t.Fatal(err)
	}
	return l
}

func TestLoadPerpetual(t *testing.T) {
	l := testLake(t)
	ld, err := Load(l, Spec{Symbol: "BTCUSDT", Period: "1h", Contract: data.Perpetual, From: t0.Add(2 * time.Hour), To: t0.Add(40 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	m := ld.Market
	if len(m.Times) != 36 || !m.Times[0].Equal(t0.Add(2*time.Hour)) {
		t.Errorf("%d grid points from %s", len(m.Times), m.Times[0])
	}
	// Events before the window count for the lookback; none after To.
	if len(m.Funding) != 8 || !m.Funding[0].Instant.Equal(t0.Add(-16*time.Hour)) || m.Funding[0].Mark.Valid {
		t.Errorf("funding %+v", m.Funding)
	}
	if len(ld.BasisGaps) != 1 || ld.BasisGaps[0].Missing != 3 || len(ld.Warnings) != 1 || !strings.Contains(ld.Warnings[0], "3 missing periods") {
		t.Errorf("gaps %v warnings %v", ld.BasisGaps, ld.Warnings)
	}
}

func TestLoadRefusesMissingData(t *testing.T) {
	l := testLake(t)
	cases := []struct {
		spec Spec
		want string
	}{
		{Spec{Symbol: "ETHUSDT", Period: "1h", Contract: data.Perpetual}, "carry backfill --symbols ETHUSDT --datasets basis,funding --periods 1h --contract-types PERPETUAL"},
		{Spec{Symbol: "BTCUSDT", Period: "4h", Contract: data.Perpetual}, "no basis BTCUSDT PERPETUAL 4h in the lake"},
		{Spec{Symbol: "BTCUSDT", Period: "1h", Contract: data.Perpetual, From: t0.AddDate(1, 0, 0)}, "0 grid points in the window 2027-03-01T00:00:00Z"},
		{Spec{Symbol: "BTCUSDT", Period: "1h", Contract: data.NextQuarter}, "--contract-types NEXT_QUARTER"},
	}
	for _, c := range cases {
		_, err := Load(l, c.spec)
		if !errors.Is(err, ErrMissingData) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: err = %v, want one containing %q", c.spec, err, c.want)
		}
	}
}

func TestRunFiles(t *testing.T) {
	l := testLake(t)
	run, err := Simulate(l, Spec{Symbol: "BTCUSDT", Period: "1h", Contract: data.Perpetual}, strategy.DefaultParams(), 0)
	if err != nil {
		t.Fatal(err)
	}
	res, sum := run.Result, run.Summary
	dir := t.TempDir()
	if err := WriteRun(dir, res, sum); err != nil {
		t.Fatal(err)
	}
	var js map[string]any
	b, _ := os.ReadFile(filepath.Join(dir, SummaryJSON))
	if err := json.Unmarshal(b, &js); err != nil {
		t.Fatal(err)
	}
	if js["calendar"] != "365-day" || js["periods_per_year"] != 8760.0 || js["funding_events_received"] != 5.0 || js["liquidated_at"] != nil {
		t.Errorf("summary.json: %s", b)
	}
	// summary.csv has the JSON's fields, rules flattened, in order.
	rows := readCSV(t, filepath.Join(dir, SummaryCSV))
	if len(rows) != 2 || rows[0][0] != "symbol" || !contains(rows[0], "rules_funding_lookback") || len(rows[0]) != len(rows[1]) {
		t.Fatalf("summary.csv header %v", rows[0])
	}
	col := func(name string) string {
		for i, h := range rows[0] {
			if h == name {
				return rows[1][i]
			}
		}
		t.Fatalf("no column %s", name)
		return ""
	}
	if col("final_equity") != res.Totals.FinalEquity.String() || col("liquidated_at") != "" || col("rules_funding_enter") != "" {
		t.Errorf("summary.csv values: final %s liquidated_at %q", col("final_equity"), col("liquidated_at"))
	}
	ledger := readCSV(t, filepath.Join(dir, LedgerCSV))
	if strings.Join(ledger[0][:7], ",") != "id,symbol,position_id,funding_rate,position_size,payment,settled_at" || len(ledger) != 6 {
		t.Errorf("ledger: %v", ledger)
	}
	if ledger[1][6] != "2026-03-01T08:00:00Z" || ledger[1][9] != strconv.FormatInt(t0.Add(8*time.Hour+2*time.Millisecond).UnixMilli(), 10) {
		t.Errorf("ledger row %v", ledger[1])
	}
	trades := readCSV(t, filepath.Join(dir, TradesCSV))
	if strings.Join(trades[0], ",") != "time,position_id,leg,side,quantity,price,fee,reason" || len(trades) != 5 {
		t.Errorf("trades %v", trades)
	}
	eq := readCSV(t, filepath.Join(dir, EquityCSV))
	if strings.Join(eq[0], ",") != "time,index_price,futures_price,position_quantity,equity,cumulative_funding,cumulative_fees,basis_pnl,drawdown,margin_ratio" || len(eq) != len(res.Equity)+1 {
		t.Errorf("equity header %v, %d rows", eq[0], len(eq))
	}
	if eq[len(eq)-1][9] != "" {
		t.Errorf("margin ratio when flat at the end: %q, want empty", eq[len(eq)-1][9])
	}
}

// TestRealWindowBacktest runs a full backtest on the real 30-day 1h
// BTCUSDT window of shared/realdata (8h funding without mark prices).
func TestRealWindowBacktest(t *testing.T) {
	dir := sharedtest.Path(t, "realdata/datasets/real30")
	l, err := lake.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	var rows []data.BasisRow
	for _, r := range sharedtest.ReadCSV(t, filepath.Join(dir, "basis", "BTCUSDT_PERPETUAL_1h.csv")) {
		ts, _ := strconv.ParseInt(r["timestamp"], 10, 64)
		idx, _ := data.ParseExact(r["indexPrice"])
		fut, _ := data.ParseExact(r["futuresPrice"])
		b, _ := data.ParseExact(r["basis"])
		br, _ := data.ParseExact(r["basisRate"])
		rows = append(rows, data.BasisRow{Timestamp: time.UnixMilli(ts).UTC(), IndexPrice: idx, FuturesPrice: fut, Basis: b, BasisRate: br})
	}
	l.MergeBasis(data.BasisKey{Pair: "BTCUSDT", ContractType: data.Perpetual, Period: "1h"}, rows)
	var ev []data.FundingRow
	for _, r := range sharedtest.ReadCSV(t, filepath.Join(dir, "fundingRate", "BTCUSDT.csv")) {
		ts, _ := strconv.ParseInt(r["fundingTime"], 10, 64)
		rate, _ := data.ParseExact(r["fundingRate"])
		ev = append(ev, data.FundingRow{FundingTime: time.UnixMilli(ts).UTC(), FundingRate: rate, RateType: data.Regular})
	}
	l.MergeFunding("BTCUSDT", ev)
	run, err := Simulate(l, Spec{Symbol: "BTCUSDT", Period: "1h", Contract: data.Perpetual}, strategy.DefaultParams(), 0)
	if err != nil {
		t.Fatal(err)
	}
	sum := run.Summary
	// Every real event of the window falls inside the grid and has no mark
	// price: all are received on the grid's futures price.
	if sum.EventsReceived != 92 || sum.MissingMark != 92 {
		t.Errorf("events received %d, missing marks %d; want 92 and 92", sum.EventsReceived, sum.MissingMark)
	}
	if !sum.Volatility.Valid || !sum.Sharpe.Valid || !sum.APR.Valid {
		t.Errorf("statistics undefined on a real month: %+v", sum)
	}
	var buf bytes.Buffer
	WriteSummaryCSV(&buf, []Summary{sum})
	t.Logf("real30 BTCUSDT: final %s, funding %s, basis %s, fees %s, APR %v, Sharpe %v", sum.FinalEquity, sum.FundingIncome, sum.BasisPnL, sum.Fees, sum.APR, sum.Sharpe)
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// TestColumnsFormatLikeJSON: every summary cell equals its value's
// encoding/json form, on a real run's summary with nulls and tiny numbers.
func TestColumnsFormatLikeJSON(t *testing.T) {
	l := testLake(t)
	ld, _ := Load(l, Spec{Symbol: "BTCUSDT", Period: "1h", Contract: data.Perpetual})
	res, _ := strategy.Run(ld.Market, strategy.DefaultParams())
	s, _ := SummaryOf(res, 0.0000001234)
	names, _, vals, err := Columns(s)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(s)
	var generic map[string]any
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	d.Decode(&generic)
	lookup := func(name string) any {
		var m any = generic
		for _, part := range []string{name} {
			if v, ok := m.(map[string]any)[part]; ok {
				return v
			}
		}
		// Nested: try prefixes.
		for k, v := range generic {
			if sub, ok := v.(map[string]any); ok && strings.HasPrefix(name, k+"_") {
				rest := strings.TrimPrefix(name, k+"_")
				if x, ok := sub[rest]; ok {
					return x
				}
				for k2, v2 := range sub {
					if sub2, ok := v2.(map[string]any); ok && strings.HasPrefix(rest, k2+"_") {
						return sub2[strings.TrimPrefix(rest, k2+"_")]
					}
				}
			}
		}
		return "?"
	}
	// The funding statistics by interval: columns per interval, read here
	// from summary.json's array (0 events and an empty mean where an
	// interval has none; this run has only 8h events, so other is empty).
	byInterval := map[string][2]string{}
	for _, iv := range generic["funding_stats"].(map[string]any)["by_interval"].([]any) {
		m := iv.(map[string]any)
		mean, _ := m["annualized_mean"].(json.Number)
		byInterval[m["hours"].(json.Number).String()+"h"] = [2]string{m["events"].(json.Number).String(), mean.String()}
	}
	for i, n := range names {
		if rest, ok := strings.CutPrefix(n, "funding_stats_by_interval_"); ok {
			iv, what, _ := strings.Cut(rest, "_")
			w, k := byInterval[iv], 0
			if what == "annualized_mean" {
				k = 1
			}
			if w[0] == "" {
				w = [2]string{"0", ""}
			}
			if vals[i] != w[k] {
				t.Errorf("%s: cell %q, JSON %q", n, vals[i], w[k])
			}
			continue
		}
		want := lookup(n)
		var w string
		switch x := want.(type) {
		case nil:
			w = ""
		case json.Number:
			w = x.String()
		case string:
			w = x
		case bool:
			w = strconv.FormatBool(x)
		default:
			// Arrays: compare as decoded values (key order aside).
			var got any
			d := json.NewDecoder(strings.NewReader(vals[i]))
			d.UseNumber()
			if err := d.Decode(&got); err != nil || !reflect.DeepEqual(got, x) {
				t.Errorf("%s: cell %q, JSON %v", n, vals[i], x)
			}
			continue
		}
		if vals[i] != w {
			t.Errorf("%s: cell %q, JSON %q", n, vals[i], w)
		}
	}
}
