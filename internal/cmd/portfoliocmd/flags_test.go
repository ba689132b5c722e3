package portfoliocmd

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"

	"github.com/carry-research/carry/internal/cmdutil"
	"github.com/carry-research/carry/internal/iostreams"
	"github.com/carry-research/carry/strategy"
	"github.com/carry-research/carry/strategy/portfolio"
)

// TestBookFlagsAreTheTable: carry portfolio's flags are the book's
// parameter table's, each with the table's default and help, and the pair's
// money parameters; every other flag is one of the command's own (the
// universe and market, the files). A parameter added to the table gets a
// flag; a flag bound by hand beside the table fails here.
func TestBookFlagsAreTheTable(t *testing.T) {
	io, _, _, _ := iostreams.Test()
	cmd := NewCmdPortfolio(&cmdutil.Factory{IO: io, Now: time.Now, Getenv: func(string) string { return "" }}, nil)
	fs := cmd.Flags()
	own := []string{"universe", "period", "prices", "spot", "from", "to", "out", "force", "label", "json", "data"}
	for _, p := range strategy.ParamTable() {
		if slices.Contains(portfolio.BookPairParams(), p.Name) {
			own = append(own, p.Flag)
		}
	}
	book := map[string]portfolio.BookParam{}
	for _, b := range portfolio.BookParamTable() {
		book[b.Flag] = b
		f := fs.Lookup(b.Flag)
		if f == nil {
			t.Errorf("%s: no flag --%s", b.Name, b.Flag)
			continue
		}
		if f.DefValue != b.Default() || !strings.HasPrefix(f.Usage, b.Usage) || f.Value.Type() != b.FlagType() {
			t.Errorf("--%s: default %q, type %s, usage %q; the table says %q, %s, %q", b.Flag, f.DefValue, f.Value.Type(), f.Usage, b.Default(), b.FlagType(), b.Usage)
		}
	}
	fs.VisitAll(func(f *pflag.Flag) {
		if _, ok := book[f.Name]; !ok && !slices.Contains(own, f.Name) {
			t.Errorf("--%s is neither a book parameter (portfolio.BookParamTable) nor one of the command's own flags", f.Name)
		}
	})
}

// TestBookFlagForms: the flags take every form the table reads (rates in
// % and bp, days with fractions, pflag's base prefixes and exponents) and
// refuse, naming the flag, what no run can use — a quote volume that is
// not finite among them, which the run itself used to refuse. Expected
// values are the units' definitions (1 bp = 0.0001, 1.5d = 36h).
func TestBookFlagForms(t *testing.T) {
	cases := []struct {
		name    string
		args    []string
		check   func(portfolio.Params) bool
		wantErr string
	}{
		{"base prefix", []string{"--top", "0x10", "--lookback", "010"}, func(p portfolio.Params) bool { return p.Top == 16 && p.Lookback == 8 }, ""},
		{"rates", []string{"--cap", "2500bp", "--band", "0.5%", "--min-signal", "0.05"}, func(p portfolio.Params) bool {
			return p.Cap == 0.25 && p.Band == 0.005 && *p.MinSignal == 0.05
		}, ""},
		{"durations", []string{"--min-history", "1.5d", "--vol-window", "72h", "--rebalance", "8h"}, func(p portfolio.Params) bool {
			return p.MinHistory == 36*time.Hour && p.VolWindow == 72*time.Hour && p.Rebalance == portfolio.Schedule{Every: 8 * time.Hour}
		}, ""},
		{"case", []string{"--signal", "Basis", "--weights", "Inverse-Vol", "--rebalance", "FUNDING"}, func(p portfolio.Params) bool {
			return p.Signal == portfolio.SignalBasis && p.Weights == portfolio.WeightInverseVol && p.Rebalance == portfolio.Schedule{OnFunding: true}
		}, ""},
		{"infinite volume", []string{"--min-volume", "Inf"}, nil, "--min-volume Inf: want 0 or more"},
		{"not a number of volume", []string{"--min-volume", "NaN"}, nil, "--min-volume NaN"},
		{"negative history", []string{"--min-history", "-1d"}, nil, `--min-history "-1d"`},
		{"not a count", []string{"--top", "two"}, nil, `invalid argument "two" for "--top" flag`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			io, _, _, _ := iostreams.Test()
			f := &cmdutil.Factory{IO: io, Now: time.Now, Getenv: func(string) string { return "" }}
			var got *Options
			cmd := NewCmdPortfolio(f, func(_ context.Context, o *Options) error { got = o; return nil })
			cmd.SetArgs(append([]string{"--universe", "BTCUSDT", "--out", "o"}, c.args...))
			cmd.SetOut(io.Out)
			cmd.SetErr(io.ErrOut)
			err := cmd.Execute()
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("err = %v, want one with %q", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !c.check(got.Spec.Params) {
				t.Errorf("params %+v", got.Spec.Params)
			}
		})
	}
}
