package report

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/carry-research/carry/internal/atomicfile"
	"github.com/carry-research/carry/strategy/sweep"
)

//go:embed sweep.html.tmpl
var sweepTemplate embed.FS

// WriteSweep draws a sweep analysis's charts (SweepCharts) into dir and
// writes dir/report.html: the best combinations, the number tried beside
// the best Sharpe, the charts and the out-of-sample check. It returns the
// charts, for a report that shows them too. Warnings (the grid's: slips of
// units, a window clamped to the data) are shown at the top.
func WriteSweep(dir, title, label string, a *sweep.Analysis, o ChartOptions, now time.Time, warnings ...string) ([]Chart, error) {
	return writeSweep(dir, title, label, a, o, now, false, warnings)
}

// WriteBookSweep is WriteSweep for a portfolio sweep's analysis: the
// pick is the best not liquidated (no plateau), the parameters are the
// book grid's (sweep.BookParamNames), and what the analyses leave out
// (sweep.BookNote) is said once, where the pick is.
func WriteBookSweep(dir, title, label string, a *sweep.Analysis, o ChartOptions, now time.Time, warnings ...string) ([]Chart, error) {
	return writeSweep(dir, title, label, a, o, now, true, warnings)
}

func writeSweep(dir, title, label string, a *sweep.Analysis, o ChartOptions, now time.Time, book bool, warnings []string) ([]Chart, error) {
	// The overfitting checks' charts are drawn beside the heatmap and the
	// sensitivity (SweepCharts draws those two at once): a sweep's report
	// waits for the slowest chart, not for their sum.
	var fit []Chart
	var fitErr error
	done := make(chan struct{})
	go func() { fit, fitErr = fitCharts(a, o); close(done) }()
	charts, err := SweepCharts(a, o)
	<-done
	if err != nil {
		return nil, err
	}
	if fitErr != nil {
		return nil, fitErr
	}
	charts = append(charts, fit...)
	if err := writeCharts(dir, charts); err != nil {
		return nil, err
	}
	t, err := template.New("sweep.html.tmpl").Funcs(template.FuncMap{
		"uri":  dataURI,
		"days": func(years float64) float64 { return years * 365 },
		"f2": func(p *float64) string {
			if p == nil {
				return "—"
			}
			return fmt.Sprintf("%.2f", *p)
		},
		"ts":     func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") },
		"cell":   cell,
		"celln":  func(column string, n json.Number) string { return cell(column, string(n)) },
		"pct":    pctp,
		"num":    f2p,
		"metric": func(p *float64) string { return metricp(a.Metric, p) },
		"yesno":  yesNo,
		"share": func(n, of int) string {
			if of == 0 {
				return "—"
			}
			return fmt.Sprintf("%.1f%%", 100*float64(n)/float64(of))
		},
		"params":   func(m map[string]string) string { return paramsLine(m, book) },
		"rowclass": func(row []string) template.HTMLAttr { return rowClass(a, row) },
	}).ParseFS(sweepTemplate, "sweep.html.tmpl")
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	data := map[string]any{"Title": title, "Label": label, "A": a, "Charts": charts, "Now": now, "Warnings": warnings,
		"Book": book, "BookNote": sweep.BookNote, "PickLiquidated": book && a.Liquidations != nil && a.Liquidations.Liquidated == a.Liquidations.Combinations}
	if err := t.Execute(&buf, data); err != nil {
		return nil, fmt.Errorf("rendering the sweep report: %w", err)
	}
	if err := atomicfile.Write(filepath.Join(dir, ReportHTML), func(w io.Writer) error { _, err := w.Write(withTOC(buf.Bytes())); return err }); err != nil {
		return nil, err
	}
	return charts, nil
}

// paramsLine is a combination's parameters that vary, "name value"
// joined by commas, in its grid's order (sweep.ParamNames, or a
// portfolio grid's sweep.BookParamNames), any other name after them in
// alphabetical order: none is left out.
func paramsLine(m map[string]string, book bool) string {
	order := sweep.ParamNames
	if book {
		order = sweep.BookParamNames
	}
	var parts []string
	for _, k := range order {
		if v, ok := m[k]; ok {
			parts = append(parts, k+" "+v)
		}
	}
	var rest []string
	for k := range m {
		if !slices.Contains(order, k) {
			rest = append(rest, k)
		}
	}
	slices.Sort(rest)
	for _, k := range rest {
		parts = append(parts, k+" "+m[k])
	}
	return strings.Join(parts, ", ")
}

// rowClass is a ranking row's class attribute: "liq" when the row says
// it was liquidated, "pick" for the pick's row; empty for neither.
func rowClass(a *sweep.Analysis, row []string) template.HTMLAttr {
	var classes []string
	for i, h := range a.ViewHeader {
		if i >= len(row) {
			break
		}
		switch {
		case h == "liquidated" && row[i] == "true":
			classes = append(classes, "liq")
		case h == "combination_index" && a.Pick != nil && row[i] == strconv.Itoa(a.Pick.Index):
			classes = append(classes, "pick")
		}
	}
	if len(classes) == 0 {
		return ""
	}
	return template.HTMLAttr(` class="` + strings.Join(classes, " ") + `"`)
}
