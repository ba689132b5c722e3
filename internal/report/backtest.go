package report

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/carry-research/carry/analytics/chart"
	"github.com/carry-research/carry/internal/atomicfile"
	"github.com/carry-research/carry/strategy/backtest"
)

// ReportHTML is the report's file name.
const ReportHTML = "report.html"

// WriteBacktest writes the report of backtests whose files are already
// under dir (backtest.WriteRuns): each one's charts beside its files, with
// several a ranking chart in dir, then report.html in dir.
func WriteBacktest(dir string, title, label string, sections []Section, o ChartOptions, now time.Time, extra ...Chart) error {
	return WriteBacktestPage(dir, Page{Title: title, Label: label, Generated: now, Extra: extra}, sections, o)
}

// WriteBacktestPage is WriteBacktest of a page whose title, label, time
// and extras are set (WriteBacktestWithSweep's).
func WriteBacktestPage(dir string, page Page, sections []Section, o ChartOptions) error {
	label := page.Label
	several := len(sections) > 1
	for i := range sections {
		s := &sections[i]
		s.Name = s.DirName()
		if several {
			s.Files = s.Name + "/"
		}
		charts, err := RunCharts(s.Result, label, o)
		if err != nil {
			return err
		}
		s.Charts = charts
		if s.TearSheet, err = TearSheetOf(s, label, o); err != nil {
			return err
		}
		if err := writeCharts(backtest.RunDir(dir, s.Name, len(sections)), slices.Concat(charts, s.TearSheet.Charts)); err != nil {
			return err
		}
	}
	page.Sections = sections
	if several {
		rank, err := rankingChart(sections, label, o)
		if err != nil {
			return err
		}
		if err := writeCharts(dir, []Chart{rank}); err != nil {
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

// rankingChart ranks the sections by annualized yield.
func rankingChart(sections []Section, label string, o ChartOptions) (Chart, error) {
	// A run whose APR is undefined (no time elapsed) is left out, and said
	// to be: drawn at 0 it would read as a yield of 0.
	var names, undefined []string
	var yields []float64
	for _, s := range sections {
		if !s.Summary.APR.Valid {
			undefined = append(undefined, s.Name)
			continue
		}
		names = append(names, s.Name)
		yields = append(yields, s.Summary.APR.V)
	}
	caption := "Annualized carry yield (APR) per run, best first."
	if len(names) == 0 { // none defined (no run can be this short): an empty axis rather than no report
		names, yields = []string{"(none)"}, []float64{0}
	}
	if len(undefined) > 0 {
		caption += " Not shown, their APR undefined: " + strings.Join(undefined, ", ") + "."
	}
	first := sections[0].Summary
	t := fmt.Sprintf("Annualized carry yield by run — %s, %s → %s", first.Period, first.From[:10], first.To[:10])
	for _, s := range sections[1:] {
		if m := s.Summary; m.Period != first.Period || m.From != first.From || m.To != first.To {
			t = "Annualized carry yield by run — each over its own window (see its section)"
			break
		}
	}
	if label != "" {
		t += " · " + label
	}
	b, err := chart.Ranking(t, names, yields, o)
	if err != nil {
		return Chart{}, err
	}
	return Chart{Name: "ranking", Caption: caption, Format: formatOf(o), Data: b}, nil
}
