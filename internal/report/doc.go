// Package report renders what the commands computed: the HTML report and
// charts of backtests (WriteBacktest) and of a sweep's analysis
// (WriteSweep). It executes nothing and writes no run data: commands run
// backtests and sweeps through strategy/backtest and strategy/sweep, write
// their files there (backtest.WriteRuns, sweep.Analyze), then hand the
// results here. It is the only package that imports html/template and
// analytics/chart.
//
// Files: run_charts.go draws a backtest's charts, backtest.go and html.go
// write its report, tearsheet.go lays out and draws each run's tear sheet
// (tearsheet.html.tmpl); sweep_charts.go draws a sweep's heatmap and cost
// sensitivity, sweep_html.go writes its report.
package report
