package analytics

import "time"

// PeriodReturn is the return over one calendar month or year (UTC).
type PeriodReturn struct {
	Year int `json:"year"`
	// Month is 1–12 for a month, 0 (omitted) for a year.
	Month  int   `json:"month,omitempty"`
	Return Value `json:"return"`
	// Partial says the window covers only part of the month or year (it
	// starts after its first 00:00 UTC or ends before its last).
	Partial bool `json:"partial"`
}

// MonthlyReturns compounds daily equity (DailyEquity: days[0] the window's
// start with the capital, then each day's end) into the return of each
// calendar month the window touches, in order:
//
//	R_m = V(end of m) / V(start of m) − 1
//
// V(start of m) the value at the last day end at or before m's first
// 00:00 UTC (V_0 when the window starts inside m), V(end of m) the value at
// the last day end at or before the next month's first 00:00 UTC (V_last
// when the window ends inside m). The months' returns compound to the
// window's total return.
func MonthlyReturns(days []time.Time, values []float64) []PeriodReturn {
	return calendarReturns(days, values, func(t time.Time) (int, int, time.Time, time.Time) {
		start := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
		return t.Year(), int(t.Month()), start, start.AddDate(0, 1, 0)
	})
}

// YearlyReturns is MonthlyReturns by calendar year (UTC):
// R_y = V(end of y) / V(start of y) − 1.
func YearlyReturns(days []time.Time, values []float64) []PeriodReturn {
	return calendarReturns(days, values, func(t time.Time) (int, int, time.Time, time.Time) {
		start := time.Date(t.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
		return t.Year(), 0, start, start.AddDate(1, 0, 0)
	})
}

// calendarReturns splits the day ends into the periods period names: the
// day ending at t belongs to the period holding t − 1ns (a day ending at
// 00:00 UTC on the 1st closes the month before).
func calendarReturns(days []time.Time, values []float64, period func(time.Time) (year, month int, start, end time.Time)) []PeriodReturn {
	if len(days) < 2 || len(days) != len(values) {
		return nil
	}
	var out []PeriodReturn
	from := 0 // index of the period's starting value
	for k := 1; k < len(days); k++ {
		y, m, start, end := period(days[k].UTC().Add(-time.Nanosecond))
		last := k == len(days)-1
		if !last {
			if ny, nm, _, _ := period(days[k+1].UTC().Add(-time.Nanosecond)); ny == y && nm == m {
				continue
			}
		}
		partial := days[from].After(start) || days[k].Before(end)
		out = append(out, PeriodReturn{Year: y, Month: m, Return: Of(values[k]/values[from] - 1), Partial: partial})
		from = k
	}
	return out
}

// MonthlyRow is one year of the monthly returns table.
type MonthlyRow struct {
	Year int `json:"year"`
	// Months are January … December; null outside the window.
	Months [12]Value `json:"months"`
	// YearReturn is the year's compounded return (YearlyReturns).
	YearReturn Value `json:"year_return"`
}

// MonthlyTable lays out MonthlyReturns and YearlyReturns as a table:
// rows years, columns months, with each year's return beside.
func MonthlyTable(months, years []PeriodReturn) []MonthlyRow {
	var rows []MonthlyRow
	row := map[int]int{}
	for _, y := range years {
		row[y.Year] = len(rows)
		rows = append(rows, MonthlyRow{Year: y.Year, YearReturn: y.Return})
	}
	for _, m := range months {
		i, ok := row[m.Year]
		if !ok {
			row[m.Year] = len(rows)
			i = len(rows)
			rows = append(rows, MonthlyRow{Year: m.Year})
		}
		if m.Month >= 1 && m.Month <= 12 {
			rows[i].Months[m.Month-1] = m.Return
		}
	}
	return rows
}

// DayReturn is one day's return.
type DayReturn struct {
	// Day is the UTC date of the day (the one ending at the day end).
	Day    string `json:"day"`
	Return Value  `json:"return"`
}

// BestWorstDays are the largest and the smallest daily return
// r_k = V_k/V_{k−1} − 1 of daily equity (DailyEquity), with their days
// (the date of days[k] − 1ns); the first of equal returns wins. Null
// without a return.
func BestWorstDays(days []time.Time, values []float64) (best, worst DayReturn) {
	r := Returns(values)
	if len(r) == 0 || len(days) != len(values) {
		return DayReturn{}, DayReturn{}
	}
	bi, wi := 0, 0
	for i, x := range r {
		if x > r[bi] {
			bi = i
		}
		if x < r[wi] {
			wi = i
		}
	}
	day := func(i int) DayReturn {
		return DayReturn{Day: days[i+1].UTC().Add(-time.Nanosecond).Format(time.DateOnly), Return: Of(r[i])}
	}
	return day(bi), day(wi)
}

// BestWorstPeriods are the periods with the largest and the smallest
// return (partial ones included, flagged); the first of equal returns
// wins. Zero PeriodReturns (null returns) when there are none.
func BestWorstPeriods(ps []PeriodReturn) (best, worst PeriodReturn) {
	bi, wi := -1, -1
	for i, p := range ps {
		if !p.Return.Valid {
			continue
		}
		if bi < 0 || p.Return.V > ps[bi].Return.V {
			bi = i
		}
		if wi < 0 || p.Return.V < ps[wi].Return.V {
			wi = i
		}
	}
	if bi < 0 {
		return PeriodReturn{}, PeriodReturn{}
	}
	return ps[bi], ps[wi]
}
