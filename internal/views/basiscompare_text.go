package views

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/carry-research/carry/analytics"
)

// WriteBasisComparison prints the comparison as a table, then the series
// lacking klines with the backfill that fetches them. It lives here, not
// in a command, so that `carry data compare-basis` and `carry backfill`
// (after a run that stored basis and klines) print the same table.
// Differences are in basis points of basis_rate.
func WriteBasisComparison(w io.Writer, c BasisComparison) error {
	if len(c.Series) > 0 {
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "SERIES\tROWS\tOFFICIAL ONLY\tKLINES ONLY\tMEDIAN |Δ|\tMAX |Δ| (at)\tWITHIN 1 BP")
		for _, s := range c.Series {
			at := ""
			if s.Worst != nil {
				at = " (" + s.Worst.At.UTC().Format("2006-01-02 15:04") + ")"
			}
			fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%s\t%s%s\t%s\n", s.Series, s.Compared, s.OfficialOnly, s.KlinesOnly,
				bp(s.MedianAbsDiff), bp(s.MaxAbsDiff), at, share(s.WithinOneBP))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		fmt.Fprintf(w, "|Δ| = |basisRate − F/S + 1| with F/S − 1 rounded to 4 decimals as Binance rounds basisRate;\n"+
			"F and S are the opens of the futures and %s candles at the row's time. --json adds the unrounded |Δ|.\n", c.Spot)
	}
	if len(c.Lacking) > 0 {
		if len(c.Series) > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintln(w, "Not compared, klines missing:")
		for _, l := range c.Lacking {
			fmt.Fprintf(w, "  %s: no %s\n    fetch: %s\n", l.Series, joinAnd(l.Missing), l.Fetch)
		}
	}
	return nil
}

// bp formats a basis_rate difference in basis points.
func bp(v analytics.Value) string {
	if !v.Valid {
		return "-"
	}
	return fmt.Sprintf("%.2f bp", v.V*1e4)
}

func share(v analytics.Value) string {
	if !v.Valid {
		return "-"
	}
	return fmt.Sprintf("%.1f%%", v.V*100)
}

func joinAnd(xs []string) string {
	switch len(xs) {
	case 0:
		return ""
	case 1:
		return xs[0]
	}
	out := xs[0]
	for _, x := range xs[1 : len(xs)-1] {
		out += ", " + x
	}
	return out + " and " + xs[len(xs)-1]
}
