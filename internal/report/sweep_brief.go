package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"time"

	"github.com/carry-research/carry/strategy/sweep"
)

// SweepBrief is a sweep as another report (the demo's) shows it: a link to
// the sweep's own report, the best Sharpe beside the number of
// combinations tried and what luck alone would give, the pick's
// out-of-sample check, and the sweep's charts.
type SweepBrief struct {
	Href   string // the sweep's report.html, relative to the page
	A      *sweep.Analysis
	Charts []Chart
}

// WriteBacktestWithSweep is WriteBacktest with a sweep's brief as the
// report's last section (its charts included).
func WriteBacktestWithSweep(dir, title, label string, sections []Section, o ChartOptions, now time.Time, sw SweepBrief) error {
	brief, err := sweepBriefHTML(sw)
	if err != nil {
		return err
	}
	return WriteBacktestPage(dir, Page{Title: title, Label: label, Generated: now, Extra: sw.Charts, SweepHTML: brief}, sections, o)
}

// briefFigure is one line of the out-of-sample table: in-sample and
// out-of-sample, formatted as the backtest report formats them.
type briefFigure struct{ Name, In, Out string }

// briefFigures are the out-of-sample check's key figures, in this order
// (those the analysis holds), formatted as the sweep report's cells.
var briefFigures = []struct{ key, name string }{
	{"final_equity", "Final equity"},
	{"total_return", "Total return"},
	{"apr", "APR (simple, 365 days)"},
	{"sharpe_daily", "Sharpe (daily returns)"},
	{"max_drawdown", "Max drawdown"},
	{"time_in_market", "Time in market"},
	{"trades", "Trades"},
}

var briefTemplate = template.Must(template.New("brief").Funcs(template.FuncMap{"f2": f2p}).Parse(`<p id="sweep-report">The sweep's own report, with every table and chart: <a href="{{.Href}}">{{.Href}}</a>.</p>
<p class="key" id="sweep-luck">Best Sharpe (daily returns) <b>{{f2 .A.BestSharpe}}</b> among <b>{{.A.Tried}}</b> combinations tried; with no edge at all, the best of {{.A.Tried}} over this window ({{printf "%.2f" .A.Years}} years) would show a Sharpe of about <b>{{f2 .A.LuckSharpe}}</b> by luck alone.</p>
{{if .Pick}}<p id="sweep-pick">The pick by {{.A.Metric}}{{if .A.OutOfSample}} on the first part{{end}}: {{range $i, $p := .Pick}}{{if $i}}, {{end}}{{$p.Name}} {{$p.In}}{{end}}.</p>{{end}}
{{with .A.OutOfSample}}<table id="sweep-oos"><thead><tr><th>The pick (id {{.BestID}}), split {{.Split}}</th><th>in-sample</th><th>out-of-sample</th></tr></thead><tbody>
{{range $.Figures}}<tr><th>{{.Name}}</th><td class="n">{{.In}}</td><td class="n">{{.Out}}</td></tr>
{{end}}</tbody></table>{{else}}<p>No out-of-sample check (the sweep ran without a split).</p>{{end}}`))

// sweepBriefHTML renders the brief's text and tables (its charts are the
// page's Extra); empty without an analysis.
func sweepBriefHTML(sw SweepBrief) (template.HTML, error) {
	if sw.A == nil {
		return "", nil
	}
	data := struct {
		SweepBrief
		Pick    []briefFigure
		Figures []briefFigure
	}{SweepBrief: sw}
	// The pick's parameters that vary, in the grid's order ("off" for a
	// rule left off): the pick's own, which the plateau rule may have
	// chosen below the top row; without a pick, the top row's columns
	// between the id and the price sources (Analysis.view's layout).
	if p := sw.A.Pick; p != nil && len(p.Values) > 0 {
		seen := map[string]bool{} // a name in both lists is shown once
		for _, n := range append(sweep.ParamNames[:len(sweep.ParamNames):len(sweep.ParamNames)], sweep.BookParamNames...) {
			if v, ok := p.Values[n]; ok && !seen[n] {
				seen[n] = true
				data.Pick = append(data.Pick, briefFigure{Name: n, In: v})
			}
		}
	} else if len(sw.A.ViewRows) > 0 {
		for i, h := range sw.A.ViewHeader {
			if h == "futures_source" || i >= len(sw.A.ViewRows[0]) {
				break
			}
			if h == "combination_index" || h == "id" {
				continue
			}
			v := sw.A.ViewRows[0][i]
			if v == "" {
				v = "off"
			}
			data.Pick = append(data.Pick, briefFigure{Name: h, In: v})
		}
	}
	if oos := sw.A.OutOfSample; oos != nil {
		for _, f := range briefFigures {
			data.Figures = append(data.Figures, briefFigure{f.name, briefCell(f.key, oos.InSample), briefCell(f.key, oos.OutOfSample)})
		}
	}
	var buf bytes.Buffer
	if err := briefTemplate.Execute(&buf, data); err != nil {
		return "", fmt.Errorf("rendering the sweep's brief: %w", err)
	}
	return template.HTML(buf.String()), nil
}

// briefCell is a figure of the out-of-sample maps as the sweep report's
// cells show it, money with its unit.
func briefCell(key string, m map[string]json.Number) string {
	c := cell(key, string(m[key]))
	if moneyColumns[key] && c != "—" {
		c += " USDT"
	}
	return c
}
