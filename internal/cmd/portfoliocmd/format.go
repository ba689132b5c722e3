package portfoliocmd

import (
	"fmt"
	"io"
	"slices"
	"text/tabwriter"

	"github.com/shopspring/decimal"

	"github.com/carry-research/carry/internal/cmdutil"
	"github.com/carry-research/carry/strategy/book"
)

// printSummary is the console's account of a book: its headline figures,
// the benchmarks, and its five largest contributions by size.
func printSummary(w io.Writer, o *book.Outcome) {
	s := o.Summary
	apr := cmdutil.PctOr(s.APR.V, s.APR.Valid)
	if s.ShortWindow {
		apr += " †"
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "BOOK\tWINDOW\tFINAL EQUITY\tAPR\tSHARPE (DAILY)\tMAX DD\tFUNDING\tBASIS P&L\tFEES\tTURNOVER/YR\tAVG HELD\tLIQUIDATIONS")
	fmt.Fprintf(tw, "%s, top %d by %s\t%s → %s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\n", count(s.Members, "pair"), s.Top, s.Signal, s.From[:10], s.To[:10],
		cmdutil.Fixed(string(s.FinalEquity)), apr, cmdutil.NumOr(s.SharpeDaily.V, s.SharpeDaily.Valid), cmdutil.PctOr(s.MaxDrawdown.V, s.MaxDrawdown.Valid),
		cmdutil.Fixed(string(s.FundingIncome)), cmdutil.Fixed(string(s.BasisPnL)), cmdutil.Fixed(string(s.Fees)), cmdutil.NumOr(s.TurnoverAnnualized.V, s.TurnoverAnnualized.Valid),
		cmdutil.NumOr(s.AverageHoldings.V, s.AverageHoldings.Valid), s.Liquidations)
	if s.BTCCarry.Available {
		fmt.Fprintf(tw, "BTCUSDT carry\t\t%s\t%s\t%s\t%s\n", cmdutil.Fixed(string(s.BTCCarry.FinalEquity)), cmdutil.PctOr(s.BTCCarry.APR.V, s.BTCCarry.APR.Valid),
			cmdutil.NumOr(s.BTCCarry.SharpeDaily.V, s.BTCCarry.SharpeDaily.Valid), cmdutil.PctOr(s.BTCCarry.MaxDrawdown.V, s.BTCCarry.MaxDrawdown.Valid))
		fmt.Fprintf(tw, "BTC spot held\t\t%s\t%s\t%s\t%s\n", fixedOr(string(s.BTCSpot.FinalEquity)), cmdutil.PctOr(s.BTCSpot.APR.V, s.BTCSpot.APR.Valid),
			cmdutil.NumOr(s.BTCSpot.SharpeDaily.V, s.BTCSpot.SharpeDaily.Valid), cmdutil.PctOr(s.BTCSpot.MaxDrawdown.V, s.BTCSpot.MaxDrawdown.Valid))
	}
	tw.Flush()
	fmt.Fprintln(w, "(APR on a 365-day calendar)")
	if s.ShortWindow {
		fmt.Fprintf(w, "† a window under %d days: its annualized figures extrapolate a year from it.\n", s.ShortWindowBelowDays)
	}
	if !s.BTCCarry.Available && s.BTCCarry.Note != "" {
		fmt.Fprintf(w, "Benchmark: %s\n", s.BTCCarry.Note)
	}
	top := slices.Clone(o.Pairs)
	slices.SortStableFunc(top, func(a, b book.Contribution) int { return dec(string(b.Net)).Abs().Cmp(dec(string(a.Net)).Abs()) })
	if len(top) > 5 {
		top = top[:5]
	}
	if len(top) > 0 {
		fmt.Fprintln(w, "\nLargest contributions:")
		tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "SYMBOL\tNET\tSHARE\tFUNDING\tBASIS P&L\tFEES\tHELD")
		for _, c := range top {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", c.Symbol, cmdutil.Fixed(string(c.Net)), cmdutil.PctOr(c.Share.V, c.Share.Valid), cmdutil.Fixed(string(c.Funding)),
				cmdutil.Fixed(string(c.BasisPnL)), cmdutil.Fixed(string(c.Fees)), cmdutil.PctOr(c.HeldShare.V, c.HeldShare.Valid))
		}
		tw.Flush()
	}
}

func dec(s string) decimal.Decimal {
	d, err := decimal.NewFromString(s)
	if err != nil {
		return decimal.Zero
	}
	return d
}

// fixedOr is fixed, or "—" for an empty figure.
func fixedOr(s string) string {
	if s == "" {
		return "—"
	}
	return cmdutil.Fixed(s)
}

// count is n nouns, singular for one: "1 pair", "3 pairs".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
