package backfillcmd

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/carry-research/carry/backfill"
	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/data/lake"
	"github.com/carry-research/carry/internal/cmdutil"
	"github.com/carry-research/carry/internal/iostreams"
)

var now = time.Date(2026, 3, 20, 12, 30, 0, 0, time.UTC)

func testFactory(env map[string]string) *cmdutil.Factory {
	io, _, _, _ := iostreams.Test()
	return &cmdutil.Factory{
		IO: io, Now: func() time.Time { return now }, Getenv: func(k string) string { return env[k] },
		HTTPClient: func() *http.Client { return &http.Client{} },
		Logger:     func() *slog.Logger { return slog.New(slog.DiscardHandler) },
	}
}

func TestBackfillFlags(t *testing.T) {
	cases := []struct {
		name    string
		args    []string
		env     map[string]string
		check   func(*Options) bool
		wantErr string
	}{
		{"defaults", []string{"--symbols", "btcusdt"}, nil, func(o *Options) bool {
			c := o.Config
			return len(c.Symbols) == 1 && c.Symbols[0] == "BTCUSDT" && c.Basis && c.Funding && len(c.Periods) == 1 && c.Periods[0] == "1h" &&
				len(c.ContractTypes) == 3 && c.Since.Equal(time.Date(2019, 9, 1, 0, 0, 0, 0, time.UTC)) && c.Until.Equal(now) &&
				c.Concurrency == 4 && o.BaseURL == "https://fapi.binance.com"
		}, ""},
		{"env base url", []string{"--symbols", "BTCUSDT"}, map[string]string{"CARRY_BINANCE_URL": "http://127.0.0.1:9"}, func(o *Options) bool { return o.BaseURL == "http://127.0.0.1:9" }, ""},
		{"flag beats env", []string{"--symbols", "BTCUSDT", "--base-url", "http://localhost:1"}, map[string]string{"CARRY_BINANCE_URL": "http://127.0.0.1:9"}, func(o *Options) bool { return o.BaseURL == "http://localhost:1" }, ""},
		{"all", []string{"--symbols", "all", "--datasets", "funding", "--since", "30d"}, nil, func(o *Options) bool {
			return o.AllSymbols && !o.Config.Basis && o.Config.Funding && o.Config.Since.Equal(now.Add(-30*24*time.Hour))
		}, ""},
		{"all-history", []string{"--symbols", "All-History", "--since", "2021-01-01"}, nil, func(o *Options) bool {
			return o.AllHistory && !o.AllSymbols && len(o.Config.Symbols) == 0 && o.ListURL == "https://s3-ap-northeast-1.amazonaws.com/data.binance.vision"
		}, ""},
		{"bad archive list url", []string{"--symbols", "all-history", "--archive-list-url", "s3-ap-northeast-1.amazonaws.com"}, nil, nil, `--archive-list-url: invalid URL "s3-ap-northeast-1.amazonaws.com"`},
		{"all in a list", []string{"--symbols", "BTCUSDT,All"}, nil, nil, "--symbols: all stands alone"},
		{"lists", []string{"--symbols", "BTCUSDT, ETHUSDT", "--periods", "5m,1d", "--contract-types", "perpetual,NEXT_QUARTER", "--since", "2024-01-01", "--until", "2024-02-01"}, nil, func(o *Options) bool {
			c := o.Config
			return len(c.Symbols) == 2 && c.Periods[1] == data.Period("1d") && c.ContractTypes[0] == data.Perpetual && c.ContractTypes[1] == data.NextQuarter &&
				c.Since.Equal(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)) && c.Until.Equal(time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC))
		}, ""},
		{"missing symbols", nil, nil, nil, "--symbols is required"},
		{"bad symbol", []string{"--symbols", "BTC-USDT"}, nil, nil, `--symbols: invalid symbol "BTC-USDT"`},
		{"bad dataset", []string{"--symbols", "BTCUSDT", "--datasets", "candles"}, nil, nil, `--datasets: unknown dataset "candles"`},
		{"klines defaults", []string{"--symbols", "BTCUSDT", "--datasets", "klines,funding"}, nil, func(o *Options) bool {
			c := o.Config
			return c.Klines && c.Funding && !c.Basis && c.Source == backfill.SourceAuto && len(c.Intervals) == 1 && c.Intervals[0] == "1h" &&
				len(c.Kinds) == 4 && o.ArchiveURL == "https://data.binance.vision" && o.SpotBaseURL == "https://api.binance.com"
		}, ""},
		{"klines as quoted", []string{"--symbols", "BTCUSDT", "--datasets", "klines,funding", "--kinds", "futures,index,spot,mark", "--intervals", "1h",
			"--since", "2020-01-01", "--source", "rest", "--archive-url", "http://127.0.0.1:8", "--spot-base-url", "http://127.0.0.1:7"}, nil, func(o *Options) bool {
			c := o.Config
			return c.Source == backfill.SourceREST && c.Kinds[2] == data.KlineSpot && o.ArchiveURL == "http://127.0.0.1:8" && o.SpotBaseURL == "http://127.0.0.1:7"
		}, ""},
		{"bad kind", []string{"--symbols", "BTCUSDT", "--datasets", "klines", "--kinds", "perp"}, nil, nil, `--kinds: invalid kline kind "perp"`},
		{"bad interval", []string{"--symbols", "BTCUSDT", "--datasets", "klines", "--intervals", "1w"}, nil, nil, `--intervals: invalid kline interval "1w"`},
		{"bad source", []string{"--symbols", "BTCUSDT", "--source", "s3"}, nil, nil, `--source: invalid source "s3"`},
		{"bad archive url", []string{"--symbols", "BTCUSDT", "--archive-url", "ftp://x"}, nil, nil, `--archive-url: invalid URL "ftp://x"`},
		{"bad spot url", []string{"--symbols", "BTCUSDT", "--spot-base-url", "api.binance.com"}, nil, nil, "--spot-base-url: invalid base URL"},
		{"bad period", []string{"--symbols", "BTCUSDT", "--periods", "7m"}, nil, nil, `--periods: invalid period "7m"`},
		{"bad contract", []string{"--symbols", "BTCUSDT", "--contract-types", "WEEKLY"}, nil, nil, `--contract-types: invalid contract type "WEEKLY"`},
		{"bad since", []string{"--symbols", "BTCUSDT", "--since", "yesterday"}, nil, nil, `--since: invalid time "yesterday"`},
		{"since after until", []string{"--symbols", "BTCUSDT", "--since", "2024-02-01", "--until", "2024-01-01"}, nil, nil, "--since 2024-02-01T00:00:00Z must be before --until"},
		{"bad concurrency", []string{"--symbols", "BTCUSDT", "--concurrency", "0"}, nil, nil, "--concurrency 0"},
		{"bad base url", []string{"--symbols", "BTCUSDT", "--base-url", "fapi.binance.com"}, nil, nil, "--base-url: invalid base URL"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got *Options
			cmd := NewCmdBackfill(testFactory(c.env), func(_ context.Context, o *Options) error { got = o; return nil })
			cmd.SetArgs(c.args)
			cmd.SetOut(&strings.Builder{})
			cmd.SetErr(&strings.Builder{})
			err := cmd.Execute()
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("err = %v, want %q", err, c.wantErr)
				}
				if cmdutil.ExitCode(err) != cmdutil.ExitUsage {
					t.Errorf("exit code %d, want usage", cmdutil.ExitCode(err))
				}
				if got != nil {
					t.Error("the run started despite bad flags")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !c.check(got) {
				t.Errorf("options %+v", got.Config)
			}
		})
	}
}

func TestSummarySaysWhenASeriesHasNoRows(t *testing.T) {
	perp := backfill.Series{Dataset: lake.DatasetBasis, Basis: data.BasisKey{Pair: "SOLUSDT", ContractType: data.Perpetual, Period: "1h"}}
	nq := backfill.Series{Dataset: lake.DatasetBasis, Basis: data.BasisKey{Pair: "SOLUSDT", ContractType: data.NextQuarter, Period: "1h"}}
	results := []backfill.Result{{Series: perp, NewRows: 24, Rows: 24, Requests: 1}, {Series: nq, Requests: 1}}
	var b strings.Builder
	printSummary(&b, results)
	lines := strings.Split(b.String(), "\n")
	if !strings.HasSuffix(strings.TrimSpace(lines[1]), "  ok") || !strings.HasSuffix(strings.TrimSpace(lines[2]), noRows) {
		t.Errorf("summary:\n%s", b.String())
	}
	js, _ := json.Marshal(summaryJSON("/lake", results, nil))
	if !strings.Contains(string(js), `"rows":24`) || !strings.Contains(string(js), `"rows":0`) {
		t.Errorf("JSON summary %s lacks the rows", js)
	}
}
