package datacmd

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/data/lake"
	"github.com/carry-research/carry/internal/cmdutil"
	"github.com/carry-research/carry/internal/iostreams"
	"github.com/carry-research/carry/internal/views"
)

func TestCompareBasisFlags(t *testing.T) {
	cases := []struct {
		name    string
		args    []string
		want    views.BasisComparisonQuery
		wantErr string
	}{
		{"defaults", nil, views.BasisComparisonQuery{Spot: data.KlineIndex}, ""},
		{"every flag", []string{"--symbols", "btcusdt, ETHUSDT", "--periods", "1h,4h", "--spot", "SPOT"},
			views.BasisComparisonQuery{Symbols: []string{"BTCUSDT", "ETHUSDT"}, Periods: []data.Period{"1h", "4h"}, Spot: data.KlineSpot}, ""},
		{"bad symbol", []string{"--symbols", "BTC/USDT"}, views.BasisComparisonQuery{}, "--symbols: invalid symbol"},
		{"bad period", []string{"--periods", "1w"}, views.BasisComparisonQuery{}, "--periods: invalid period"},
		{"bad spot", []string{"--spot", "mark"}, views.BasisComparisonQuery{}, `--spot "mark": want index or spot`},
		{"stray argument", []string{"BTCUSDT"}, views.BasisComparisonQuery{}, "unknown command"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, _ := testFactory(map[string]string{"CARRY_DATA": "/env"})
			var got *CompareBasisOptions
			cmd := NewCmdCompareBasis(f, func(_ context.Context, o *CompareBasisOptions) error { got = o; return nil })
			cmd.SetArgs(c.args)
			cmd.SetOut(f.IO.Out)
			cmd.SetErr(f.IO.ErrOut)
			err := cmd.Execute()
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) || got != nil {
					t.Fatalf("err = %v, want it to mention %q before any work", err, c.wantErr)
				}
				if c.name != "stray argument" && cmdutil.ExitCode(err) != cmdutil.ExitUsage {
					t.Errorf("exit %d, want %d", cmdutil.ExitCode(err), cmdutil.ExitUsage)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			q := got.Query
			if got.DataDir != "/env" || !slices.Equal(q.Symbols, c.want.Symbols) || !slices.Equal(q.Periods, c.want.Periods) || q.Spot != c.want.Spot {
				t.Errorf("options %+v, want query %+v", *got, c.want)
			}
		})
	}
}

// comparedLake holds BTCUSDT's PERPETUAL 1h basis at 00:00–02:00 with
// futures and index klines (02:00 rebuilt 2 bp off), and ETHUSDT's basis
// without klines.
func comparedLake(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	l, err := lake.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	h := func(i int) time.Time { return time.Date(2026, 3, 1, i, 0, 0, 0, time.UTC) }
	c := func(i int, p float64) data.KlineRow {
		return data.KlineRow{OpenTime: h(i), CloseTime: h(i + 1).Add(-time.Millisecond), Open: p, High: p, Low: p, Close: p}
	}
	var basis []data.BasisRow
	for i, rate := range []float64{0.0005, 0.0005, 0.0005} {
		basis = append(basis, data.BasisRow{Timestamp: h(i), IndexPrice: 100, FuturesPrice: 100.05, Basis: 0.05, BasisRate: rate})
	}
	for _, pair := range []string{"BTCUSDT", "ETHUSDT"} {
		if _, err := l.MergeBasis(data.BasisKey{Pair: pair, ContractType: data.Perpetual, Period: "1h"}, basis); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := l.MergeKlines(data.KlineKey{Kind: data.KlineFutures, Symbol: "BTCUSDT", Interval: "1h"}, []data.KlineRow{c(0, 100.05), c(1, 100.05), c(2, 100.07)}); err != nil {
		t.Fatal(err)
	}
	if _, err := l.MergeKlines(data.KlineKey{Kind: data.KlineIndex, Symbol: "BTCUSDT", Interval: "1h"}, []data.KlineRow{c(0, 100), c(1, 100), c(2, 100)}); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestCompareBasisTable(t *testing.T) {
	dir := comparedLake(t)
	io, _, out, _ := iostreams.Test()
	if err := compareBasisRun(context.Background(), &CompareBasisOptions{IO: io, DataDir: dir, Query: views.BasisComparisonQuery{Spot: data.KlineIndex}}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"SERIES                ROWS  OFFICIAL ONLY  KLINES ONLY  MEDIAN |Δ|  MAX |Δ| (at)                WITHIN 1 BP\n",
		"BTCUSDT PERPETUAL 1h  3     0              0            0.00 bp     2.00 bp (2026-03-01 02:00)  66.7%\n",
		"Not compared, klines missing:\n  ETHUSDT PERPETUAL 1h: no futures ETHUSDT 1h and index ETHUSDT 1h\n",
		"    fetch: carry backfill --datasets klines --kinds futures,index --intervals 1h --symbols ETHUSDT --data " + dir + "\n",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestCompareBasisJSON(t *testing.T) {
	dir := comparedLake(t)
	io, _, out, _ := iostreams.Test()
	if err := compareBasisRun(context.Background(), &CompareBasisOptions{IO: io, DataDir: dir, JSON: true, Query: views.BasisComparisonQuery{Spot: data.KlineIndex}}); err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Lake, Spot, Error string
		Series            []struct {
			Series        string
			Compared      int     `json:"compared"`
			OfficialOnly  int     `json:"official_only"`
			MaxAbsDiff    float64 `json:"max_abs_diff"`
			Within        float64 `json:"within_1bp"`
			MaxUnrounded  float64 `json:"max_abs_diff_unrounded"`
			Worst         struct{ At string }
			FuturesKlines string `json:"futures_klines"`
			SpotKlines    string `json:"spot_klines"`
		}
		Lacking []struct{ Series, Fetch string }
	}
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("%v in %s", err, out)
	}
	s := rep.Series
	if rep.Lake != dir || rep.Spot != "index" || rep.Error != "" || len(s) != 1 || s[0].Series != "BTCUSDT PERPETUAL 1h" || s[0].Compared != 3 ||
		s[0].MaxAbsDiff < 0.0002-1e-12 || s[0].MaxAbsDiff > 0.0002+1e-12 || s[0].Worst.At != "2026-03-01T02:00:00Z" ||
		s[0].FuturesKlines != "futures BTCUSDT 1h" || s[0].SpotKlines != "index BTCUSDT 1h" || len(rep.Lacking) != 1 || rep.Lacking[0].Series != "ETHUSDT PERPETUAL 1h" {
		t.Errorf("report %+v\n%s", rep, out)
	}
}

// TestCompareBasisOfNothing: exit 1 when no series could be compared,
// saying what to fetch — klines the lake lacks, or basis for a selection
// with none; the JSON carries the error.
func TestCompareBasisOfNothing(t *testing.T) {
	dir := comparedLake(t)
	cases := []struct {
		name  string
		query views.BasisComparisonQuery
		json  bool
		want  string
	}{
		{"klines missing", views.BasisComparisonQuery{Symbols: []string{"ETHUSDT"}, Spot: data.KlineIndex}, false, "fetch the klines listed above"},
		{"spot klines missing, JSON", views.BasisComparisonQuery{Spot: data.KlineSpot}, true, "fetch the klines listed above"},
		{"no basis at 4h", views.BasisComparisonQuery{Symbols: []string{"BTCUSDT"}, Periods: []data.Period{"4h"}, Spot: data.KlineIndex}, false,
			"no PERPETUAL basis series of BTCUSDT at 4h in the lake; fetch some with: carry backfill"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			io, _, out, _ := iostreams.Test()
			err := compareBasisRun(context.Background(), &CompareBasisOptions{IO: io, DataDir: dir, JSON: c.json, Query: c.query})
			if !errors.Is(err, views.ErrNothingCompared) || cmdutil.ExitCode(err) != cmdutil.ExitError || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err %v (exit %d), want exit 1 saying %q", err, cmdutil.ExitCode(err), c.want)
			}
			if c.json {
				var rep CompareBasisReport
				if jerr := json.Unmarshal(out.Bytes(), &rep); jerr != nil || rep.Error != err.Error() || len(rep.Lacking) != 2 {
					t.Errorf("JSON %s (%v)", out, jerr)
				}
			}
		})
	}
	io, _, _, _ := iostreams.Test()
	err := compareBasisRun(context.Background(), &CompareBasisOptions{IO: io, DataDir: dir + "/typo", Query: views.BasisComparisonQuery{Spot: data.KlineIndex}})
	var noLake *cmdutil.NoLakeError
	if !errors.As(err, &noLake) {
		t.Errorf("missing lake: %v", err)
	}
}
