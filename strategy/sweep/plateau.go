package sweep

import (
	"fmt"
	"math"
	"slices"
)

// DefaultFarWorse is the fraction by which a neighbour's metric may fall
// short of a candidate's before the candidate is a spike, not a plateau
// (AnalysisOptions.FarWorse).
const DefaultFarWorse = 0.5

// maxSkippedListed is how many skipped candidates the pick lists.
const maxSkippedListed = 10

// Pick is the combination the analyses choose: the best by the metric
// whose neighbours — the combinations one grid step away on any engine
// parameter that varies — are neither liquidated nor far worse (a plateau,
// not a spike). Far worse means a metric below the candidate's by more
// than FarWorse of its magnitude (above it, for a metric where lower is
// better), or a null metric:
//
//	higher is better: m(n) < m(c) − FarWorse·|m(c)|
//	lower is better:  m(n) > m(c) + FarWorse·|m(c)|
//
// A candidate that is itself liquidated or has a null metric is skipped
// too. When no combination qualifies the raw best is kept (Plateau false).
type Pick struct {
	Index  int               `json:"combination_index"`
	ID     string            `json:"id"`
	Metric *float64          `json:"metric"`
	Values map[string]string `json:"parameters"` // the parameters that vary
	// Plateau says the pick has the plateau the rule asks for; false: no
	// combination has, and the pick is the raw best.
	Plateau    bool    `json:"plateau"`
	RawBest    int     `json:"raw_best_index"`
	RawBestID  string  `json:"raw_best_id"`
	FarWorse   float64 `json:"far_worse_fraction"`
	Rule       string  `json:"rule"`
	Neighbours int     `json:"pick_neighbours"` // the pick's neighbours checked
	// Skipped are the better-ranked candidates passed over (the first
	// maxSkippedListed), SkippedCount how many there were.
	Skipped      []SkippedCandidate `json:"skipped"`
	SkippedCount int                `json:"skipped_count"`
}

// SkippedCandidate is a combination ranked above the pick, and why it is
// not a plateau.
type SkippedCandidate struct {
	Index  int      `json:"combination_index"`
	ID     string   `json:"id"`
	Metric *float64 `json:"metric"`
	Reason string   `json:"reason"`
}

// pickPlateau walks the combinations in rank order (the top rows first,
// then, only if none of them qualifies, all of them sorted) and returns
// the first whose neighbours pass; ids are filled by the caller.
func pickPlateau(g *layout, sc *rowScan, better func(a, b float64) bool, lowerIsBetter bool, farWorse float64, metricName string) *Pick {
	pick := &Pick{Index: sc.top.ranked[0].index, RawBest: sc.top.ranked[0].index, FarWorse: farWorse, Skipped: []SkippedCandidate{},
		Rule: fmt.Sprintf("the best by %s whose neighbours (one grid step on any engine parameter that varies) are not liquidated and whose %s is not %s the candidate's by more than %g of its magnitude (nor null)",
			metricName, metricName, map[bool]string{false: "below", true: "above"}[lowerIsBetter], farWorse)}
	try := func(i int) bool {
		reason, n := plateauFails(g, sc, i, lowerIsBetter, farWorse, metricName)
		if reason == "" {
			pick.Index, pick.Plateau, pick.Neighbours = i, true, n
			return true
		}
		pick.SkippedCount++
		if len(pick.Skipped) < maxSkippedListed {
			pick.Skipped = append(pick.Skipped, SkippedCandidate{Index: i, Metric: finite(sc.metricOf[i]), Reason: reason})
		}
		return false
	}
	for _, r := range sc.top.ranked {
		if try(r.index) {
			return pick
		}
	}
	// Every top row is a spike: rank them all (4 bytes a combination).
	order := make([]int32, 0, len(sc.metricOf))
	for i, m := range sc.metricOf {
		if !math.IsNaN(m) {
			order = append(order, int32(i))
		}
	}
	slices.SortStableFunc(order, func(a, b int32) int {
		switch ma, mb := sc.metricOf[a], sc.metricOf[b]; {
		case better(ma, mb):
			return -1
		case better(mb, ma):
			return 1
		}
		return 0
	})
	for _, i := range order[min(len(order), len(sc.top.ranked)):] {
		if try(int(i)) {
			return pick
		}
	}
	pick.Index = pick.RawBest
	return pick
}

// plateauFails says why combination i is not a plateau ("" when it is),
// and how many neighbours it has.
func plateauFails(g *layout, sc *rowScan, i int, lowerIsBetter bool, farWorse float64, metricName string) (string, int) {
	m := sc.metricOf[i]
	switch {
	case math.IsNaN(m):
		return metricName + " is null", 0
	case sc.isLiquidated(i):
		return "liquidated", 0
	}
	ns := g.neighbours(g.positionOf(i))
	bound := m - farWorse*math.Abs(m)
	if lowerIsBetter {
		bound = m + farWorse*math.Abs(m)
	}
	for _, n := range ns {
		// Formatted only for a neighbour that fails: most pass.
		step := func() string { return fmt.Sprintf("neighbour %d (%s %s → %s)", n.index, n.field, n.from, n.to) }
		mn := sc.metricOf[n.index]
		switch {
		case sc.isLiquidated(n.index):
			return step() + " is liquidated", len(ns)
		case math.IsNaN(mn):
			return fmt.Sprintf("%s has a null %s", step(), metricName), len(ns)
		case !lowerIsBetter && mn < bound, lowerIsBetter && mn > bound:
			return fmt.Sprintf("%s has %s %.4g, far worse than %.4g (limit %.4g)", step(), metricName, mn, m, bound), len(ns)
		}
	}
	return "", len(ns)
}

func finite(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

// Liquidations counts the liquidated combinations, in all and per value
// of each field that varies.
type Liquidations struct {
	Combinations int              `json:"combinations"`
	Liquidated   int              `json:"liquidated"`
	ByAxis       []AxisLiquidated `json:"by_axis"`
}

// AxisLiquidated is one varying field's values, each with its number of
// combinations and of liquidated ones.
type AxisLiquidated struct {
	Axis   string            `json:"axis"`
	Values []ValueLiquidated `json:"values"`
}

// ValueLiquidated is one value of a field.
type ValueLiquidated struct {
	Value        string `json:"value"` // "off": a rule that is off
	Combinations int    `json:"combinations"`
	Liquidated   int    `json:"liquidated"`
}

// liquidations counts, for every field that varies, each value's
// combinations and liquidated combinations: per slot entry as the
// combinations are met, then per value.
func liquidations(g *layout, sc *rowScan) *Liquidations {
	s := g.s
	out := &Liquidations{Combinations: sc.rows, Liquidated: sc.nLiquidated, ByAxis: []AxisLiquidated{}}
	type tally struct{ all, liq []int }
	perSlot := make([]tally, len(s.slots))
	for k, sl := range s.slots {
		perSlot[k] = tally{make([]int, len(sl.entries)), make([]int, len(sl.entries))}
	}
	g.each(func(i, p int) {
		liq := sc.isLiquidated(i)
		for k := range s.slots {
			if len(s.slots[k].entries) < 2 {
				continue
			}
			e := g.entry(p, k)
			perSlot[k].all[e]++
			if liq {
				perSlot[k].liq[e]++
			}
		}
	})
	for f, name := range ParamNames {
		vs := s.values[f]
		if len(vs) < 2 {
			continue
		}
		ax := AxisLiquidated{Axis: name, Values: make([]ValueLiquidated, len(vs))}
		for v := range vs {
			ax.Values[v].Value = shown(vs[v])
		}
		k := g.slotOf[f]
		for e := range s.slots[k].entries {
			v := g.valuePos[k][e][f-s.slots[k].first]
			if v < 0 {
				continue
			}
			ax.Values[v].Combinations += perSlot[k].all[e]
			ax.Values[v].Liquidated += perSlot[k].liq[e]
		}
		out.ByAxis = append(out.ByAxis, ax)
	}
	return out
}

// BestMetric is the raw best combination's metric (the first top row's).
func (a *Analysis) BestMetric() *float64 {
	if len(a.TopRows) == 0 {
		return nil
	}
	for i, h := range a.Header {
		if h == a.Metric {
			v, err := cellFloat(a.TopRows[0][i])
			if err != nil {
				return nil
			}
			return finite(v)
		}
	}
	return nil
}
