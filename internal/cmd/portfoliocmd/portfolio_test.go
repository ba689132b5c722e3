package portfoliocmd

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/internal/cmdutil"
	"github.com/carry-research/carry/internal/iostreams"
	"github.com/carry-research/carry/strategy/backtest"
	"github.com/carry-research/carry/strategy/portfolio"
)

func TestPortfolioFlags(t *testing.T) {
	now := time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		name    string
		args    []string
		check   func(*Options) bool
		wantErr string
	}{
		{"defaults", []string{"--universe", "btcusdt, ethusdt,BTCUSDT", "--out", "o"}, func(o *Options) bool {
			u, p := o.Spec.Universe, o.Spec.Params
			return strings.Join(u.Symbols, ",") == "BTCUSDT,ETHUSDT" && !u.AllHistory && u.Period == "1h" && u.Prices == backtest.PricesAuto && u.Spot == backtest.SpotIndex &&
				p.Signal == portfolio.SignalFunding && p.Lookback == 3 && p.Top == 5 && p.MinSignal == nil && p.Weights == portfolio.WeightEqual &&
				p.Rebalance == portfolio.Schedule{Every: 24 * time.Hour} && p.Band == 0.05 && p.Cap == 1 && p.MinHistory == 0 && p.VolWindow == 30*24*time.Hour &&
				p.Pair.Capital.Equal(decimal.NewFromInt(10000)) && p.Pair.SpotFee.Equal(decimal.RequireFromString("0.001")) && o.Spec.RiskFree == 0
		}, ""},
		{"the issue's example", []string{"--universe", "all-history", "--signal", "funding", "--lookback", "3", "--top", "5", "--min-signal", "5%", "--weights", "equal", "--rebalance", "1d", "--out", "runs/pf"}, func(o *Options) bool {
			p := o.Spec.Params
			return o.Spec.Universe.AllHistory && len(o.Spec.Universe.Symbols) == 0 && *p.MinSignal == 0.05 && o.Out == "runs/pf"
		}, ""},
		{"everything else", []string{"--universe", "ALL-HISTORY", "--signal", "basis", "--lookback", "6", "--top", "10", "--min-signal", "500bp", "--weights", "inverse-vol",
			"--rebalance", "8h", "--band", "2%", "--cap", "0.25", "--min-history", "14d", "--min-volume", "1e6", "--vol-window", "72h", "--period", "4h",
			"--prices", "klines", "--spot", "spot", "--from", "2026-01-01", "--to", "2026-06-01", "--capital", "50000", "--leverage", "2", "--spot-fee", "7.5bp",
			"--perp-fee", "0.02%", "--slippage", "0", "--maintenance", "0.005", "--risk-free", "4%", "--out", "o"}, func(o *Options) bool {
			u, p := o.Spec.Universe, o.Spec.Params
			return u.Period == data.Period("4h") && u.Prices == backtest.PricesKlines && u.Spot == backtest.SpotMarket && u.From.Equal(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)) &&
				p.Signal == portfolio.SignalBasis && p.Lookback == 6 && p.Top == 10 && *p.MinSignal == 0.05 && p.Weights == portfolio.WeightInverseVol &&
				p.Rebalance == portfolio.Schedule{Every: 8 * time.Hour} && p.Band == 0.02 && p.Cap == 0.25 && p.MinHistory == 14*24*time.Hour && p.MinQuoteVolume == 1e6 &&
				p.VolWindow == 72*time.Hour && p.Pair.Capital.Equal(decimal.NewFromInt(50000)) && p.Pair.Leverage.Equal(decimal.NewFromInt(2)) &&
				p.Pair.SpotFee.Equal(decimal.RequireFromString("0.00075")) && p.Pair.PerpFee.Equal(decimal.RequireFromString("0.0002")) && p.Pair.Slippage.IsZero() &&
				p.Pair.Maintenance.Equal(decimal.RequireFromString("0.005")) && o.Spec.RiskFree == 0.04
		}, ""},
		// Warnings, run as given (stderr and the report's "Parameters"):
		// the repeated symbol of "defaults" above; 5 read as 500 %/yr; a
		// rebalance under the grid period.
		{"a repeated symbol", []string{"--universe", "btcusdt, ethusdt,BTCUSDT,ETHUSDT,BTCUSDT", "--out", "o"}, func(o *Options) bool {
			return len(o.Spec.Universe.Symbols) == 2 && len(o.Slips) == 2 && strings.Contains(o.Slips[0], "--universe names BTCUSDT more than once") && strings.Contains(o.Slips[1], "ETHUSDT")
		}, ""},
		{"a min signal of 5", []string{"--universe", "BTCUSDT", "--min-signal", "5", "--out", "o"}, func(o *Options) bool {
			return *o.Spec.Params.MinSignal == 5 && len(o.Slips) == 1 && strings.Contains(o.Slips[0], "--min-signal 5 is 500 %/yr, beyond ±100 %/yr")
		}, ""},
		{"a min signal of -150%", []string{"--universe", "BTCUSDT", "--min-signal", "-150%", "--out", "o"}, func(o *Options) bool {
			return len(o.Slips) == 1 && strings.Contains(o.Slips[0], "--min-signal -1.5 is -150 %/yr")
		}, ""},
		{"a min signal of 100%", []string{"--universe", "BTCUSDT", "--min-signal", "100%", "--out", "o"}, func(o *Options) bool { return len(o.Slips) == 0 }, ""},
		{"a rebalance under the period", []string{"--universe", "BTCUSDT", "--rebalance", "7m", "--out", "o"}, func(o *Options) bool {
			return len(o.Slips) == 1 && strings.Contains(o.Slips[0], "--rebalance 7m is shorter than --period 1h")
		}, ""},
		{"a rebalance of the period", []string{"--universe", "BTCUSDT", "--rebalance", "4h", "--period", "4h", "--out", "o"}, func(o *Options) bool { return len(o.Slips) == 0 }, ""},
		{"a pair flag's slip first", []string{"--universe", "BTCUSDT,BTCUSDT", "--slippage", "0.2", "--out", "o"}, func(o *Options) bool {
			return len(o.Slips) >= 1 && strings.Contains(o.Slips[len(o.Slips)-1], "--universe names BTCUSDT")
		}, ""},
		{"on funding", []string{"--universe", "BTCUSDT", "--rebalance", "funding", "--out", "o"}, func(o *Options) bool {
			return o.Spec.Params.Rebalance == portfolio.Schedule{OnFunding: true}
		}, ""},
		{"a negative threshold", []string{"--universe", "BTCUSDT", "--min-signal", "-1%", "--out", "o"}, func(o *Options) bool { return *o.Spec.Params.MinSignal == -0.01 }, ""},
		{"no universe", []string{"--out", "o"}, nil, "--universe is required"},
		{"no out", []string{"--universe", "BTCUSDT"}, nil, "--out is required"},
		{"bad symbol", []string{"--universe", "BTC-USDT", "--out", "o"}, nil, "--universe"},
		{"bad signal", []string{"--universe", "BTCUSDT", "--signal", "momentum", "--out", "o"}, nil, `--signal "momentum"`},
		{"bad weights", []string{"--universe", "BTCUSDT", "--weights", "cap", "--out", "o"}, nil, `--weights "cap"`},
		{"no lookback", []string{"--universe", "BTCUSDT", "--lookback", "0", "--out", "o"}, nil, "--lookback 0"},
		{"no top", []string{"--universe", "BTCUSDT", "--top", "0", "--out", "o"}, nil, "--top 0"},
		{"bad threshold", []string{"--universe", "BTCUSDT", "--min-signal", "high", "--out", "o"}, nil, `--min-signal "high"`},
		{"bad rebalance", []string{"--universe", "BTCUSDT", "--rebalance", "weekly", "--out", "o"}, nil, `--rebalance "weekly"`},
		{"zero rebalance", []string{"--universe", "BTCUSDT", "--rebalance", "0d", "--out", "o"}, nil, `--rebalance "0d"`},
		{"negative band", []string{"--universe", "BTCUSDT", "--band", "-1%", "--out", "o"}, nil, `--band "-1%"`},
		{"cap over one", []string{"--universe", "BTCUSDT", "--cap", "150%", "--out", "o"}, nil, `--cap "150%"`},
		{"zero cap", []string{"--universe", "BTCUSDT", "--cap", "0", "--out", "o"}, nil, `--cap "0"`},
		{"bad history", []string{"--universe", "BTCUSDT", "--min-history", "long", "--out", "o"}, nil, "--min-history"},
		{"zero vol window", []string{"--universe", "BTCUSDT", "--vol-window", "0", "--out", "o"}, nil, "--vol-window"},
		{"negative volume", []string{"--universe", "BTCUSDT", "--min-volume", "-5", "--out", "o"}, nil, "--min-volume"},
		{"bad period", []string{"--universe", "BTCUSDT", "--period", "2m", "--out", "o"}, nil, "--period"},
		{"spot candles on the basis", []string{"--universe", "BTCUSDT", "--prices", "basis", "--spot", "spot", "--out", "o"}, nil, "--spot spot with --prices basis"},
		{"bad window", []string{"--universe", "BTCUSDT", "--from", "2026-02-01", "--to", "2026-01-01", "--out", "o"}, nil, "--from"},
		{"bad fee", []string{"--universe", "BTCUSDT", "--spot-fee", "cheap", "--out", "o"}, nil, `--spot-fee "cheap"`},
		// The model's check of the parameters together names the flag
		// (it said "leverage 300: …").
		{"liquidating leverage", []string{"--universe", "BTCUSDT", "--leverage", "300", "--out", "o"}, nil, "--leverage 300: 1/L"},
		{"a maintenance beyond the model", []string{"--universe", "BTCUSDT", "--maintenance", "0.6", "--leverage", "1", "--out", "o"}, nil, "--maintenance 0.6: want a fraction"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			io, _, _, _ := iostreams.Test()
			f := &cmdutil.Factory{IO: io, Now: func() time.Time { return now }, Getenv: func(string) string { return "" }}
			var got *Options
			cmd := NewCmdPortfolio(f, func(_ context.Context, o *Options) error { got = o; return nil })
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

// TestNoRuleFlags: the single pair's rules mean nothing to a book, so
// their flags are not offered.
func TestNoRuleFlags(t *testing.T) {
	io, _, _, _ := iostreams.Test()
	cmd := NewCmdPortfolio(&cmdutil.Factory{IO: io, Now: time.Now, Getenv: func(string) string { return "" }}, nil)
	for _, name := range []string{"funding-enter", "basis-exit", "max-hold", "rebalance-below", "on-delivery", "funding-lookback"} {
		if cmd.Flags().Lookup(name) != nil {
			t.Errorf("--%s is bound", name)
		}
	}
	for _, name := range []string{"capital", "leverage", "spot-fee", "perp-fee", "slippage", "maintenance", "risk-free"} {
		if cmd.Flags().Lookup(name) == nil {
			t.Errorf("--%s is not bound", name)
		}
	}
}

// TestRunIDs: the --out guard's run id is the run's inputs: the same
// flags give the same id, a different book parameter (--top, --min-signal
// by value, not by its pointer) or label another.
func TestRunIDs(t *testing.T) {
	id := func(mod func(o *Options)) string {
		o := &Options{Out: "x"}
		o.Spec.Params = portfolio.DefaultParams()
		v := 0.05
		o.Spec.Params.MinSignal = &v
		mod(o)
		return o.outDir().Run
	}
	base := id(func(*Options) {})
	if again := id(func(*Options) {}); again != base {
		t.Errorf("the same run: %s, then %s", base, again)
	}
	for name, mod := range map[string]func(o *Options){
		"top":        func(o *Options) { o.Spec.Params.Top = 7 },
		"min-signal": func(o *Options) { v := 0.06; o.Spec.Params.MinSignal = &v },
		"label":      func(o *Options) { o.Label = "other" },
		"universe":   func(o *Options) { o.Spec.Universe.AllHistory = true },
	} {
		if id(mod) == base {
			t.Errorf("%s changed, the run id did not", name)
		}
	}
}
