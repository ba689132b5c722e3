package report

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"path/filepath"
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
		"params": func(m map[string]string) string {
			var parts []string
			for _, k := range sweep.ParamNames {
				if v, ok := m[k]; ok {
					parts = append(parts, k+" "+v)
				}
			}
			return strings.Join(parts, ", ")
		},
	}).ParseFS(sweepTemplate, "sweep.html.tmpl")
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, map[string]any{"Title": title, "Label": label, "A": a, "Charts": charts, "Now": now, "Warnings": warnings}); err != nil {
		return nil, fmt.Errorf("rendering the sweep report: %w", err)
	}
	if err := atomicfile.Write(filepath.Join(dir, ReportHTML), func(w io.Writer) error { _, err := w.Write(withTOC(buf.Bytes())); return err }); err != nil {
		return nil, err
	}
	return charts, nil
}
