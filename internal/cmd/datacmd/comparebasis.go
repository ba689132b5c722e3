package datacmd

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/internal/cmdutil"
	"github.com/carry-research/carry/internal/iostreams"
	"github.com/carry-research/carry/internal/views"
)

// CompareBasisOptions are the inputs of `carry data compare-basis`.
type CompareBasisOptions struct {
	IO      *iostreams.IOStreams
	DataDir string
	JSON    bool
	Query   views.BasisComparisonQuery
}

// NewCmdCompareBasis builds `carry data compare-basis`; runF replaces
// compareBasisRun in tests.
func NewCmdCompareBasis(f *cmdutil.Factory, runF func(context.Context, *CompareBasisOptions) error) *cobra.Command {
	opts := &CompareBasisOptions{IO: f.IO}
	var symbols, periods, spot string
	cmd := &cobra.Command{
		Use:   "compare-basis",
		Short: "Compare the official basis with the basis rebuilt from klines",
		Long: `Rebuilds every PERPETUAL basis series of the lake from klines — the futures
candle's open F over the index candle's open S (or the spot market's, with
--spot spot) at the interval named like the period — and compares the rebuilt
basis_rate F/S − 1 with the rows /futures/data/basis published, over the
window those rows cover: rows compared, rows on one side only, the median and
maximum |Δ basis_rate| and the share within 1 basis point. The rebuilt rate is
rounded to 4 decimals as Binance rounds basisRate before the difference; --json
adds the unrounded differences.

Agreement over the month the official endpoint serves is what lets years of
basis rebuilt from klines be trusted. Series whose klines are not in the lake
are listed with the backfill that fetches them. Exit 1 when nothing could be
compared.`,
		Example: `  carry data compare-basis
  carry data compare-basis --symbols BTCUSDT --periods 1h --spot spot --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.DataDir = f.DataDir(opts.DataDir)
			if err := opts.parse(symbols, periods, spot); err != nil {
				return err
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return compareBasisRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	cmdutil.AddDataFlag(cmd, &opts.DataDir)
	fl.StringVar(&symbols, "symbols", "", "comma-separated pairs (default: every pair with a PERPETUAL basis series)")
	fl.StringVar(&periods, "periods", "", "basis periods, each compared with klines of the same interval (default: every period in the lake)")
	fl.StringVar(&spot, "spot", "index", "spot leg: index (Binance's index price, what basisRate divides by) or spot (the spot market's candles)")
	cmdutil.AddJSONFlag(cmd, &opts.JSON)
	cmd.RegisterFlagCompletionFunc("symbols", cmdutil.CompleteLakeSymbols(f, true))
	cmd.RegisterFlagCompletionFunc("periods", cmdutil.CompleteList(cmdutil.PeriodNames))
	cmd.RegisterFlagCompletionFunc("spot", cmdutil.CompleteValues(string(data.KlineIndex), string(data.KlineSpot)))
	return cmd
}

// parse validates the flags before the lake is opened.
func (o *CompareBasisOptions) parse(symbols, periods, spot string) error {
	for _, s := range splitList(symbols) {
		s = strings.ToUpper(s)
		if err := data.ValidateSymbol(s); err != nil {
			return cmdutil.FlagErrorf("--symbols: %v", err)
		}
		o.Query.Symbols = append(o.Query.Symbols, s)
	}
	for _, p := range splitList(periods) {
		period, err := data.ParsePeriod(p)
		if err != nil {
			return cmdutil.FlagErrorf("--periods: %v", err)
		}
		o.Query.Periods = append(o.Query.Periods, period)
	}
	switch k := data.KlineKind(strings.ToLower(strings.TrimSpace(spot))); k {
	case data.KlineIndex, data.KlineSpot:
		o.Query.Spot = k
	default:
		return cmdutil.FlagErrorf("--spot %q: want index or spot", spot)
	}
	return nil
}

// CompareBasisReport is the JSON shape of `carry data compare-basis --json`.
type CompareBasisReport struct {
	views.BasisComparison
	// Error says why the command failed: no lake, a series unreadable, or
	// nothing compared.
	Error string `json:"error,omitempty"`
}

func compareBasisRun(ctx context.Context, opts *CompareBasisOptions) error {
	rep := CompareBasisReport{BasisComparison: views.BasisComparison{Lake: opts.DataDir, Spot: opts.Query.Spot,
		Series: []views.SeriesComparison{}, Lacking: []views.LackingKlines{}}}
	l, err := cmdutil.OpenLake(opts.DataDir)
	if err == nil {
		rep.BasisComparison, err = views.CompareBasis(l, opts.Query)
	}
	if err == nil {
		err = nothingCompared(rep.BasisComparison, opts.Query)
	}
	if opts.JSON {
		if err != nil {
			rep.Error = err.Error()
		}
		if werr := cmdutil.WriteJSON(opts.IO.Out, rep); werr != nil {
			return werr
		}
		return err
	}
	if werr := views.WriteBasisComparison(opts.IO.Out, rep.BasisComparison); werr != nil {
		return werr
	}
	return err
}

// nothingCompared is the error of a comparison without a series compared,
// saying what to fetch.
func nothingCompared(c views.BasisComparison, q views.BasisComparisonQuery) error {
	switch {
	case len(c.Series) > 0:
		return nil
	case len(c.Lacking) > 0:
		return fmt.Errorf("%w: fetch the klines listed above", views.ErrNothingCompared)
	}
	sel := ""
	if len(q.Symbols) > 0 {
		sel += " of " + strings.Join(q.Symbols, ",")
	}
	if len(q.Periods) > 0 {
		ps := make([]string, len(q.Periods))
		for i, p := range q.Periods {
			ps[i] = string(p)
		}
		sel += " at " + strings.Join(ps, ",")
	}
	return fmt.Errorf("%w: no PERPETUAL basis series%s in the lake; fetch some with: carry backfill --symbols BTCUSDT --datasets basis --contract-types PERPETUAL --data %s",
		views.ErrNothingCompared, sel, c.Lake)
}

func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}
