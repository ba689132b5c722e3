package binance

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"github.com/carry-research/carry/data"
)

// DefaultSpotBaseURL is Binance spot: /api/v3/klines lives there, with its
// own weight pool.
const DefaultSpotBaseURL = "https://api.binance.com"

// KlineQuery asks one kline endpoint for the candles of one series that
// open in [Start, End] (both inclusive, both sent). Limit must not exceed
// MaxKlineLimit: the exchange refuses more (-1130) rather than clamping.
type KlineQuery struct {
	Key        data.KlineKey
	Start, End time.Time
	Limit      int
}

// klineEndpoint is where a kind is served and how its series is named in
// the query: symbol, pair, or pair and contract type.
func klineEndpoint(k data.KlineKey) (path string, spot bool, v url.Values) {
	switch k.Kind {
	case data.KlineContinuous:
		return "/fapi/v1/continuousKlines", false, url.Values{"pair": {k.Symbol}, "contractType": {string(k.ContractType)}}
	case data.KlineIndex:
		return "/fapi/v1/indexPriceKlines", false, url.Values{"pair": {k.Symbol}}
	case data.KlineMark:
		return "/fapi/v1/markPriceKlines", false, url.Values{"symbol": {k.Symbol}}
	case data.KlinePremium:
		return "/fapi/v1/premiumIndexKlines", false, url.Values{"symbol": {k.Symbol}}
	case data.KlineSpot:
		return "/api/v3/klines", true, url.Values{"symbol": {k.Symbol}}
	default:
		return "/fapi/v1/klines", false, url.Values{"symbol": {k.Symbol}}
	}
}

// KlineEndpoint is the path serving a kind's candles (e.g.
// "/fapi/v1/markPriceKlines"); spot candles come from the spot host.
func KlineEndpoint(kind data.KlineKind) string {
	path, _, _ := klineEndpoint(data.KlineKey{Kind: kind})
	return path
}

// Klines fetches one page of candles, ascending by open time, the
// still-open candle included when the window reaches now (see
// ClosedKlines). Volumes and trades are null and 0 for kinds without them.
func (c *Client) Klines(ctx context.Context, q KlineQuery) ([]data.KlineRow, error) {
	if err := q.Key.Validate(); err != nil {
		return nil, fmt.Errorf("asking for klines: %w", err)
	}
	if q.Limit < 1 || q.Limit > MaxKlineLimit(q.Key.Kind) {
		return nil, fmt.Errorf("asking for klines %s: limit %d outside 1–%d", q.Key, q.Limit, MaxKlineLimit(q.Key.Kind))
	}
	path, spot, v := klineEndpoint(q.Key)
	v.Set("interval", string(q.Key.Interval))
	v.Set("limit", strconv.Itoa(q.Limit))
	v.Set("startTime", strconv.FormatInt(q.Start.UnixMilli(), 10))
	v.Set("endTime", strconv.FormatInt(q.End.UnixMilli(), 10))
	base := c.base
	if spot {
		base = c.spot
	}
	var wire []klineWire
	if err := getListFrom(c, ctx, base, path, v, &wire); err != nil {
		return nil, err
	}
	out := make([]data.KlineRow, len(wire))
	for i, w := range wire {
		r, err := w.row(q.Key.Kind)
		if err != nil {
			return nil, &BadResponseError{Endpoint: path, Err: fmt.Errorf("%s: %w", q.Key, err)}
		}
		out[i] = r
	}
	return out, nil
}

// ClosedKlines drops the candles that are still open at the exchange's
// now — the last one of a page reaching the present, whose values will
// still change — so that no caller stores one as final. A candle is closed
// once now is past its close time (its last millisecond). It returns the
// closed candles, in their order, and how many were dropped.
func ClosedKlines(rows []data.KlineRow, now time.Time) (closed []data.KlineRow, open int) {
	closed = make([]data.KlineRow, 0, len(rows))
	for _, r := range rows {
		if r.CloseTime.Before(now) {
			closed = append(closed, r)
		} else {
			open++
		}
	}
	return closed, open
}
