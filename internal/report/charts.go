package report

import (
	"io"
	"path/filepath"

	"github.com/carry-research/carry/analytics/chart"
	"github.com/carry-research/carry/internal/atomicfile"
)

// ChartOptions size and format the report's charts.
type ChartOptions = chart.Options

// Chart is one rendered chart.
type Chart struct {
	Name    string // file name without extension, e.g. "equity"
	Caption string
	Format  string
	Data    []byte
}

// File is the chart's file name.
func (c Chart) File() string { return c.Name + "." + c.Format }

// formatOf is the charts' file format: png unless the options say svg.
func formatOf(o ChartOptions) string {
	if o.Format == "" {
		return "png"
	}
	return o.Format
}

// writeCharts writes charts into dir, each atomically.
func writeCharts(dir string, charts []Chart) error {
	for _, c := range charts {
		b := c.Data
		if err := atomicfile.Write(filepath.Join(dir, c.File()), func(w io.Writer) error { _, err := w.Write(b); return err }); err != nil {
			return err
		}
	}
	return nil
}
