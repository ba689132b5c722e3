package report

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/carry-research/carry/analytics/chart"
	"github.com/carry-research/carry/data/lake"
	"github.com/carry-research/carry/internal/atomicfile"
	"github.com/carry-research/carry/strategy"
	"github.com/carry-research/carry/strategy/backtest"
)

// ComparisonCSV is the table of several runs' summaries.
const ComparisonCSV = "comparison.csv"

// ReportHTML is the report's file name.
const ReportHTML = "report.html"

// RunSection runs a spec (backtest.Execute) and draws its charts.
func RunSection(lake *lake.Lake, spec backtest.Spec, p strategy.Params, riskFree float64, label string, o chart.Options) (Section, error) {
	run, err := backtest.Execute(lake, spec, p, riskFree)
	if err != nil {
		return Section{}, err
	}
	charts, err := run.Charts(label, o)
	if err != nil {
		return Section{}, err
	}
	return Section{Summary: run.Summary, Result: run.Result, Charts: charts, Warnings: run.Warnings}, nil
}

// WriteBacktest writes sections under dir: one run's files (and charts)
// directly in dir, or with several runs each in dir/<SYMBOL>/ plus
// comparison.csv and a ranking chart; then report.html in dir.
func WriteBacktest(dir string, title, label string, sections []Section, o chart.Options, now time.Time, extra ...backtest.Chart) error {
	page := Page{Title: title, Label: label, Generated: now, Extra: extra}
	several := len(sections) > 1
	for i := range sections {
		s := &sections[i]
		runDir := dir
		if s.Name == "" {
			s.Name = s.Summary.Symbol
		}
		if several {
			s.Files = s.Name + "/"
			runDir = filepath.Join(dir, s.Name)
		}
		if err := backtest.WriteRun(runDir, s.Result, s.Summary); err != nil {
			return err
		}
		if err := backtest.WriteCharts(runDir, s.Charts); err != nil {
			return err
		}
	}
	page.Sections = sections
	if several {
		var sums []backtest.Summary
		var names []string
		var yields []float64
		for _, s := range sections {
			sums = append(sums, s.Summary)
			names = append(names, s.Name)
			yields = append(yields, s.Summary.APR.V)
		}
		if err := atomicfile.Write(filepath.Join(dir, ComparisonCSV), func(w io.Writer) error { return backtest.WriteSummaryCSV(w, sums) }); err != nil {
			return err
		}
		first := sections[0].Summary
		t := fmt.Sprintf("Annualized carry yield by run — %s, %s → %s", first.Period, first.From[:10], first.To[:10])
		if label != "" {
			t += " · " + label
		}
		b, err := chart.Ranking(t, names, yields, o)
		if err != nil {
			return err
		}
		format := o.Format
		if format == "" {
			format = "png"
		}
		rank := backtest.Chart{Name: "ranking", Caption: "Annualized carry yield (APR) per run, best first.", Format: format, Data: b}
		if err := backtest.WriteCharts(dir, []backtest.Chart{rank}); err != nil {
			return err
		}
		page.Ranking = &rank
	}
	var buf bytes.Buffer
	if err := WriteHTML(&buf, page); err != nil {
		return fmt.Errorf("rendering the report: %w", err)
	}
	return atomicfile.Write(filepath.Join(dir, ReportHTML), func(w io.Writer) error { _, err := w.Write(buf.Bytes()); return err })
}
