package sweep

import (
	"context"
	"encoding/json"
	"fmt"
	"math"

	"github.com/carry-research/carry/analytics"
	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/strategy/backtest"
)

// choose finds the pick (pickPlateau), fills Analysis.Pick with the ids
// and parameters, and returns the pick's combination.
func (a *Analysis) choose(ctx context.Context, ex Expansion, g *layout, scan *Scan) (Combination, error) {
	sc := &scan.sc
	pick := pickPlateau(g, sc, scan.better, scan.metric.LowerIsBetter, scan.o.FarWorse, a.Metric)
	idOf := func(i int) (Combination, error) {
		c, err := ex.At(ctx, i)
		if err != nil {
			return c, fmt.Errorf("building combination %d: %w", i, err)
		}
		return c, nil
	}
	c, err := idOf(pick.Index)
	if err != nil {
		return c, err
	}
	raw, err := idOf(pick.RawBest)
	if err != nil {
		return c, err
	}
	pick.ID, pick.RawBestID, pick.Metric = c.ID, raw.ID, finite(sc.metricOf[pick.Index])
	pick.Values = map[string]string{}
	for f, n := range ParamNames {
		if len(ex.values(f)) > 1 {
			pick.Values[n] = shown(c.Values[n])
		}
	}
	for k := range pick.Skipped {
		s, err := idOf(pick.Skipped[k].Index)
		if err != nil {
			return c, err
		}
		pick.Skipped[k].ID = s.ID
	}
	a.Pick = pick
	return c, nil
}

// rerunPick runs the pick on its series (the in-sample part when split)
// and computes its daily Sharpe, probabilistic Sharpe (against 0) and
// deflated Sharpe (against the luck figure de-annualized, LuckSharpe/√365)
// from its daily returns (analytics.DailyEquity, analytics.ProbabilisticSharpe).
func (a *Analysis) rerunPick(s *series, pick Combination, metric Metric) (backtest.Summary, error) {
	equity := make([]float64, s.prepared.Len())
	row, err := evaluate(s, pick, equity)
	if err != nil {
		return backtest.Summary{}, fmt.Errorf("running the pick %s again: %w", pick.ID, err)
	}
	_, days := analytics.DailyEquity(s.market.Times, equity, pick.Params.Capital.InexactFloat64())
	// Net of the risk-free rate, as its sharpe_daily and the luck figure.
	r := analytics.ExcessReturns(analytics.Returns(days), pick.RiskFree/analytics.DaysPerYear)
	a.PickDailySharpe = valuePtr(row.Summary.SharpeDaily) // its sharpe_daily column
	if v := analytics.ProbabilisticSharpe(r, 0); v.Valid {
		a.PickPSR = &v.V
	}
	if a.LuckSharpe != nil {
		if v := analytics.ProbabilisticSharpe(r, *a.LuckSharpe/math.Sqrt(analytics.DaysPerYear)); v.Valid {
			a.PickDSR = &v.V
		}
	}
	return row.Summary, nil
}

// jsonCell is results cell i as analysis.json writes it: numbers as JSON
// numbers (null when empty), flags as booleans, text as text.
func jsonCell(text string, kinds []data.ColumnKind, i int) any {
	if i >= len(kinds) {
		return text
	}
	switch kinds[i] {
	case data.Float, data.Int:
		if text == "" {
			return nil
		}
		return json.Number(text)
	case data.Bool:
		return text == "true"
	}
	return text
}
