// Package backtest is the orchestration of single backtests, above the
// model (strategy) and the statistics (analytics): loading a market from
// the lake, running the engine on it, summarizing the result and writing
// its files. It renders nothing: charts and HTML are internal/report's,
// and commands run a backtest here before handing it to the report.
//
// Names, since "run" and "summarize" could each mean several things:
//   - strategy.Run is the engine; Simulate loads, runs and summarizes one
//     spec and returns its Outcome (the data read, the engine's record,
//     the Summary).
//   - SummaryOf is the Summary of the exact engine's Result;
//     SummaryOfKernel of the float kernel's totals: the same shape. The
//     statistics inside come from analytics.PerformanceOf;
//     SummaryOfKernelStats (sweeps) takes them from
//     strategy.EquityStatsOf's one pass instead, bit for bit the same.
//   - TearSheetOf is a Result's tear sheet (daily figures, calendar
//     returns, drawdown spells, benchmark): summary.json's "tear_sheet".
//   - WriteRun writes one backtest's files into a directory; WriteRuns
//     lays several out (RunDir) with comparison.csv beside them.
package backtest
