package binancesim

import (
	"encoding/json"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/carry-research/carry/data"
)

// klinePaths maps each kline endpoint to the kind it serves.
var klinePaths = map[string]data.KlineKind{
	"/fapi/v1/klines":             data.KlineFutures,
	"/fapi/v1/continuousKlines":   data.KlineContinuous,
	"/fapi/v1/indexPriceKlines":   data.KlineIndex,
	"/fapi/v1/markPriceKlines":    data.KlineMark,
	"/fapi/v1/premiumIndexKlines": data.KlinePremium,
	"/api/v3/klines":              data.KlineSpot,
}

// klineWeight is a kline request's weight as Binance documents it: by
// limit on the futures endpoints ([1,100) 1, [100,500) 2, [500,1000] 5,
// above 10; no limit means 500), 2 on spot.
func klineWeight(kind data.KlineKind, q map[string][]string) int {
	if kind == data.KlineSpot {
		return 2
	}
	limit, err := strconv.Atoi(first(q, "limit"))
	if err != nil || limit < 1 {
		limit = 500
	}
	switch {
	case limit < 100:
		return 1
	case limit < 500:
		return 2
	case limit <= 1000:
		return 5
	}
	return 10
}

// klineOut is a candle as sent: a 12-element array.
type klineOut KlineRecord

func (k klineOut) MarshalJSON() ([]byte, error) {
	return json.Marshal([]any{k.OpenTime, k.Open, k.High, k.Low, k.Close, k.Volume, k.CloseTime,
		k.QuoteVolume, k.Trades, k.TakerBuyVolume, k.TakerBuyQuoteVolume, "0"})
}

// klines serves any kline endpoint. Documented: limit default 500, max
// 1500 (spot 1000); startTime and endTime bound open times, inclusive;
// without either, the latest candles; with startTime only, the first limit
// from it; ascending; the current candle served while still open, with
// its close time in the future. The nastier readings where Binance is
// silent or inconsistent: a limit over the maximum is refused (-1130)
// rather than clamped, and a window holding more than limit candles
// answers with its latest ones (as COIN-M documents), not its first.
func (s *Server) klines(kind data.KlineKind, q map[string][]string, now time.Time) (response, *apiError) {
	key := data.KlineKey{Kind: kind}
	name := "symbol"
	if kind == data.KlineIndex || kind == data.KlineContinuous {
		name = "pair"
	}
	if key.Symbol = first(q, name); key.Symbol == "" {
		return response{}, errMandatory(name)
	}
	if kind == data.KlineContinuous {
		ct := first(q, "contractType")
		if ct == "" {
			return response{}, errMandatory("contractType")
		}
		if !slices.Contains([]string{"PERPETUAL", "CURRENT_QUARTER", "NEXT_QUARTER"}, ct) {
			return response{}, errInvalid("contractType")
		}
		key.ContractType = data.ContractType(ct)
	}
	iv := first(q, "interval")
	if iv == "" {
		return response{}, errMandatory("interval")
	}
	if !servedInterval(kind, iv) {
		return response{}, &apiError{400, -1120, "Invalid interval."}
	}
	key.Interval = data.Interval(iv)
	if !s.Market.knownKlineSymbol(kind, key.Symbol) {
		return response{}, errInvalidSymbol()
	}
	maxLimit := 1500
	if kind == data.KlineSpot {
		maxLimit = 1000
	}
	pg, aerr := pageParams(q, 500, math.MaxInt)
	if aerr != nil {
		return response{}, aerr
	}
	if first(q, "limit") != "" && pg.limit > maxLimit {
		return response{}, errInvalid("limit")
	}
	if pg.hasStart && pg.hasEnd && pg.start > pg.end {
		return response{}, errInvalid("startTime")
	}
	from, to := int64(math.MinInt64), now.UnixMilli() // none opening after now: not yet
	if pg.hasStart {
		from = pg.start
	}
	if pg.hasEnd {
		to = min(to, pg.end)
	}
	var in []klineOut
	for _, r := range s.Market.klinesOpenBetween(key, from, to) {
		in = append(in, klineOut(r))
	}
	if len(in) > pg.limit {
		if pg.hasStart && !pg.hasEnd {
			in = in[:pg.limit]
		} else {
			in = in[len(in)-pg.limit:]
		}
	}
	if in == nil {
		in = []klineOut{}
	}
	return response{status: http.StatusOK, body: in, rows: len(in)}, nil
}

// servedInterval reports whether Binance knows the interval: the lake's,
// and 3d, 1w, 1M (and 1s on spot), which serve no candles here.
func servedInterval(kind data.KlineKind, iv string) bool {
	if _, err := data.ParseInterval(iv); err == nil && !strings.ContainsAny(iv, " \t") {
		return true
	}
	return iv == "3d" || iv == "1w" || iv == "1M" || kind == data.KlineSpot && iv == "1s"
}

// shiftKline moves a candle i hours later (a row outside the window).
func shiftKline(r *klineOut, i int) {
	d := int64(i) * 3_600_000
	r.OpenTime, r.CloseTime = r.OpenTime+d, r.CloseTime+d
}

// foreignKline makes a candle another series' — one of twice the interval —
// since a kline row names no symbol to rename.
func foreignKline(r *klineOut) { r.CloseTime += r.CloseTime - r.OpenTime + 1 }
