package backtestcmd

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/internal/cmdutil"
	"github.com/carry-research/carry/internal/iostreams"
	"github.com/carry-research/carry/strategy"
	"github.com/carry-research/carry/strategy/backtest"
)

func TestBacktestFlags(t *testing.T) {
	now := time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		name    string
		args    []string
		check   func(*Options) bool
		wantErr string
	}{
		{"defaults", []string{"--symbol", "btcusdt", "--out", "o"}, func(o *Options) bool {
			p := o.Params
			return len(o.Specs) == 1 && o.Specs[0].Symbol == "BTCUSDT" && o.Specs[0].Period == "1h" && o.Specs[0].Contract == data.Perpetual &&
				p.Capital.Equal(decimal.NewFromInt(10000)) && p.SpotFee.Equal(decimal.RequireFromString("0.001")) && p.PerpFee.Equal(decimal.RequireFromString("0.0005")) &&
				p.Slippage.Equal(decimal.RequireFromString("0.0001")) && p.Leverage.Equal(decimal.NewFromInt(1)) && p.Rules.FundingLookback == 3 &&
				p.Rules.FundingEnter == nil && o.Chart.Format == "png" && o.RiskFree == 0 &&
				o.Specs[0].Prices == backtest.PricesAuto && o.Specs[0].Spot == backtest.SpotIndex
		}, ""},
		{"price sources", []string{"--symbol", "BTCUSDT,ETHUSDT", "--out", "o", "--prices", "KLINES", "--spot", "spot"}, func(o *Options) bool {
			return len(o.Specs) == 2 && o.Specs[1].Prices == backtest.PricesKlines && o.Specs[1].Spot == backtest.SpotMarket
		}, ""},
		{"bad prices", []string{"--symbol", "BTCUSDT", "--out", "o", "--prices", "trades"}, nil, `--prices: invalid price source "trades"`},
		{"bad spot", []string{"--symbol", "BTCUSDT", "--out", "o", "--spot", "mark"}, nil, `--spot: invalid spot source "mark"`},
		{"spot candles on the basis", []string{"--symbol", "BTCUSDT", "--out", "o", "--prices", "basis", "--spot", "spot"}, nil, "--spot spot with --prices basis"},
		{"rules and costs", []string{"--symbol", "BTCUSDT,ETHUSDT", "--symbol", "SOLUSDT", "--out", "o", "--funding-enter", "10%", "--funding-exit", "0.02",
			"--max-hold", "14d", "--spot-fee", "0.075%", "--leverage", "3", "--rebalance-below", "0.1", "--contract", "current_quarter", "--on-delivery", "roll",
			"--from", "2026-01-01", "--to", "2026-02-01", "--risk-free", "4%"}, func(o *Options) bool {
			p := o.Params
			return len(o.Specs) == 3 && *p.Rules.FundingEnter == 0.10 && *p.Rules.FundingExit == 0.02 && p.Rules.MaxHold == 14*24*time.Hour &&
				p.SpotFee.Equal(decimal.RequireFromString("0.00075")) && p.OnDelivery == strategy.DeliverRoll && o.Specs[0].Contract == data.CurrentQuarter &&
				o.Specs[2].From.Equal(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)) && o.RiskFree == 0.04
		}, ""},
		{"no symbol", []string{"--out", "o"}, nil, "--symbol is required"},
		{"no out", []string{"--symbol", "BTCUSDT"}, nil, "--out is required"},
		{"bad period", []string{"--symbol", "BTCUSDT", "--out", "o", "--period", "2m"}, nil, "--period"},
		{"bad fee", []string{"--symbol", "BTCUSDT", "--out", "o", "--spot-fee", "cheap"}, nil, `--spot-fee "cheap"`},
		{"half a rule", []string{"--symbol", "BTCUSDT", "--out", "o", "--basis-enter", "5%"}, nil, "basis rule: set both"},
		{"liquidating leverage", []string{"--symbol", "BTCUSDT", "--out", "o", "--leverage", "500"}, nil, "--leverage 500: "},
		{"bad window", []string{"--symbol", "BTCUSDT", "--out", "o", "--from", "2026-02-01", "--to", "2026-01-01"}, nil, "--from"},
		{"bad chart format", []string{"--symbol", "BTCUSDT", "--out", "o", "--chart-format", "jpg"}, nil, "--chart-format"},
		{"bad max hold", []string{"--symbol", "BTCUSDT", "--out", "o", "--max-hold", "forever"}, nil, "--max-hold"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			io, _, _, _ := iostreams.Test()
			f := &cmdutil.Factory{IO: io, Now: func() time.Time { return now }, Getenv: func(string) string { return "" }}
			var got *Options
			cmd := NewCmdBacktest(f, func(_ context.Context, o *Options) error { got = o; return nil })
			cmd.SetArgs(c.args)
			cmd.SetOut(io.Out)
			cmd.SetErr(io.ErrOut)
			err := cmd.Execute()
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) || cmdutil.ExitCode(err) != cmdutil.ExitUsage {
					t.Fatalf("err = %v (exit %d), want a usage error with %q", err, cmdutil.ExitCode(err), c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !c.check(got) {
				t.Errorf("options %+v", got)
			}
		})
	}
}
