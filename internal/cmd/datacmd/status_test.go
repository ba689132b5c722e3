package datacmd

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/data/lake"
	"github.com/carry-research/carry/internal/cmdutil"
	"github.com/carry-research/carry/internal/iostreams"
)

func testFactory(env map[string]string) (*cmdutil.Factory, *iostreams.IOStreams) {
	io, _, _, _ := iostreams.Test()
	return &cmdutil.Factory{IO: io, Getenv: func(k string) string { return env[k] }}, io
}

func TestStatusFlags(t *testing.T) {
	cases := []struct {
		name    string
		args    []string
		env     map[string]string
		want    StatusOptions
		wantErr string
	}{
		{"flag wins", []string{"--data", "/lake", "--json"}, map[string]string{"CARRY_DATA": "/env"}, StatusOptions{DataDir: "/lake", JSON: true, MaxGaps: 5}, ""},
		{"env", nil, map[string]string{"CARRY_DATA": "/env"}, StatusOptions{DataDir: "/env", MaxGaps: 5}, ""},
		{"default", nil, map[string]string{"HOME": "/home/q"}, StatusOptions{DataDir: "/home/q/.local/share/carry/lake", MaxGaps: 5}, ""},
		{"xdg", nil, map[string]string{"HOME": "/home/q", "XDG_DATA_HOME": "/xdg"}, StatusOptions{DataDir: "/xdg/carry/lake", MaxGaps: 5}, ""},
		{"negative max-gaps", []string{"--max-gaps", "-1"}, nil, StatusOptions{}, "--max-gaps"},
		{"stray argument", []string{"extra"}, nil, StatusOptions{}, "unknown command"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, _ := testFactory(c.env)
			var got *StatusOptions
			cmd := NewCmdStatus(f, func(_ context.Context, o *StatusOptions) error { got = o; return nil })
			cmd.SetArgs(c.args)
			cmd.SetOut(f.IO.Out)
			cmd.SetErr(f.IO.ErrOut)
			err := cmd.Execute()
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("err = %v, want it to mention %q", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.DataDir != c.want.DataDir || got.JSON != c.want.JSON || got.MaxGaps != c.want.MaxGaps {
				t.Errorf("options = %+v, want %+v", *got, c.want)
			}
		})
	}
}

func seededLake(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	l, err := lake.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	h := func(i int) time.Time { return time.Date(2026, 3, 1, i, 0, 0, 0, time.UTC) }
	var rows []data.BasisRow
	for _, i := range []int{0, 1, 2, 5, 6} {
		rows = append(rows, data.BasisRow{Timestamp: h(i), IndexPrice: 100, FuturesPrice: 100.1, Basis: 0.1, BasisRate: 0.001})
	}
	if _, err := l.MergeBasis(data.BasisKey{Pair: "BTCUSDT", ContractType: data.Perpetual, Period: "1h"}, rows); err != nil {
		t.Fatal(err)
	}
	var funding []data.FundingRow
	for _, i := range []int{0, 8, 16} {
		funding = append(funding, data.FundingRow{FundingTime: h(i).Add(2 * time.Millisecond), FundingRate: 0.0001, RateType: data.Regular})
	}
	if _, err := l.MergeFunding("BTCUSDT", funding); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestStatusTable(t *testing.T) {
	dir := seededLake(t)
	io, _, out, _ := iostreams.Test()
	if err := statusRun(context.Background(), &StatusOptions{IO: io, DataDir: dir, MaxGaps: 5}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"basis    BTCUSDT PERPETUAL 1h  5     2026-03-01 00:00  2026-03-01 06:00  1h       2        1",
		"funding  BTCUSDT               3     2026-03-01 00:00  2026-03-01 16:00  8h       0        0",
		"Gaps in basis BTCUSDT PERPETUAL 1h (2 missing):",
		"2026-03-01T03:00:00Z → 2026-03-01T04:00:00Z  2 missing",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestStatusJSON(t *testing.T) {
	dir := seededLake(t)
	io, _, out, _ := iostreams.Test()
	if err := statusRun(context.Background(), &StatusOptions{IO: io, DataDir: dir, JSON: true}); err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Lake   string
		Series []struct {
			Dataset, Series, Cadence string
			Rows, Missing            int
			Gaps                     []struct {
				From, To string
				Missing  int
			}
		}
	}
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("%v in %s", err, out)
	}
	if rep.Lake != dir || len(rep.Series) != 2 || rep.Series[0].Missing != 2 || rep.Series[0].Gaps[0].From != "2026-03-01T03:00:00Z" || rep.Series[1].Cadence != "8h" {
		t.Errorf("report = %+v", rep)
	}
}

// TestStatusOfAMissingLake: a mistyped --data is exit 1 with one message,
// on stderr in text mode and in the JSON too; nothing is created.
func TestStatusOfAMissingLake(t *testing.T) {
	dir := t.TempDir() + "/typo"
	for _, asJSON := range []bool{false, true} {
		io, _, out, _ := iostreams.Test()
		err := statusRun(context.Background(), &StatusOptions{IO: io, DataDir: dir, JSON: asJSON})
		var noLake *cmdutil.NoLakeError
		if !errors.As(err, &noLake) || cmdutil.ExitCode(err) != cmdutil.ExitError || !strings.Contains(err.Error(), "--data") {
			t.Fatalf("json %v: err %v (exit %d)", asJSON, err, cmdutil.ExitCode(err))
		}
		if asJSON {
			var rep StatusReport
			if jerr := json.Unmarshal(out.Bytes(), &rep); jerr != nil || rep.Error != err.Error() || rep.Series == nil || rep.Lake != dir {
				t.Errorf("JSON %s (%v)", out, jerr)
			}
		} else if out.String() != "Lake: "+dir+"\n" {
			t.Errorf("output %q", out)
		}
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Error("status created the lake directory")
	}
}

// TestStatusOfADamagedSeries: a damaged file is listed with STATUS damaged,
// its path, error and repair command, in text and JSON, and makes the exit
// code 3 while another series reads (1 when none does); the table keeps
// its width.
func TestStatusOfADamagedSeries(t *testing.T) {
	dir := seededLake(t)
	path := filepath.Join(dir, "funding", "symbol=BTCUSDT", "data.parquet")
	os.WriteFile(path, []byte("not parquet"), 0o644)
	io, _, out, _ := iostreams.Test()
	err := statusRun(context.Background(), &StatusOptions{IO: io, DataDir: dir, MaxGaps: 5})
	if cmdutil.ExitCode(err) != cmdutil.ExitPartial || !strings.Contains(err.Error(), path) {
		t.Fatalf("err %v (exit %d), want exit 3 naming %s", err, cmdutil.ExitCode(err), path)
	}
	repair := "carry backfill --symbols BTCUSDT --datasets funding --since max --data " + dir
	for _, want := range []string{"MISSING  GAPS  STATUS", "2        1     ok", "funding  BTCUSDT               -     -", "damaged (see below)",
		"Damaged: funding BTCUSDT", "  file:   " + path, "  error:  not a readable Parquet file", "  repair: " + repair} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	for _, line := range strings.Split(out.String(), "\n") {
		if strings.HasPrefix(line, "funding") && strings.Contains(line, "not a readable") {
			t.Errorf("the error widens the table: %q", line)
		}
	}
	io, _, out, _ = iostreams.Test()
	err = statusRun(context.Background(), &StatusOptions{IO: io, DataDir: dir, JSON: true})
	var rep StatusReport
	if jerr := json.Unmarshal(out.Bytes(), &rep); jerr != nil || cmdutil.ExitCode(err) != cmdutil.ExitPartial || rep.Error != err.Error() {
		t.Fatalf("JSON %s (%v), err %v", out, jerr, err)
	}
	f := rep.Series[1]
	if f.Status != lake.StatusDamaged || f.File != path || !strings.Contains(f.Error, "not a readable Parquet file") || f.Repair != repair || rep.Series[0].Status != lake.StatusOK {
		t.Errorf("JSON series %+v", rep.Series)
	}
	os.WriteFile(filepath.Join(dir, "basis", "pair=BTCUSDT", "contract_type=PERPETUAL", "period=1h", "data.parquet"), nil, 0o644)
	io, _, _, _ = iostreams.Test()
	if err := statusRun(context.Background(), &StatusOptions{IO: io, DataDir: dir}); cmdutil.ExitCode(err) != cmdutil.ExitError {
		t.Errorf("every series damaged: err %v (exit %d), want exit 1", err, cmdutil.ExitCode(err))
	}
}

// TestStatusListsKlines: kline series are listed after basis and funding,
// as dataset klines with their key as text, the interval as cadence and
// the missing candles as gaps, in the table and in the JSON.
func TestStatusListsKlines(t *testing.T) {
	dir := seededLake(t)
	l, err := lake.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	h := func(i int) time.Time { return time.Date(2026, 3, 1, i, 0, 0, 0, time.UTC) }
	candle := func(i int) data.KlineRow {
		return data.KlineRow{OpenTime: h(i), CloseTime: h(i + 1).Add(-time.Millisecond), Open: 100, High: 101, Low: 99, Close: 100.5}
	}
	cont := data.KlineKey{Kind: data.KlineContinuous, Symbol: "BTCUSDT", ContractType: data.CurrentQuarter, Interval: "1h"}
	if _, err := l.MergeKlines(cont, []data.KlineRow{candle(0), candle(1), candle(4)}); err != nil {
		t.Fatal(err)
	}
	io, _, out, _ := iostreams.Test()
	if err := statusRun(context.Background(), &StatusOptions{IO: io, DataDir: dir, MaxGaps: 5}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"klines   continuous BTCUSDT CURRENT_QUARTER 1h  3     2026-03-01 00:00  2026-03-01 04:00  1h       2        1",
		"Gaps in klines continuous BTCUSDT CURRENT_QUARTER 1h (2 missing):",
		"2026-03-01T02:00:00Z → 2026-03-01T03:00:00Z  2 missing",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	io, _, out, _ = iostreams.Test()
	if err := statusRun(context.Background(), &StatusOptions{IO: io, DataDir: dir, JSON: true}); err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Series []map[string]any
	}
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("%v in %s", err, out)
	}
	if len(rep.Series) != 3 {
		t.Fatalf("series = %v, want basis, funding and klines", rep.Series)
	}
	k := rep.Series[2]
	for field, want := range map[string]any{
		"dataset": "klines", "series": "continuous BTCUSDT CURRENT_QUARTER 1h", "kind": "continuous", "symbol": "BTCUSDT",
		"contract_type": "CURRENT_QUARTER", "interval": "1h", "cadence": "1h", "rows": 3.0, "missing": 2.0,
	} {
		if k[field] != want {
			t.Errorf("klines %s = %v, want %v", field, k[field], want)
		}
	}
	for _, other := range rep.Series[:2] {
		if _, ok := other["kind"]; ok {
			t.Errorf("%v has a kind", other)
		}
	}
	// A damaged klines file is reported with a repair that names no
	// command carry does not have.
	os.WriteFile(l.KlinesPath(cont), []byte("not parquet"), 0o644)
	io, _, out, _ = iostreams.Test()
	err = statusRun(context.Background(), &StatusOptions{IO: io, DataDir: dir, MaxGaps: 5})
	if cmdutil.ExitCode(err) != cmdutil.ExitPartial {
		t.Fatalf("err %v (exit %d), want exit 3", err, cmdutil.ExitCode(err))
	}
	for _, want := range []string{"Damaged: klines continuous BTCUSDT CURRENT_QUARTER 1h", "  repair: store the klines continuous BTCUSDT CURRENT_QUARTER 1h from scratch again"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}
