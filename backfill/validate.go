package backfill

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/carry-research/carry/backfill/binance"
	"github.com/carry-research/carry/data"
)

// repairs counts what validation removed or fixed in a page, by reason.
type repairs map[string]int

func (r repairs) add(reason string) { r[reason]++ }

func (r repairs) total() int {
	n := 0
	for _, v := range r {
		n += v
	}
	return n
}

// String lists the repairs as reason=count, in name order.
func (r repairs) String() string {
	args := r.logArgs()
	var sb strings.Builder
	for i := 0; i < len(args); i += 2 {
		if i > 0 {
			sb.WriteString(", ")
		}
		fmt.Fprintf(&sb, "%s=%d", args[i], args[i+1])
	}
	return sb.String()
}

func (r repairs) logArgs() []any {
	var args []any
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range r {
			if !yield(k) {
				return
			}
		}
	}) {
		args = append(args, k, r[k])
	}
	return args
}

// validateBasis keeps the rows of a page that belong to the series and the
// asked window, on the period's grid, once each, in time order; everything
// else is counted in repairs.
func validateBasis(key data.BasisKey, w data.Span, pts []binance.BasisPoint) ([]data.BasisRow, repairs) {
	fix := repairs{}
	step := key.Period.Duration().Milliseconds()
	byTime := map[int64]data.BasisRow{}
	var order []int64
	for i, p := range pts {
		ms := p.Timestamp.UnixMilli()
		switch {
		case p.Pair != key.Pair || p.ContractType != string(key.ContractType):
			fix.add(fmt.Sprintf("dropped_wrong_series(%s %s)", p.Pair, p.ContractType))
		case p.Timestamp.Before(w.From) || p.Timestamp.After(w.To):
			fix.add("dropped_outside_window")
		case ms%step != 0:
			fix.add("dropped_off_grid")
		case p.BasisRow.Validate(key.Period) != nil:
			fix.add("dropped_invalid")
		default:
			if prev, dup := byTime[ms]; dup {
				if prev != p.BasisRow {
					fix.add("dropped_conflicting_duplicate")
				} else {
					fix.add("dropped_duplicate")
				}
				continue
			}
			if i > 0 && len(order) > 0 && ms < order[len(order)-1] {
				fix.add("sorted_out_of_order")
			}
			byTime[ms] = p.BasisRow
			order = append(order, ms)
		}
	}
	slices.Sort(order)
	rows := make([]data.BasisRow, len(order))
	for i, ms := range order {
		rows[i] = byTime[ms]
	}
	return rows, fix
}

// validateFunding does the same for a funding page: events are keyed by
// their nominal instant (fundingTime truncated to the minute).
func validateFunding(symbol string, w data.Span, evs []binance.FundingEvent) ([]data.FundingRow, repairs) {
	fix := repairs{}
	byMinute := map[int64]data.FundingRow{}
	var order []int64
	for _, e := range evs {
		key := e.Instant().UnixMilli()
		switch {
		case e.Symbol != symbol:
			fix.add(fmt.Sprintf("dropped_wrong_symbol(%s)", e.Symbol))
		case e.FundingTime.Before(w.From) || e.FundingTime.After(w.To):
			fix.add("dropped_outside_window")
		case e.FundingRow.Validate() != nil:
			fix.add("dropped_invalid")
		default:
			if prev, dup := byMinute[key]; dup {
				if prev != e.FundingRow {
					fix.add("dropped_conflicting_duplicate")
				} else {
					fix.add("dropped_duplicate")
				}
				continue
			}
			if len(order) > 0 && key < order[len(order)-1] {
				fix.add("sorted_out_of_order")
			}
			byMinute[key] = e.FundingRow
			order = append(order, key)
		}
	}
	slices.Sort(order)
	rows := make([]data.FundingRow, len(order))
	for i, k := range order {
		rows[i] = byMinute[k]
	}
	return rows, fix
}

// unionBasis merges two fetches of one page; b wins on conflicts.
func unionBasis(a, b []data.BasisRow) []data.BasisRow {
	m := map[int64]data.BasisRow{}
	for _, r := range a {
		m[r.Timestamp.UnixMilli()] = r
	}
	for _, r := range b {
		m[r.Timestamp.UnixMilli()] = r
	}
	return sortedValues(m, func(r data.BasisRow) time.Time { return r.Timestamp })
}

// unionFunding merges two fetches of one funding page; b wins.
func unionFunding(a, b []data.FundingRow) []data.FundingRow {
	m := map[int64]data.FundingRow{}
	for _, r := range a {
		m[r.Instant().UnixMilli()] = r
	}
	for _, r := range b {
		m[r.Instant().UnixMilli()] = r
	}
	return sortedValues(m, func(r data.FundingRow) time.Time { return r.FundingTime })
}

func sortedValues[T any](m map[int64]T, ts func(T) time.Time) []T {
	out := make([]T, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	slices.SortFunc(out, func(a, b T) int { return ts(a).Compare(ts(b)) })
	return out
}
