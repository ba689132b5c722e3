package backtest

import (
	"strings"
	"time"

	"github.com/carry-research/carry/data"
)

// fetchAdvice is what to do about a spec's missing basis of contract type
// ct: verb and the carry backfill that fetches it ("fetch it with: carry
// backfill …"); or, when the window starts before what Binance's basis
// endpoint still serves at now — it keeps only about 30 days — that the
// older basis cannot be fetched (the funding can), with the command for
// what is still served.
func fetchAdvice(verb string, s Spec, ct data.ContractType, now time.Time) string {
	edge := now.Add(-data.DocumentedBasisRetention).UTC()
	if s.From.IsZero() || !s.From.Before(edge) {
		return verb + ": " + fetchCommand(s, ct, s.From)
	}
	if day := edge.Truncate(24 * time.Hour); day.Before(edge) {
		edge = day.AddDate(0, 0, 1) // the first whole day still served
	}
	oldest, from := edge.Format("2006-01-02"), s.From.Format("2006-01-02")
	return "Binance's basis endpoint keeps only about 30 days, so the basis before " + oldest + " cannot be fetched, whatever --since says " +
		"(the funding can: carry backfill --symbols " + s.Symbol + " --datasets funding --since " + from + "); start the run on or after " + oldest +
		", fetching what is still served with: " + fetchCommand(s, ct, edge)
}

// fetchCommand is the `carry backfill` that fetches a spec's basis (and
// funding) of contract type ct since since (zero: the default span).
func fetchCommand(s Spec, ct data.ContractType, since time.Time) string {
	cmd := []string{"carry backfill --symbols", s.Symbol, "--datasets basis,funding --periods", string(s.Period), "--contract-types", string(ct)}
	if !since.IsZero() {
		cmd = append(cmd, "--since", since.Format("2006-01-02"))
	}
	return strings.Join(cmd, " ")
}
