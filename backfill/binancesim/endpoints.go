package binancesim

import (
	"net/http"
	"slices"
	"time"
)

var periods = map[string]time.Duration{
	"5m": 5 * time.Minute, "15m": 15 * time.Minute, "30m": 30 * time.Minute,
	"1h": time.Hour, "2h": 2 * time.Hour, "4h": 4 * time.Hour,
	"6h": 6 * time.Hour, "12h": 12 * time.Hour, "1d": 24 * time.Hour,
}

// basisOut is a basis row in Binance's field order.
type basisOut struct {
	IndexPrice          string `json:"indexPrice"`
	ContractType        string `json:"contractType"`
	BasisRate           string `json:"basisRate"`
	FuturesPrice        string `json:"futuresPrice"`
	AnnualizedBasisRate string `json:"annualizedBasisRate"`
	Basis               string `json:"basis"`
	Pair                string `json:"pair"`
	Timestamp           int64  `json:"timestamp"`
}

// fundingOut is a fundingRate row in Binance's field order.
type fundingOut struct {
	Symbol      string `json:"symbol"`
	FundingTime int64  `json:"fundingTime"`
	FundingRate string `json:"fundingRate"`
	MarkPrice   string `json:"markPrice"`
	RateType    string `json:"rateType"`
}

func (s *Server) basis(q map[string][]string, now time.Time) (response, *apiError) {
	pair, ct, period := first(q, "pair"), first(q, "contractType"), first(q, "period")
	switch {
	case pair == "":
		return response{}, errMandatory("pair")
	case ct == "":
		return response{}, errMandatory("contractType")
	case period == "":
		return response{}, errMandatory("period")
	}
	if !slices.Contains([]string{"PERPETUAL", "CURRENT_QUARTER", "NEXT_QUARTER"}, ct) {
		return response{}, errInvalid("contractType")
	}
	step, ok := periods[period]
	if !ok {
		return response{}, errInvalid("period")
	}
	if !s.Market.knownPair(pair) {
		return response{}, errInvalidSymbol()
	}
	pg, aerr := pageParams(q, min(30, s.opts.BasisMaxLimit), s.opts.BasisMaxLimit)
	if aerr != nil {
		return response{}, aerr
	}
	limit, start, hasStart, end, hasEnd := pg.limit, pg.start, pg.hasStart, pg.end, pg.hasEnd
	if hasStart && hasEnd && start > end {
		return response{}, errInvalid("startTime")
	}
	retention := s.opts.BasisRetention
	if period == "1d" {
		retention = s.opts.DailyBasisRetention
	}
	oldest := int64(0)
	if retention > 0 {
		oldest = now.Add(-retention).UnixMilli()
		if hasStart && start < oldest-step.Milliseconds() && !s.opts.OldBasisEmpty {
			return response{}, errInvalid("startTime")
		}
	}
	var in []BasisRecord
	for _, r := range s.Market.Basis(BasisKey{pair, ct, period}) {
		if r.Timestamp < oldest || r.Timestamp > now.UnixMilli() {
			continue // no longer served, or not yet
		}
		if hasStart && r.Timestamp < start || hasEnd && r.Timestamp > end {
			continue
		}
		in = append(in, r)
	}
	// Undocumented which rows come back when the window holds more than
	// limit: the fake answers with the latest ones.
	if len(in) > limit {
		if hasStart && (!hasEnd || s.opts.BasisAnchor == "start") {
			in = in[:limit]
		} else {
			in = in[len(in)-limit:]
		}
	}
	out := make([]basisOut, len(in))
	for i, r := range in {
		out[i] = basisOut{IndexPrice: r.IndexPrice, ContractType: ct, BasisRate: r.BasisRate, FuturesPrice: r.FuturesPrice,
			AnnualizedBasisRate: r.AnnualizedBasisRate, Basis: r.Basis, Pair: pair, Timestamp: r.Timestamp}
	}
	return response{status: http.StatusOK, body: out, rows: len(out)}, nil
}

func (s *Server) fundingRate(q map[string][]string, now time.Time) (response, *apiError) {
	symbol := first(q, "symbol")
	pg, aerr := pageParams(q, 100, 1000)
	if aerr != nil {
		return response{}, aerr
	}
	limit, start, hasStart, end, hasEnd := pg.limit, pg.start, pg.hasStart, pg.end, pg.hasEnd
	var symbols []string
	if symbol == "" {
		for _, c := range s.Market.allContracts() {
			symbols = append(symbols, c.Symbol)
		}
	} else {
		if _, ok := s.Market.contract(symbol); !ok {
			return response{}, errInvalidSymbol()
		}
		symbols = []string{symbol}
	}
	var in []fundingOut
	for _, sym := range symbols {
		for _, r := range s.Market.Funding(sym) {
			if r.FundingTime > now.UnixMilli() {
				continue
			}
			if hasStart && r.FundingTime < start || hasEnd && r.FundingTime > end {
				continue
			}
			in = append(in, fundingOut{Symbol: sym, FundingTime: r.FundingTime, FundingRate: r.FundingRate, MarkPrice: r.MarkPrice, RateType: r.RateType})
		}
	}
	slices.SortStableFunc(in, func(a, b fundingOut) int { return int(a.FundingTime - b.FundingTime) })
	// Documented: with startTime, the first limit rows from it; without
	// times, the latest limit rows.
	if len(in) > limit {
		if hasStart {
			in = in[:limit]
		} else {
			in = in[len(in)-limit:]
		}
	}
	if in == nil {
		in = []fundingOut{}
	}
	return response{status: http.StatusOK, body: in, rows: len(in)}, nil
}

func (s *Server) fundingInfo() response {
	type info struct {
		Symbol                   string `json:"symbol"`
		AdjustedFundingRateCap   string `json:"adjustedFundingRateCap"`
		AdjustedFundingRateFloor string `json:"adjustedFundingRateFloor"`
		FundingIntervalHours     int    `json:"fundingIntervalHours"`
		Disclaimer               bool   `json:"disclaimer"`
	}
	out := []info{}
	for _, c := range s.Market.allContracts() {
		if c.ContractType == "PERPETUAL" && c.FundingIntervalHours != 8 {
			out = append(out, info{c.Symbol, "0.02000000", "-0.02000000", c.FundingIntervalHours, false})
		}
	}
	return response{status: http.StatusOK, body: out}
}

func (s *Server) exchangeInfo(now time.Time) response {
	type rateLimit struct {
		RateLimitType string `json:"rateLimitType"`
		Interval      string `json:"interval"`
		IntervalNum   int    `json:"intervalNum"`
		Limit         int    `json:"limit"`
	}
	type symbol struct {
		Symbol            string `json:"symbol"`
		Pair              string `json:"pair"`
		ContractType      string `json:"contractType"`
		DeliveryDate      int64  `json:"deliveryDate"`
		OnboardDate       int64  `json:"onboardDate"`
		Status            string `json:"status"`
		BaseAsset         string `json:"baseAsset"`
		QuoteAsset        string `json:"quoteAsset"`
		MarginAsset       string `json:"marginAsset"`
		PricePrecision    int    `json:"pricePrecision"`
		QuantityPrecision int    `json:"quantityPrecision"`
		UnderlyingType    string `json:"underlyingType"`
		TriggerProtect    string `json:"triggerProtect"`
	}
	var syms []symbol
	for _, c := range s.Market.allContracts() {
		base := c.Pair
		if len(base) > 4 && base[len(base)-4:] == "USDT" {
			base = base[:len(base)-4]
		}
		syms = append(syms, symbol{c.Symbol, c.Pair, c.ContractType, c.DeliveryDate, c.OnboardDate, c.Status, base, "USDT", "USDT", 2, 3, "COIN", "0.0500"})
	}
	return response{status: http.StatusOK, body: map[string]any{
		"timezone":   "UTC",
		"serverTime": now.UnixMilli(),
		"rateLimits": []rateLimit{
			{"REQUEST_WEIGHT", "MINUTE", 1, s.opts.WeightPerMinute},
			{"ORDERS", "MINUTE", 1, 1200},
			{"ORDERS", "SECOND", 10, 300},
		},
		"exchangeFilters": []any{},
		"assets":          []any{},
		"symbols":         syms,
	}}
}

// applyDataFault alters the rows of a data page as a misbehaving exchange
// (or a broken proxy) might.
func applyDataFault(k FaultKind, body any) any {
	switch rows := body.(type) {
	case []basisOut:
		return alterRows(k, rows, func(r *basisOut, i int) { r.Timestamp += int64(i) * 3_600_000 },
			func(r *basisOut) { r.Pair = "XYZ" + r.Pair }, func(r *basisOut) { r.IndexPrice = "1.2.3" })
	case []fundingOut:
		return alterRows(k, rows, func(r *fundingOut, i int) { r.FundingTime += int64(i) * 3_600_000 },
			func(r *fundingOut) { r.Symbol = "XYZ" + r.Symbol }, func(r *fundingOut) { r.FundingRate = "abc" })
	case []klineOut:
		return alterRows(k, rows, shiftKline, foreignKline, func(r *klineOut) { r.Open = "1.2.3" })
	}
	return body
}

func alterRows[T any](k FaultKind, rows []T, shift func(*T, int), rename func(*T), corrupt func(*T)) []T {
	if len(rows) == 0 {
		return rows
	}
	rows = slices.Clone(rows)
	mid := len(rows) / 2
	switch k {
	case DuplicateRows:
		rows = slices.Insert(rows, mid, rows[mid], rows[0])
	case MissingRows:
		if len(rows) >= 3 {
			rows = slices.Delete(rows, mid, mid+1)
		}
	case OutOfWindow:
		extra := rows[len(rows)-1]
		shift(&extra, 1_000)
		rows = append(rows, extra)
	case WrongSymbol:
		extra := rows[mid]
		rename(&extra)
		rows = slices.Insert(rows, mid, extra)
	case Unparsable:
		corrupt(&rows[mid])
	case Shuffled:
		slices.Reverse(rows)
	}
	return rows
}
