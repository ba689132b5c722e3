package sweep

import (
	"bytes"
	"embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"path/filepath"
	"time"

	"github.com/carry-research/carry/internal/atomicfile"
)

//go:embed sweep.html.tmpl
var tmpl embed.FS

// ReportHTML is the sweep's report.
const ReportHTML = "report.html"

// WriteReport writes dir/report.html: the best combinations, the number
// tried beside the best Sharpe, the charts and the out-of-sample check.
func WriteReport(dir, title, label string, a *Analysis, now time.Time) error {
	t, err := template.New("sweep.html.tmpl").Funcs(template.FuncMap{
		"uri": func(c ChartFile) template.URL {
			return template.URL("data:image/" + map[string]string{"png": "png", "svg": "svg+xml"}[c.Format] + ";base64," + base64.StdEncoding.EncodeToString(c.Data))
		},
		"f2": func(p *float64) string {
			if p == nil {
				return "—"
			}
			return fmt.Sprintf("%.2f", *p)
		},
		"ts": func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") },
	}).ParseFS(tmpl, "sweep.html.tmpl")
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, map[string]any{"Title": title, "Label": label, "A": a, "Now": now}); err != nil {
		return err
	}
	return atomicfile.Write(filepath.Join(dir, ReportHTML), func(w io.Writer) error { _, err := w.Write(buf.Bytes()); return err })
}
