package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/carry-research/carry/backfill/binancesim"
	"github.com/carry-research/carry/data/lake"
)

// badInput is one row of TestBadInput: a run of the real binary and what
// it must do.
type badInput struct {
	name string
	// args, with {lake} replaced by the lake's path and {dir} by the row's
	// directory (the working directory).
	args []string
	env  map[string]string
	// lake is the fixture (lakes_test.go); $CARRY_DATA names it unless it
	// is noLake.
	lake string
	// files are written to the working directory first (grid files).
	files map[string]string
	code  int
	// stdout and stderr must contain these.
	stdout, stderr []string
	// writes: a run that is supposed to work and may write; any other row
	// must leave every file under its directory (the lake, the working
	// directory) byte-identical, modes included, and create nothing.
	writes bool
	// requests is what a backfill row's fake exchange must receive (-1:
	// any number); every backfill row runs one, reached through
	// $CARRY_BINANCE_URL.
	requests int
	check    func(t *testing.T, lake string)
}

// Grid files the sweep rows use.
var grids = map[string]string{
	"g.yaml":          "symbols: [BTCUSDT]\nleverage: [1, 2]\n",
	"nan.yaml":        "symbols: [BTCUSDT]\ncapital: [10000, NaN]\n",
	"big.yaml":        "symbols: [BTCUSDT]\ncapital: 1e400\n",
	"prices.yaml":     "symbols: [BTCUSDT]\nprices: [basis, trades]\n",
	"inf.yaml":        "symbols: [BTCUSDT]\nleverage: .inf\n",
	"range.yaml":      "symbols: [BTCUSDT]\ncapital: {from: 1, to: 1e400, step: 1e399}\n",
	"fee.yaml":        "symbols: [BTCUSDT]\nspot_fee: -0.001\n",
	"hold.yaml":       "symbols: [BTCUSDT]\nmax_hold: [null, NaNd]\n",
	"hold-big.yaml":   "symbols: [BTCUSDT]\nmax_hold: 1e300d\n",
	"riskfree.yaml":   "symbols: [BTCUSDT]\nrisk_free: -Inf\n",
	"lookback.yaml":   "symbols: [BTCUSDT]\nfunding_lookback: -3\n",
	"threshold.yaml":  "symbols: [BTCUSDT]\nfunding_enter: 1e999\nfunding_exit: 0\n",
	"tiny.yaml":       "symbols: [BTCUSDT]\ncapital: 1e-300\n",
	"unknown.yaml":    "symbols: [BTCUSDT]\nleverge: 2\n",
	"nosymbols.yaml":  "leverage: 2\n",
	"invalid.yaml":    "symbols: [BTCUSDT]\nleverage: 300\n",
	"notyaml.yaml":    "symbols: [BTCUSDT\n",
	"badwindow.yaml":  "symbols: [BTCUSDT]\nfrom: soon\n",
	"negrange.yaml":   "symbols: [BTCUSDT]\nslippage: {from: -0.001, to: 0.001, step: 0.001}\n",
	"bigcount.yaml":   "symbols: [BTCUSDT]\nslippage: {from: 0, to: 0.9999, step: 0.0001}\nspot_fee: {from: 0, to: 0.9999, step: 0.0001}\n",
	"lookback-x.yaml": "symbols: [BTCUSDT]\nfunding_lookback: 2.5\n",
}

// usage is what every usage error prints on stderr.
const usage = "Run 'carry --help' or 'carry <command> --help' for usage."

// damagedStatus is what data status prints on stdout for the damaged
// funding file of BTCUSDT.
var damagedStatus = []string{"STATUS", "damaged (see below)", "Damaged: funding BTCUSDT",
	filepath.Join("funding", "symbol=BTCUSDT", "data.parquet"), "repair: carry backfill --symbols BTCUSDT --datasets funding --since max --data "}

func badInputs() []badInput {
	bt := func(args ...string) []string {
		return append([]string{"backtest", "--symbol", "BTCUSDT", "--out", "o"}, args...)
	}
	bf := func(args ...string) []string { return append([]string{"backfill", "--symbols", "BTCUSDT"}, args...) }
	sw := func(args ...string) []string {
		return append([]string{"sweep", "--grid", "g.yaml", "--out", "o"}, args...)
	}
	grid := func(file string) []string { return []string{"sweep", "--grid", file, "--out", "o"} }
	rows := []badInput{
		// The command tree.
		{name: "unknown command", args: []string{"nosuch"}, code: 2, stderr: []string{`unknown command "nosuch" for "carry"`}},
		{name: "unknown subcommand of data", args: []string{"data", "stats"}, code: 2, stderr: []string{`unknown command "stats" for "carry data" (did you mean status?)`}},
		{name: "unknown subcommand of completion", args: []string{"completion", "tcsh"}, code: 2, stderr: []string{`unknown command "tcsh" for "carry completion"`}},
		{name: "unknown subcommand of sweep", args: []string{"sweep", "stats", "--grid", "g.yaml", "--out", "o"}, code: 2, stderr: []string{`unknown command "stats" for "carry sweep"`}},
		{name: "stray argument to data status", args: []string{"data", "status", "extra"}, code: 2, stderr: []string{`unknown command "extra"`}},
		{name: "unknown flag", args: []string{"data", "status", "--bogus"}, code: 2, stderr: []string{"unknown flag: --bogus"}},
		{name: "--symbol on backfill", args: []string{"backfill", "--symbol", "BTCUSDT"}, code: 2, stderr: []string{"unknown flag: --symbol (did you mean --symbols?)"}},
		{name: "--symbols on backtest", args: []string{"backtest", "--symbols", "BTCUSDT", "--out", "o"}, code: 2, stderr: []string{"unknown flag: --symbols (did you mean --symbol?)"}},
		{name: "--grids on sweep", args: []string{"sweep", "--grids", "g.yaml"}, code: 2, stderr: []string{"(did you mean --grid?)"}},
		{name: "--lmit on funding", args: []string{"funding", "--lmit", "5"}, code: 2, stderr: []string{"(did you mean --limit?)"}},
		{name: "--log-levl", args: []string{"--log-levl", "debug", "data", "status"}, code: 2, stderr: []string{"(did you mean --log-level?)"}},
		{name: "bad --log-level", args: []string{"--log-level", "loud", "data", "status"}, code: 2, stderr: []string{"invalid --log-level"}},
		{name: "flag without its value", args: []string{"backfill", "--symbols"}, code: 2, stderr: []string{"flag needs an argument: --symbols"}},
		{name: "int flag overflowing", args: bf("--concurrency", "99999999999999999999"), code: 2, stderr: []string{`invalid argument "99999999999999999999" for "--concurrency"`}},

		// carry backfill: every flag checked before any request.
		{name: "backfill without --symbols", args: []string{"backfill"}, code: 2, stderr: []string{"--symbols is required"}},
		{name: "backfill bad symbol", args: []string{"backfill", "--symbols", "BTC-USDT"}, code: 2, stderr: []string{`--symbols: invalid symbol "BTC-USDT"`}},
		{name: "backfill bad dataset", args: bf("--datasets", "candles"), code: 2, stderr: []string{`--datasets: unknown dataset "candles"`}},
		{name: "backfill bad kline kind", args: bf("--datasets", "klines", "--kinds", "futures,perp"), code: 2, stderr: []string{`--kinds: invalid kline kind "perp"`}},
		{name: "backfill no kline kind", args: bf("--datasets", "klines", "--kinds", ","), code: 2, stderr: []string{"--kinds and --intervals need at least one value"}},
		{name: "backfill bad interval", args: bf("--datasets", "klines", "--intervals", "1w"), code: 2, stderr: []string{`--intervals: invalid kline interval "1w"`}},
		{name: "backfill bad interval without klines", args: bf("--intervals", "7m"), code: 2, stderr: []string{`--intervals: invalid kline interval "7m"`}},
		{name: "backfill bad source", args: bf("--source", "s3"), code: 2, stderr: []string{`--source: invalid source "s3": want auto, rest or archive`}},
		{name: "backfill bad --archive-url", args: bf("--datasets", "klines", "--archive-url", "data.binance.vision"), code: 2, stderr: []string{`--archive-url: invalid URL "data.binance.vision"`}},
		{name: "backfill bad --archive-list-url", args: []string{"backfill", "--symbols", "all-history", "--archive-list-url", "s3-ap-northeast-1.amazonaws.com/data.binance.vision"}, code: 2, stderr: []string{`--archive-list-url: invalid URL "s3-ap-northeast-1.amazonaws.com/data.binance.vision"`}},
		{name: "backfill all-history among symbols", args: []string{"backfill", "--symbols", "BTCUSDT,all-history"}, code: 2, stderr: []string{"--symbols: all-history stands alone"}},
		{name: "backfill bad --spot-base-url", args: bf("--datasets", "klines", "--spot-base-url", "api.binance.com"), code: 2, stderr: []string{"--spot-base-url: invalid base URL"}},
		{name: "backfill continuous without contract types", args: bf("--datasets", "klines", "--kinds", "continuous", "--contract-types", ","), code: 2, stderr: []string{"--contract-types needs at least one value for continuous klines"}},
		{name: "backfill no dataset", args: bf("--datasets", ","), code: 2, stderr: []string{"--datasets: name at least one"}},
		{name: "backfill bad period", args: bf("--periods", "7m"), code: 2, stderr: []string{`--periods: invalid period "7m"`}},
		{name: "backfill bad contract type", args: bf("--contract-types", "WEEKLY"), code: 2, stderr: []string{`--contract-types: invalid contract type "WEEKLY"`}},
		{name: "backfill bad --since", args: bf("--since", "yesterday"), code: 2, stderr: []string{`--since: invalid time "yesterday"`}},
		{name: "backfill empty --since", args: bf("--since", ""), code: 2, stderr: []string{"--since: empty time"}},
		{name: "backfill --since after --until", args: bf("--since", "2024-02-01", "--until", "2024-01-01"), code: 2, stderr: []string{"--since 2024-02-01T00:00:00Z must be before --until"}},
		{name: "backfill --since year 1900", args: bf("--since", "1900-01-01"), code: 2, stderr: []string{"--since 1900-01-01 is before 2017-01-01"}},
		{name: "backfill --since 1900 to 1901", args: bf("--since", "1900-01-01", "--until", "1901-01-01"), code: 2, stderr: []string{"--since 1900-01-01 is before 2017-01-01"}},
		{name: "backfill --since 2016", args: bf("--since", "2016-12-31T23:59:59Z"), code: 2, stderr: []string{"is before 2017-01-01"}},
		{name: "backfill --since 292 years ahead", args: bf("--since", "2318-01-01"), code: 2, stderr: []string{"--since 2318-01-01 is in the future"}},
		{name: "backfill --until 292 years ahead", args: bf("--until", "2318-01-01"), code: 2, stderr: []string{"--until 2318-01-01 is in the future"}},
		{name: "backfill --until year 1900", args: bf("--until", "1900-01-01"), code: 2, stderr: []string{"--until 1900-01-01 is before 2017-01-01"}},
		{name: "backfill --since overflowing days", args: bf("--since", "213504d"), code: 2, stderr: []string{"--since 213504d (17", "is before 2017-01-01"}},
		{name: "backfill --since beyond a duration", args: bf("--since", "106752d"), code: 2, stderr: []string{"is before 2017-01-01"}},
		{name: "backfill --since beyond int", args: bf("--since", "99999999999999999999d"), code: 2, stderr: []string{"--since: invalid time"}},
		{name: "backfill --since negative", args: bf("--since", "-5d"), code: 2, stderr: []string{"must be positive"}},
		{name: "backfill --concurrency 0", args: bf("--concurrency", "0"), code: 2, stderr: []string{"--concurrency 0: want 1 to 32"}},
		{name: "backfill --concurrency 33", args: bf("--concurrency", "33"), code: 2, stderr: []string{"--concurrency 33"}},
		{name: "backfill --max-attempts 0", args: bf("--max-attempts", "0"), code: 2, stderr: []string{"--max-attempts 0"}},
		{name: "backfill --max-attempts -1", args: bf("--max-attempts", "-1"), code: 2, stderr: []string{"--max-attempts -1"}},
		{name: "backfill bad --base-url", args: bf("--base-url", "fapi.binance.com"), code: 2, stderr: []string{"--base-url: invalid base URL"}},
		{name: "backfill bad periods without basis", args: bf("--periods", ",", "--datasets", "basis"), code: 2, stderr: []string{"--periods and --contract-types need at least one value"}},

		// carry backtest: every numeric flag finite and in range at parse.
		{name: "backtest without --symbol", args: []string{"backtest", "--out", "o"}, code: 2, stderr: []string{"--symbol is required"}},
		{name: "backtest without --out", args: []string{"backtest", "--symbol", "BTCUSDT"}, code: 2, stderr: []string{"--out is required"}},
		{name: "backtest bad period", args: bt("--period", "2m"), code: 2, stderr: []string{"--period"}},
		{name: "backtest bad contract", args: bt("--contract", "WEEKLY"), code: 2, stderr: []string{"--contract"}},
		{name: "backtest bad --prices", args: bt("--prices", "trades"), code: 2, stderr: []string{`--prices: invalid price source "trades": want basis, klines or auto`}},
		{name: "backtest bad --spot", args: bt("--spot", "mark"), code: 2, stderr: []string{`--spot: invalid spot source "mark": want index or spot`}},
		{name: "backtest --spot spot on the basis", args: bt("--prices", "basis", "--spot", "spot"), code: 2, stderr: []string{"--spot spot with --prices basis", "needs klines prices"}},
		{name: "backtest bad symbol", args: []string{"backtest", "--symbol", "BTC/USDT", "--out", "o"}, code: 2, stderr: []string{"--symbol: invalid symbol"}},
		{name: "backtest fee not a number", args: bt("--spot-fee", "cheap"), code: 2, stderr: []string{`--spot-fee "cheap": not a number`}},
		{name: "backtest half a rule", args: bt("--basis-enter", "5%"), code: 2, stderr: []string{"basis rule: set both"}},
		{name: "backtest liquidating leverage", args: bt("--leverage", "500"), code: 2, stderr: []string{"leverage 500"}},
		{name: "backtest window backwards", args: bt("--from", "2026-02-01", "--to", "2026-01-01"), code: 2, stderr: []string{"--from"}},
		{name: "backtest chart format", args: bt("--chart-format", "jpg"), code: 2, stderr: []string{"--chart-format"}},
		{name: "backtest max hold not a duration", args: bt("--max-hold", "forever"), code: 2, stderr: []string{"--max-hold"}},
		{name: "backtest --capital 1e400", args: bt("--capital", "1e400"), code: 2, stderr: []string{`--capital "1e400": not a finite number`}},
		{name: "backtest --capital NaN", args: bt("--capital", "NaN"), code: 2, stderr: []string{`--capital "NaN": not a finite number`}},
		{name: "backtest --capital Inf", args: bt("--capital", "Inf"), code: 2, stderr: []string{`--capital "Inf"`}},
		{name: "backtest --capital -Infinity", args: bt("--capital", "-Infinity"), code: 2, stderr: []string{`--capital "-Infinity"`}},
		{name: "backtest --capital negative", args: bt("--capital", "-5"), code: 2, stderr: []string{`--capital "-5": want a capital from 1 to 1e15 USDT`}},
		{name: "backtest --capital 0", args: bt("--capital", "0"), code: 2, stderr: []string{`--capital "0"`}},
		{name: "backtest --capital 1e-300", args: bt("--capital", "1e-300"), code: 2, stderr: []string{`--capital "1e-300"`}},
		{name: "backtest --capital 1e16", args: bt("--capital", "1e16"), code: 2, stderr: []string{`--capital "1e16"`}},
		{name: "backtest --leverage 1e-20", args: bt("--leverage", "1e-20"), code: 2, stderr: []string{`--leverage "1e-20": want a leverage from 0.01 to 1000`}},
		{name: "backtest --leverage NaN", args: bt("--leverage", "NaN"), code: 2, stderr: []string{`--leverage "NaN"`}},
		{name: "backtest --leverage 1e300", args: bt("--leverage", "1e300", "--maintenance", "0"), code: 2, stderr: []string{`--leverage "1e300"`}},
		{name: "backtest --spot-fee negative", args: bt("--spot-fee", "-0.1%"), code: 2, stderr: []string{`--spot-fee "-0.1%": want a fee rate ≥ 0`}},
		{name: "backtest --perp-fee 1e400", args: bt("--perp-fee", "1e400"), code: 2, stderr: []string{`--perp-fee "1e400"`}},
		{name: "backtest --slippage negative", args: bt("--slippage", "-0.0001"), code: 2, stderr: []string{`--slippage "-0.0001"`}},
		{name: "backtest --slippage 1e-400", args: bt("--slippage", "1e-400"), code: 2, stderr: []string{`--slippage "1e-400": too close to 0`}},
		{name: "backtest --maintenance negative", args: bt("--maintenance", "-1"), code: 2, stderr: []string{`--maintenance "-1"`}},
		{name: "backtest --rebalance-below negative", args: bt("--rebalance-below", "-0.1"), code: 2, stderr: []string{`--rebalance-below "-0.1"`}},
		{name: "backtest --funding-enter NaN", args: bt("--funding-enter", "NaN", "--funding-exit", "0"), code: 2, stderr: []string{`--funding-enter "NaN"`}},
		{name: "backtest --funding-enter 1e400", args: bt("--funding-enter", "1e400", "--funding-exit", "0"), code: 2, stderr: []string{`--funding-enter "1e400"`}},
		{name: "backtest --basis-exit -Inf", args: bt("--basis-enter", "0.1", "--basis-exit", "-Inf"), code: 2, stderr: []string{`--basis-exit "-Inf"`}},
		{name: "backtest --basis-enter 1e300", args: bt("--basis-enter", "1e300", "--basis-exit", "0"), code: 2, stderr: []string{"beyond ±1e18"}},
		{name: "backtest --risk-free 1e400", args: bt("--risk-free", "1e400"), code: 2, stderr: []string{`--risk-free "1e400"`}},
		{name: "backtest --risk-free -200%", args: bt("--risk-free", "-200%"), code: 2, stderr: []string{`--risk-free "-200%": want an annual rate from -99% to 1000%`}},
		{name: "backtest --risk-free NaN%", args: bt("--risk-free", "NaN%"), code: 2, stderr: []string{`--risk-free "NaN%"`}},
		{name: "backtest --max-hold NaNd", args: bt("--max-hold", "NaNd"), code: 2, stderr: []string{`--max-hold "NaNd"`}},
		{name: "backtest --max-hold 1e300d", args: bt("--max-hold", "1e300d"), code: 2, stderr: []string{`--max-hold "1e300d"`}},
		{name: "backtest --max-hold 200000d", args: bt("--max-hold", "200000d"), code: 2, stderr: []string{`--max-hold "200000d": want a holding time from 0 to 106751d`}},
		{name: "backtest --max-hold negative", args: bt("--max-hold", "-72h"), code: 2, stderr: []string{`--max-hold "-72h"`}},
		{name: "backtest --funding-lookback -1", args: bt("--funding-lookback", "-1"), code: 2, stderr: []string{"--funding-lookback -1"}},
		{name: "backtest --funding-lookback 0", args: bt("--funding-lookback", "0"), code: 2, stderr: []string{"--funding-lookback 0: want at least 1"}},
		{name: "backtest --on-delivery hold", args: bt("--on-delivery", "hold"), code: 2, stderr: []string{`on-delivery "hold"`}},

		// carry sweep: flags and grid fields checked before anything is
		// computed or written (no --out directory appears).
		{name: "sweep without --grid", args: []string{"sweep", "--out", "o"}, code: 2, stderr: []string{"--grid is required"}},
		{name: "sweep without --out", args: []string{"sweep", "--grid", "g.yaml"}, code: 2, stderr: []string{"--out is required"}},
		{name: "sweep bad --shard", args: sw("--shard", "8/8"), code: 2, stderr: []string{"--shard"}},
		{name: "sweep --shards without an index", args: sw("--shards", "4"), code: 2, stderr: []string{"JOB_COMPLETION_INDEX"}},
		{name: "sweep index out of range", args: sw("--shards", "4"), env: map[string]string{"JOB_COMPLETION_INDEX": "4"}, code: 2, stderr: []string{"JOB_COMPLETION_INDEX"}},
		{name: "sweep --shards negative", args: sw("--shards", "-2"), code: 2, stderr: []string{"--shards -2: want 1 or more"}},
		{name: "sweep --workers negative", args: sw("--workers", "-1"), code: 2, stderr: []string{"--workers -1"}},
		{name: "sweep --split 1.5", args: sw("--split", "1.5"), code: 2, stderr: []string{"--split 1.5"}},
		{name: "sweep --split NaN", args: sw("--split", "NaN"), code: 2, stderr: []string{"--split NaN: want a fraction in (0, 1) or a date"}},
		{name: "sweep --split Inf", args: sw("--split", "Inf"), code: 2, stderr: []string{"--split +Inf"}},
		{name: "sweep --split -0.5", args: sw("--split", "-0.5"), code: 2, stderr: []string{"--split -0.5"}},
		{name: "sweep --split 0.0001", lake: validLake, args: sw("--split", "0.0001"), code: 2, stderr: []string{"--split: 0.0001 leaves 1 grid points in-sample and 719 out-of-sample of BTCUSDT PERPETUAL 1h"}},
		{name: "sweep --split 0.9999", lake: validLake, args: sw("--split", "0.9999"), code: 2, stderr: []string{"--split: 0.9999 leaves 719 grid points in-sample and 1 out-of-sample"}},
		{name: "sweep --split after the data", lake: validLake, args: sw("--split", "2026-06-01"), code: 2, stderr: []string{"--split: 2026-06-01T00:00:00Z leaves 720 grid points in-sample and 0 out-of-sample"}},
		{name: "sweep --split not a split", args: sw("--split", "soon"), code: 2, stderr: []string{`--split "soon"`}},
		{name: "sweep --metric unknown", args: sw("--metric", "unknown"), code: 2, stderr: []string{`--metric "unknown": want a numeric column of results.csv`, "sharpe"}},
		{name: "sweep --metric not numeric", args: sw("--metric", "symbol"), code: 2, stderr: []string{`--metric "symbol"`}},
		{name: "sweep --heatmap unknown", args: sw("--heatmap", "unknown"), code: 2, stderr: []string{`--heatmap "unknown"`}},
		{name: "sweep --heatmap unknown axis", args: sw("--heatmap", "unknown,leverage"), code: 2, stderr: []string{`--heatmap "unknown,leverage": want two grid parameters`}},
		{name: "sweep --heatmap one axis twice", args: sw("--heatmap", "leverage,leverage"), code: 2, stderr: []string{"want two different grid parameters"}},
		{name: "sweep --top -1", args: sw("--top", "-1"), code: 2, stderr: []string{"--top -1: want 1 or more rows"}},
		{name: "sweep --top 0", args: sw("--top", "0"), code: 2, stderr: []string{"--top 0"}},
		{name: "sweep --aggregate mean", args: sw("--aggregate", "mean"), code: 2, stderr: []string{`--aggregate "mean"`}},
		{name: "sweep --chart-format gif", args: sw("--chart-format", "gif"), code: 2, stderr: []string{`--chart-format "gif"`}},
		{name: "sweep grid missing", args: grid("nosuch.yaml"), code: 2, stderr: []string{"reading the grid nosuch.yaml"}},
		{name: "sweep grid not YAML", args: grid("notyaml.yaml"), code: 2, stderr: []string{"notyaml.yaml: grid:"}},
		{name: "sweep grid unknown field", args: grid("unknown.yaml"), code: 2, stderr: []string{"field leverge not found"}},
		{name: "sweep grid without symbols", args: grid("nosymbols.yaml"), code: 2, stderr: []string{"symbols is required"}},
		{name: "sweep grid capital NaN", args: grid("nan.yaml"), code: 2, stderr: []string{`nan.yaml: grid: capital "NaN": not a finite number`}},
		{name: "sweep grid bad prices", args: grid("prices.yaml"), code: 2, stderr: []string{`prices.yaml: grid: prices: invalid price source "trades"`}},
		{name: "sweep grid capital 1e400", args: grid("big.yaml"), code: 2, stderr: []string{`capital "1e400": not a finite number`}},
		{name: "sweep grid leverage .inf", args: grid("inf.yaml"), code: 2, stderr: []string{`leverage ".inf": not a finite number`}},
		{name: "sweep grid range to 1e400", args: grid("range.yaml"), code: 2, stderr: []string{"range.yaml: grid: capital", "not a finite number"}},
		{name: "sweep grid negative fee", args: grid("fee.yaml"), code: 2, stderr: []string{`spot_fee "-0.001": want a fee rate ≥ 0`}},
		{name: "sweep grid negative range", args: grid("negrange.yaml"), code: 2, stderr: []string{`slippage "-0.001"`}},
		{name: "sweep grid max_hold NaNd", args: grid("hold.yaml"), code: 2, stderr: []string{`max_hold "NaNd"`}},
		{name: "sweep grid max_hold 1e300d", args: grid("hold-big.yaml"), code: 2, stderr: []string{`max_hold "1e300d": want a holding time`}},
		{name: "sweep grid risk_free -Inf", args: grid("riskfree.yaml"), code: 2, stderr: []string{`risk_free "-Inf"`}},
		{name: "sweep grid funding_lookback -3", args: grid("lookback.yaml"), code: 2, stderr: []string{`funding_lookback "-3"`}},
		{name: "sweep grid funding_lookback 2.5", args: grid("lookback-x.yaml"), code: 2, stderr: []string{`funding_lookback "2.5": want a whole number`}},
		{name: "sweep grid threshold 1e999", args: grid("threshold.yaml"), code: 2, stderr: []string{`funding_enter "1e999"`}},
		{name: "sweep grid capital 1e-300", args: grid("tiny.yaml"), code: 2, stderr: []string{`capital "1e-300": want a capital from 1 to 1e15 USDT`}},
		{name: "sweep grid bad window", args: grid("badwindow.yaml"), code: 2, stderr: []string{"grid from"}},
		{name: "sweep grid with no valid combination", args: grid("invalid.yaml"), code: 2, stderr: []string{"has no valid combination"}},
		{name: "sweep grid too big", args: grid("bigcount.yaml"), code: 2, stderr: []string{"more than 5,000,000 combinations"}},
		{name: "sweep on a missing lake", lake: missingLake, args: sw(), code: 1, stderr: []string{"no lake at"}},
		{name: "sweep merge without --out", args: []string{"sweep", "merge", "a"}, code: 2, stderr: []string{"--out is required"}},
		{name: "sweep merge without dirs", args: []string{"sweep", "merge", "--out", "o"}, code: 2, stderr: []string{"requires at least 1 arg"}},
		{name: "sweep merge --metric unknown", args: []string{"sweep", "merge", "a", "--out", "o", "--metric", "unknown"}, code: 2, stderr: []string{`--metric "unknown"`}},
		{name: "sweep merge --top -1", args: []string{"sweep", "merge", "a", "--out", "o", "--top", "-1"}, code: 2, stderr: []string{"--top -1"}},

		// carry data compare-basis: flags checked before the lake is read;
		// nothing to compare is exit 1, naming the backfill to run.
		{name: "compare-basis --spot mark", lake: validLake, args: []string{"data", "compare-basis", "--spot", "mark"}, code: 2, stderr: []string{`--spot "mark": want index or spot`}},
		{name: "compare-basis --periods 1w", lake: validLake, args: []string{"data", "compare-basis", "--periods", "1w"}, code: 2, stderr: []string{"--periods: invalid period \"1w\""}},
		{name: "compare-basis --symbols BTC/USDT", lake: validLake, args: []string{"data", "compare-basis", "--symbols", "BTC/USDT"}, code: 2, stderr: []string{"--symbols: invalid symbol"}},
		{name: "compare-basis stray argument", lake: validLake, args: []string{"data", "compare-basis", "BTCUSDT"}, code: 2, stderr: []string{`unknown command "BTCUSDT"`}},
		{name: "compare-basis without klines", lake: validLake, args: []string{"data", "compare-basis"}, code: 1,
			stdout: []string{"Not compared, klines missing:", "fetch: carry backfill --datasets klines --kinds futures,index --intervals 1h --symbols BTCUSDT --data "},
			stderr: []string{"no basis series could be compared with klines: fetch the klines listed above"}},
		{name: "compare-basis of a missing lake, JSON", lake: missingLake, args: []string{"data", "compare-basis", "--json"}, code: 1,
			stdout: []string{`"error": "no lake at `, `"series": []`}, stderr: []string{"no lake at "}},
		// carry data status: a missing lake and damaged files are failures.
		{name: "status --max-gaps negative", args: []string{"data", "status", "--max-gaps", "-1"}, code: 2, stderr: []string{"--max-gaps"}},
		{name: "status of a missing lake", lake: missingLake, args: []string{"data", "status"}, code: 1, stdout: []string{"Lake: "}, stderr: []string{"no lake at ", "(no such directory): check --data or $CARRY_DATA"}},
		{name: "status of a missing lake, JSON", lake: missingLake, args: []string{"data", "status", "--json"}, code: 1,
			stdout: []string{`"error": "no lake at `, `"series": []`}, stderr: []string{"no lake at "}},
		{name: "status of no lake at the default path", args: []string{"data", "status"}, code: 1, stderr: []string{"no lake at ", filepath.Join(".local", "share", "carry", "lake")}},
		{name: "status of a lake that is a file", lake: fileLake, args: []string{"data", "status"}, code: 1, stderr: []string{"is a file, not a directory"}},
		{name: "status of a valid lake", lake: validLake, args: []string{"data", "status"}, code: 0, stdout: []string{"STATUS", "funding  BTCUSDT", "ok"}},
		{name: "status of a valid lake, JSON", lake: validLake, args: []string{"data", "status", "--json"}, code: 0, stdout: []string{`"status": "ok"`, `"set_aside": []`}},
		{name: "status of a lake with every file damaged", lake: allDamaged, args: []string{"data", "status"}, code: 1, stdout: []string{"Damaged: basis BTCUSDT PERPETUAL 1h", "Damaged: funding ETHUSDT"}, stderr: []string{"is damaged"}},
		{name: "status of a damaged lake, JSON", lake: "damaged:truncated", args: []string{"data", "status", "--json"}, code: 3,
			stdout: []string{`"status": "damaged"`, `"error": "not a readable Parquet file`, `"repair": "carry backfill --symbols BTCUSDT --datasets funding --since max --data `, `"error": "1 of 4 failed`},
			stderr: []string{"1 of 4 failed: funding BTCUSDT is damaged"}},
		{name: "status of an unreadable file", lake: "damaged:unreadable", args: []string{"data", "status"}, code: 3,
			stdout: []string{"unreadable (see below)", "too many levels of symbolic links", "repair: make the file readable"}, stderr: []string{"funding BTCUSDT is unreadable"}},

		// carry funding and carry basis.
		{name: "funding on a missing lake", lake: missingLake, args: []string{"funding"}, code: 1, stderr: []string{"no lake at "}},
		{name: "funding --json on a missing lake", lake: missingLake, args: []string{"funding", "--json"}, code: 1, stderr: []string{"no lake at "}},
		{name: "basis on a missing lake", lake: missingLake, args: []string{"basis"}, code: 1, stderr: []string{"no lake at "}},
		{name: "basis --json on a missing lake", lake: missingLake, args: []string{"basis", "--json"}, code: 1, stderr: []string{"no lake at "}},
		{name: "funding on a valid lake", lake: validLake, args: []string{"funding"}, code: 0, stdout: []string{"BTCUSDT", "ETHUSDT"}},
		{name: "basis on a valid lake", lake: validLake, args: []string{"basis"}, code: 0, stdout: []string{"BTC", "ETH"}},
		{name: "funding on a damaged lake", lake: "damaged:junk", args: []string{"funding"}, code: 1, stderr: []string{"funding BTCUSDT: damaged series file", filepath.Join("symbol=BTCUSDT", "data.parquet")}},
		{name: "funding with the estimate's basis file damaged", lake: basisDamaged, args: []string{"funding"}, code: 1,
			stderr: []string{"next-rate estimate of BTCUSDT", filepath.Join("period=1h", "data.parquet")}},
		{name: "one rate with the estimate's basis file damaged, JSON", lake: basisDamaged, args: []string{"funding", "BTCUSDT", "--json"}, code: 1,
			stderr: []string{"next-rate estimate of BTCUSDT"}},
		{name: "funding --limit 0", args: []string{"funding", "BTCUSDT", "--history", "--limit", "0"}, code: 2, stderr: []string{"--limit 0"}},
		{name: "funding --limit 1001", args: []string{"funding", "--limit", "1001"}, code: 2, stderr: []string{"--limit 1001"}},
		{name: "funding --history without a symbol", args: []string{"funding", "--history"}, code: 2, stderr: []string{"--history needs a SYMBOL"}},
		{name: "funding bad symbol", args: []string{"funding", "BTC-USDT"}, code: 2, stderr: []string{"SYMBOL: invalid symbol"}},
		{name: "funding two symbols", args: []string{"funding", "BTCUSDT", "ETHUSDT"}, code: 2, stderr: []string{"accepts at most 1 arg"}},
		{name: "basis stray argument", args: []string{"basis", "BTC"}, code: 2, stderr: []string{`unknown command "BTC" for "carry basis"`}},

		// carry backtest reading the lake.
		{name: "backtest on a missing lake", lake: missingLake, args: bt(), code: 1, stderr: []string{"no lake at "}},
		{name: "backtest on a damaged lake", lake: "damaged:swapped", args: bt(), code: 1, stderr: []string{"damaged series file", "its footer says it holds the basis dataset, not funding"}},

		// carry simulate-market and carry demo.
		{name: "simulate --days 1", args: []string{"simulate-market", "--days", "1"}, code: 2, stderr: []string{"--days 1"}},
		{name: "simulate --rally NaN", args: []string{"simulate-market", "--rally", "NaN"}, code: 2, stderr: []string{"--rally NaN"}},
		{name: "simulate --rally 1e400", args: []string{"simulate-market", "--rally", "1e400"}, code: 2, stderr: []string{`invalid argument "1e400" for "--rally"`}},
		{name: "simulate --rally -1", args: []string{"simulate-market", "--rally", "-1"}, code: 2, stderr: []string{"--rally -1"}},
		{name: "simulate --switch-at NaN", args: []string{"simulate-market", "--switch-at", "NaN"}, code: 2, stderr: []string{"--switch-at NaN"}},
		{name: "simulate --switch-at 1", args: []string{"simulate-market", "--switch-at", "1"}, code: 2, stderr: []string{"--switch-at 1"}},
		{name: "simulate --seed -1", args: []string{"simulate-market", "--seed", "-1"}, code: 2, stderr: []string{`invalid argument "-1" for "--seed"`}},
		{name: "simulate --end not a time", args: []string{"simulate-market", "--end", "later"}, code: 2, stderr: []string{"--end: invalid time"}},
		{name: "simulate --serve off loopback", args: []string{"simulate-market", "--serve", "0.0.0.0:0"}, code: 2, stderr: []string{"loopback only"}},
		{name: "simulate --years -1", args: []string{"simulate-market", "--years", "-1"}, code: 2, stderr: []string{"--years -1"}},
		{name: "demo --years 0", args: []string{"demo", "--years", "0"}, code: 2, stderr: []string{"--years 0: want 1 to 5"}},
		{name: "demo --days 10", args: []string{"demo", "--days", "10"}, code: 2, stderr: []string{"--days 10: want 30 to 365"}},

		// A damaged partition is rebuilt by the backfill the status names:
		// the damaged file is set aside (its bytes kept), the series fetched
		// again from scratch.
		{name: "backfill rebuilds a damaged funding file", lake: "damaged:truncated", args: bf("--datasets", "funding", "--since", "max", "--no-progress"),
			code: 0, writes: true, requests: -1, stdout: []string{"funding BTCUSDT", "ok"}, stderr: []string{"set a damaged series file aside", "_data.parquet.damaged-"},
			check: checkRebuilt},
	}
	// Backtests and sweeps get the valid lake unless a row says otherwise:
	// bad input is refused before the lake is read, whatever it holds.
	for i := range rows {
		if (rows[i].args[0] == "backtest" || rows[i].args[0] == "sweep") && rows[i].lake == noLake {
			rows[i].lake = validLake
		}
	}
	for kind := range damageKinds {
		if kind == "unreadable" {
			continue
		}
		rows = append(rows, badInput{name: "status of a damaged lake: " + kind, lake: "damaged:" + kind, args: []string{"data", "status"}, code: 3,
			stdout: damagedStatus, stderr: []string{"1 of 4 failed: funding BTCUSDT is damaged"}})
	}
	return rows
}

// checkRebuilt: after the backfill, the damaged file sits beside the new
// one under a name no reader lists, with the damaged bytes, and the series
// reads.
func checkRebuilt(t *testing.T, root string) {
	dir := filepath.Join(root, "funding", "symbol=BTCUSDT")
	aside, _ := filepath.Glob(filepath.Join(dir, "_data.parquet.damaged-*"))
	if len(aside) != 1 {
		t.Fatalf("set aside: %v", aside)
	}
	if got := readFile(t, aside[0]); len(got) == 0 || bytes.HasSuffix(got, []byte("PAR1")) {
		t.Errorf("the set-aside file holds %d bytes, not the truncated file", len(got))
	}
	l, err := lake.Open(root)
	if err != nil {
		t.Fatal(err)
	}
	if s, err := l.ReadFunding("BTCUSDT"); err != nil || len(s.Rows) == 0 {
		t.Errorf("the rebuilt series: %d rows, %v", len(s.Rows), err)
	}
	st, _ := l.Status()
	for _, s := range st {
		if s.Failed() {
			t.Errorf("%s %s still %s", s.Dataset, s.Series, s.Status)
		}
	}
}

// TestBadInput runs the real binary on every row of badInputs: its exit
// code, stdout and stderr, no panic, the files under the row's directory
// byte-identical unless the row writes, and no request to the exchange for
// refused input. A new flag gets a row here.
func TestBadInput(t *testing.T) {
	bin := carryBinary(t)
	valid := t.TempDir()
	if err := buildValidLake(valid); err != nil {
		t.Fatal(err)
	}
	market := badInputMarket()
	for _, row := range badInputs() {
		t.Run(row.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			lake := makeLake(t, valid, dir, row.lake)
			for name, text := range grids {
				writeFile(t, filepath.Join(dir, name), []byte(text))
			}
			for name, text := range row.files {
				writeFile(t, filepath.Join(dir, name), []byte(text))
			}
			env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + filepath.Join(dir, "home"), "TZ=UTC"}
			if row.lake != noLake {
				env = append(env, "CARRY_DATA="+lake)
			}
			var srv *binancesim.Server
			if row.args[0] == "backfill" {
				srv = binancesim.NewServer(market, binancesim.Options{})
				defer srv.Close()
				env = append(env, "CARRY_BINANCE_URL="+srv.URL)
			}
			for k, v := range row.env {
				env = append(env, k+"="+v)
			}
			args := make([]string, len(row.args))
			for i, a := range row.args {
				args[i] = strings.NewReplacer("{lake}", lake, "{dir}", dir).Replace(a)
			}
			before := takeSnapshot(t, dir)
			code, stdout, stderr := run(t, bin, dir, env, args)
			if code != row.code {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, row.code, stdout, stderr)
			}
			for _, want := range row.stdout {
				if !strings.Contains(stdout, want) {
					t.Errorf("stdout lacks %q:\n%s", want, stdout)
				}
			}
			for _, want := range row.stderr {
				if !strings.Contains(stderr, want) {
					t.Errorf("stderr lacks %q:\n%s", want, stderr)
				}
			}
			if strings.Contains(stderr, "panic") || strings.Contains(stderr, "goroutine ") {
				t.Errorf("carry panicked:\n%s", stderr)
			}
			if code == 2 {
				if stdout != "" {
					t.Errorf("a usage error printed on stdout: %s", stdout)
				}
				if !strings.Contains(stderr, usage) {
					t.Errorf("a usage error without the usage hint:\n%s", stderr)
				}
			}
			if !row.writes {
				if d := before.diff(takeSnapshot(t, dir)); len(d) > 0 {
					t.Errorf("the run changed files: %v", d)
				}
			}
			if srv != nil && row.requests >= 0 {
				if n := srv.CountRequests(""); n != row.requests {
					t.Errorf("the exchange received %d requests, want %d", n, row.requests)
				}
			}
			if row.check != nil {
				row.check(t, lake)
			}
		})
	}
}

// badInputMarket serves BTCUSDT's funding for the last 40 days.
func badInputMarket() *binancesim.Market {
	now := time.Now()
	from := now.Add(-40 * 24 * time.Hour)
	m := binancesim.NewMarket()
	m.AddContract(binancesim.Contract{Symbol: "BTCUSDT", OnboardDate: now.Add(-41 * 24 * time.Hour).UnixMilli()})
	m.GenerateFunding("BTCUSDT", 8, from, now, from, 3)
	return m
}

// run starts the binary in dir with exactly env and returns its exit code
// and output.
func run(t *testing.T, bin, dir string, env, args []string) (int, string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir, cmd.Env = dir, env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		return exit.ExitCode(), stdout.String(), stderr.String()
	case err != nil:
		t.Fatalf("running carry %v: %v", args, err)
	}
	return 0, stdout.String(), stderr.String()
}
