package binancesim

import (
	"strconv"

	"github.com/carry-research/carry/data"
)

// misbehave answers a data request as a broken or hostile server would
// (see NullBody and the kinds after it); other kinds leave body alone.
func misbehave(k FaultKind, body any, q map[string][]string) any {
	if k == NullBody {
		return nil
	}
	limit, _ := strconv.Atoi(first(q, "limit"))
	limit = max(1, min(limit, 1000))
	start, _ := strconv.ParseInt(first(q, "startTime"), 10, 64)
	end, _ := strconv.ParseInt(first(q, "endTime"), 10, 64)
	switch rows := body.(type) {
	case []basisOut:
		proto := basisOut{IndexPrice: "60000.00000000", FuturesPrice: "60010.00000000", Basis: "10.00000000", BasisRate: "0.0002",
			ContractType: first(q, "contractType"), Pair: first(q, "pair")}
		return misbehaveRows(k, rows, proto, limit, start, end, 3_600_000,
			func(r *basisOut, ms int64) { r.Timestamp = ms }, func(r *basisOut) { r.Pair = "XYZ" + r.Pair })
	case []fundingOut:
		proto := fundingOut{Symbol: first(q, "symbol"), FundingRate: "0.00010000", MarkPrice: "60000.00000000", RateType: "Regular"}
		return misbehaveRows(k, rows, proto, limit, start, end, 8*3_600_000,
			func(r *fundingOut, ms int64) { r.FundingTime = ms }, func(r *fundingOut) { r.Symbol = "XYZ" + r.Symbol })
	case []klineOut:
		step := data.Interval(first(q, "interval")).Duration().Milliseconds()
		if step == 0 {
			step = 3_600_000
		}
		proto := klineOut{Open: "60000.00", High: "60010.00", Low: "59990.00", Close: "60005.00", Volume: "1.000", QuoteVolume: "60000.00000",
			Trades: 10, TakerBuyVolume: "0.500", TakerBuyQuoteVolume: "30000.00000"}
		return misbehaveRows(k, rows, proto, limit, start, end, step,
			func(r *klineOut, ms int64) { r.OpenTime, r.CloseTime = ms, ms+step-1 }, foreignKline)
	}
	return body
}

func misbehaveRows[T any](k FaultKind, rows []T, proto T, limit int, start, end, step int64, stamp func(*T, int64), rename func(*T)) []T {
	switch k {
	case ForeignRows:
		out := make([]T, len(rows))
		for i, r := range rows {
			rename(&r)
			out[i] = r
		}
		return out
	case PastEnd:
		out := make([]T, limit)
		for i := range out {
			out[i] = proto
			stamp(&out[i], end+int64(i+1)*step)
		}
		return out
	case SameRow:
		out := make([]T, limit)
		for i := range out {
			out[i] = proto
			stamp(&out[i], start)
		}
		return out
	}
	return rows
}
