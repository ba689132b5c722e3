package binance

import (
	"time"

	"github.com/carry-research/carry/data"
)

// DefaultKlineLimit is the page size every kline endpoint answers with
// when no limit is sent.
const DefaultKlineLimit = 500

// MaxKlineLimit is the most candles one request of a kind may ask for:
// 1,500 on the futures endpoints, 1,000 on spot.
func MaxKlineLimit(kind data.KlineKind) int {
	if kind == data.KlineSpot {
		return 1000
	}
	return 1500
}

// KlineWeight is the request weight of a kline request asking for limit
// candles. The futures endpoints weigh by limit — [1,100) 1, [100,500) 2,
// [500,1000] 5, above 10 — and count against the futures pool; spot
// klines weigh 2 whatever the limit, against the spot pool.
func KlineWeight(kind data.KlineKind, limit int) int {
	switch {
	case kind == data.KlineSpot:
		return 2
	case limit < 100:
		return 1
	case limit < 500:
		return 2
	case limit <= 1000:
		return 5
	default:
		return 10
	}
}

// weightClass is the largest limit of a weight and that weight.
type weightClass struct{ limit, weight int }

// weightClasses lists a kind's classes: a page of at most limit candles
// costs weight.
func weightClasses(kind data.KlineKind) []weightClass {
	if kind == data.KlineSpot {
		return []weightClass{{1000, 2}}
	}
	return []weightClass{{99, 1}, {499, 2}, {1000, 5}, {1500, 10}}
}

// KlinePage is one request of a plan: the candles it asks for (its
// limit) and the weight that costs.
type KlinePage struct{ Limit, Weight int }

// PlanKlinePages chooses the page sizes that fetch n candles of a kind
// with the least total weight and, among those, the fewest requests:
// weight is what the per-minute limit counts, so it decides how fast a
// backfill may go. On the futures endpoints 499-candle pages (weight 2,
// 249.5 candles per unit of weight) beat 1,000-candle pages (5, 200 per
// unit) and 1,500-candle pages (10, 150 per unit); docs/backfill.md has
// the arithmetic. Pages come largest first; their limits sum to n.
func PlanKlinePages(kind data.KlineKind, n int) []KlinePage {
	if n <= 0 {
		return nil
	}
	classes := weightClasses(kind)
	best := classes[0] // the most candles per unit of weight
	bound := 0
	for _, c := range classes {
		if c.limit*best.weight > best.limit*c.weight {
			best = c
		}
		bound += 2 * c.limit
	}
	// Far from the end an optimal plan always holds a page of the best
	// class, and a plan for what is left is optimal for the rest (else
	// the whole would not be): peel such pages off down to a span the
	// exact search below covers. A test holds this to an exhaustive
	// search.
	var out []KlinePage
	if n > bound {
		k := (n - bound + best.limit - 1) / best.limit
		for range k {
			out = append(out, KlinePage{best.limit, best.weight})
		}
		n -= k * best.limit
	}
	return append(out, exactPlan(kind, classes, n)...)
}

// planCost orders plans: less weight first, then fewer requests.
type planCost struct{ weight, requests int }

func (a planCost) less(b planCost) bool {
	return a.weight < b.weight || a.weight == b.weight && a.requests < b.requests
}

// exactPlan searches every plan for n candles (dynamic programming over
// the candles still to fetch).
func exactPlan(kind data.KlineKind, classes []weightClass, n int) []KlinePage {
	cost := make([]planCost, n+1)
	choice := make([]int, n+1)
	for m := 1; m <= n; m++ {
		cost[m] = planCost{weight: 1 << 30}
		// Largest first, so that among equal plans full pages win.
		for i := len(classes) - 1; i >= 0; i-- {
			c := classes[i]
			limit := min(c.limit, m)
			cand := planCost{cost[m-limit].weight + KlineWeight(kind, limit), cost[m-limit].requests + 1}
			if cand.less(cost[m]) {
				cost[m], choice[m] = cand, i
			}
		}
	}
	var out []KlinePage
	for m := n; m > 0; {
		limit := min(classes[choice[m]].limit, m)
		out = append(out, KlinePage{limit, KlineWeight(kind, limit)})
		m -= limit
	}
	// Largest first: the small page, if any, at the newest end.
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].Limit > out[j-1].Limit; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// PlanWeight sums a plan's weight.
func PlanWeight(pages []KlinePage) int {
	w := 0
	for _, p := range pages {
		w += p.Weight
	}
	return w
}

// KlineWindows splits the candles of key opening in [from, to] into the
// queries of PlanKlinePages, oldest first: each window holds exactly its
// page's limit of open times on the interval's grid, so no answer depends
// on which end the exchange keeps when a window holds more than limit.
func KlineWindows(key data.KlineKey, from, to time.Time) []KlineQuery {
	iv := key.Interval.Duration()
	if iv <= 0 {
		return nil
	}
	first := from.Truncate(iv)
	if first.Before(from) {
		first = first.Add(iv)
	}
	if first.After(to) {
		return nil
	}
	n := int(to.Sub(first)/iv) + 1
	var out []KlineQuery
	t := first.UTC()
	for _, p := range PlanKlinePages(key.Kind, n) {
		out = append(out, KlineQuery{Key: key, Start: t, End: t.Add(time.Duration(p.Limit-1) * iv), Limit: p.Limit})
		t = t.Add(time.Duration(p.Limit) * iv)
	}
	return out
}
