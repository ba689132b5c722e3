package portfolio

// WithoutQuoteVolume lists the symbols of u's members that p's liquidity
// filter can never admit: those without quote volumes (QuoteVolume nil,
// e.g. a pair priced by the basis with no futures candles). They stay in
// the universe but are never eligible, so a book that seems to ignore a
// pair should say why; nil when p has no liquidity filter.
func WithoutQuoteVolume(u *Universe, p Params) []string {
	if u == nil || !(p.MinQuoteVolume > 0) {
		return nil
	}
	var out []string
	for _, m := range u.Members {
		if m.QuoteVolume == nil && m.Market != nil {
			out = append(out, m.Market.Symbol)
		}
	}
	return out
}
