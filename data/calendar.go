package data

import (
	"slices"
	"time"
)

// QuarterlyDelivery is Binance's quarterly delivery rule: the last Friday
// of March, June, September and December at 08:00 UTC. Loaders use it only
// for quarters the lake's contracts dataset does not know.
func QuarterlyDelivery(year int, month time.Month) time.Time {
	d := time.Date(year, month+1, 1, 8, 0, 0, 0, time.UTC).AddDate(0, 0, -1)
	for d.Weekday() != time.Friday {
		d = d.AddDate(0, 0, -1)
	}
	return d
}

// Deliveries lists the delivery instants from before `from` to well after
// `to`: the lake's, and the rule's for quarters the lake lacks. It reports
// how many came from the rule.
func Deliveries(known []ContractRow, from, to time.Time) ([]time.Time, int) {
	var out []time.Time
	byQuarter := map[[2]int]time.Time{}
	for _, c := range known {
		d := c.DeliveryDate
		byQuarter[[2]int{d.Year(), int(d.Month())}] = d
	}
	ruled := 0
	for y, m := from.Year()-1, time.March; ; {
		if d, ok := byQuarter[[2]int{y, int(m)}]; ok {
			out = append(out, d)
		} else {
			out = append(out, QuarterlyDelivery(y, m))
			ruled++
		}
		if out[len(out)-1].After(to.AddDate(0, 7, 0)) {
			break
		}
		if m += 3; m > time.December {
			m, y = time.March, y+1
		}
	}
	slices.SortFunc(out, func(a, b time.Time) int { return a.Compare(b) })
	return out, ruled
}

// ContractDelivery is the delivery of the contract a quarterly series prices at
// t: the first delivery after t for CURRENT_QUARTER, the second for
// NEXT_QUARTER. The series switch at each delivery instant.
func ContractDelivery(ds []time.Time, t time.Time, ct ContractType) time.Time {
	i, _ := slices.BinarySearchFunc(ds, t, func(d, t time.Time) int {
		if d.After(t) {
			return 1
		}
		return -1
	})
	if ct == NextQuarter {
		i++
	}
	if i >= len(ds) {
		return time.Time{}
	}
	return ds[i]
}
