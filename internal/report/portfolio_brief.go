package report

import (
	"bytes"
	"fmt"
	"html/template"
	"strings"
	"time"

	"github.com/carry-research/carry/strategy/book"
	"github.com/carry-research/carry/strategy/portfolio"
)

// PortfolioBrief is a portfolio run as another report (the demo's) shows
// it: a link to the book's own report, its headline figures beside the
// BTCUSDT carry benchmark's, how many pairs it held, and what became of
// its delisted members.
type PortfolioBrief struct {
	Href    string // the book's report.html, relative to the page
	Outcome *book.Outcome
}

// WriteBacktestWithBriefs is WriteBacktestWithSweep with a portfolio's
// brief as a section of its own before the sweep's.
func WriteBacktestWithBriefs(dir, title, label string, sections []Section, o ChartOptions, now time.Time, sw SweepBrief, pf PortfolioBrief) error {
	sweepHTML, err := sweepBriefHTML(sw)
	if err != nil {
		return err
	}
	pfHTML, err := portfolioBriefHTML(pf)
	if err != nil {
		return err
	}
	return WriteBacktestPage(dir, Page{Title: title, Label: label, Generated: now, Extra: sw.Charts, SweepHTML: sweepHTML, PortfolioHTML: pfHTML}, sections, o)
}

// briefVersus is one line of the brief's table: the book's figure and the
// benchmark's.
type briefVersus struct{ Name, Book, BTC string }

var portfolioBriefTemplate = template.Must(template.New("portfolio-brief").Parse(`<p id="portfolio-report">The book's own report, with its holdings heatmap, contributions by pair, turnover and funding: <a href="{{.Href}}">{{.Href}}</a>.</p>
<p id="portfolio-setup">{{.Setup}}</p>
<table id="portfolio-vs-btc"><thead><tr><th>{{.From}} → {{.To}}</th><th>the book</th><th>BTCUSDT carry, always in</th></tr></thead><tbody>
{{range .Rows}}<tr><th>{{.Name}}</th><td class="n">{{.Book}}</td><td class="n">{{.BTC}}</td></tr>
{{end}}</tbody></table>
{{with .BTCNote}}<p class="{{$.BTCNoteClass}}">{{.}}</p>{{end}}
<p class="key" id="portfolio-holdings">On average the book held <b>{{.Holdings}}</b> pairs (at most {{.MaxHoldings}}), rebalanced {{.Rebalances}} times; fees were <b>{{.Fees}}</b> against <b>{{.Funding}}</b> of funding.</p>
{{with .Delistings}}<p id="portfolio-delistings">{{range $i, $d := .}}{{if $i}} {{end}}{{$d}}{{end}}</p>{{end}}
{{with .Skipped}}<p class="muted">Left out for want of data: {{.}}.</p>{{end}}`))

// portfolioBriefHTML renders the brief; empty without an outcome.
func portfolioBriefHTML(pf PortfolioBrief) (template.HTML, error) {
	o := pf.Outcome
	if o == nil {
		return "", nil
	}
	s, b := o.Summary, o.Summary.BTCCarry
	btc := func(v string) string {
		if !b.Available {
			return "—"
		}
		return v
	}
	data := struct {
		Href, Setup, From, To, BTCNote, BTCNoteClass, Holdings, Fees, Funding, Skipped string
		MaxHoldings, Rebalances                                                        int
		Rows                                                                           []briefVersus
		Delistings                                                                     []string
	}{
		Href: pf.Href, Setup: portfolioSetup(s), From: dateOf(s.From), To: dateOf(s.To), BTCNote: b.Note, BTCNoteClass: noteClass(b),
		Holdings: num(s.AverageHoldings), MaxHoldings: s.MaxHoldings, Rebalances: s.Rebalances,
		Fees: money(string(s.Fees)) + " USDT", Funding: money(string(s.FundingIncome)) + " USDT",
		Rows: []briefVersus{
			{"Final equity", money(string(s.FinalEquity)) + " USDT", btc(money(string(b.FinalEquity)) + " USDT")},
			{"APR (simple, 365 days)", pct(s.APR), btc(pct(b.APR))},
			{"Sharpe (daily returns)", num(s.SharpeDaily), btc(num(b.SharpeDaily))},
			{"Max drawdown", pct(s.MaxDrawdown), btc(pct(b.MaxDrawdown))},
		},
		Delistings: delistingLines(o),
	}
	if o.LoadedUniverse != nil && len(o.Skipped) > 0 {
		data.Skipped = strings.Join(o.Skipped, "; ")
	}
	var buf bytes.Buffer
	if err := portfolioBriefTemplate.Execute(&buf, data); err != nil {
		return "", fmt.Errorf("rendering the portfolio's brief: %w", err)
	}
	return template.HTML(buf.String()), nil
}

// portfolioSetup says in one sentence what the book is.
func portfolioSetup(s book.Summary) string {
	signal := "mean annualized funding of the last " + count(s.Lookback, "event")
	if s.Signal == string(portfolio.SignalBasis) {
		signal = "annualized basis"
	}
	threshold := ""
	if s.MinSignal != nil {
		threshold = fmt.Sprintf(" at or above %.2f%%/year", *s.MinSignal*100)
	}
	return fmt.Sprintf("Universe %s: %s, %d of them delisted in the window. At each rebalance (%s, no-trade band %.2f%%) the book holds the top %d by %s%s, weights %s, each short isolated; cash when fewer qualify.",
		s.Universe, count(s.Members, "pair"), s.Delisted, s.Rebalance, s.Band*100, s.Top, signal, threshold, s.Weights)
}

// delistingLines say, for each delisted member, whether the book held it
// at its delisting (its trades of reason delist) or not.
func delistingLines(o *book.Outcome) []string {
	closed := map[string]time.Time{}
	for _, t := range o.Result.Trades {
		if t.Reason == portfolio.ReasonDelist {
			closed[t.Symbol] = t.Time
		}
	}
	var out []string
	for _, m := range o.Result.Universe.Members {
		if !m.Delisted || len(m.Market.Times) == 0 {
			continue
		}
		sym, last := m.Market.Symbol, m.Market.Times[len(m.Market.Times)-1]
		if at, ok := closed[sym]; ok {
			out = append(out, fmt.Sprintf("%s was held at its delisting and closed at its last prices on %s, with costs (trades of reason delist).", sym, when(&at)))
			continue
		}
		out = append(out, fmt.Sprintf("%s was delisted on %s while the book did not hold it: it left the universe there.", sym, when(&last)))
	}
	return out
}

// dateOf is an RFC 3339 time's date.
func dateOf(rfc3339 string) string {
	if len(rfc3339) >= 10 {
		return rfc3339[:10]
	}
	return rfc3339
}

// noteClass is how loud a benchmark's note is: a warning when the
// benchmark is missing or misses more than a day of the book, else a
// remark.
func noteClass(b book.BTCCarry) string {
	if b.Partial || !b.Available {
		return "warn"
	}
	return "muted"
}
