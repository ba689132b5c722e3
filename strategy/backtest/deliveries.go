package backtest

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/data/lake"
)

// deliveries lists the pair's delivery instants around the window (see
// data.Deliveries): the lake's contracts dataset first, then the dates
// named by the delivery symbols (BTCUSDT_YYMMDD) of futures kline series
// in the lake — delivered contracts exchangeInfo no longer lists — and
// Binance's rule for quarters neither knows. It reports how many came from
// the rule and how many the lake knew.
func deliveries(store *lake.Lake, pair string, from, to time.Time) (ds []time.Time, ruled, known int, err error) {
	rows, err := store.ReadContracts(pair)
	if err != nil && !errors.Is(err, lake.ErrNoSeries) {
		return nil, 0, 0, fmt.Errorf("reading the delivery dates of %s: %w", pair, err)
	}
	quarter := func(t time.Time) [2]int { return [2]int{t.Year(), int(t.Month())} }
	// The perpetual's own row (its status, and a delisting's date) is no
	// quarter's delivery.
	rows = slices.DeleteFunc(rows, func(c data.ContractRow) bool { return c.ContractType == data.Perpetual })
	have := map[[2]int]bool{}
	for _, c := range rows {
		have[quarter(c.DeliveryDate)] = true
	}
	keys, err := store.KlineKeys()
	if err != nil {
		return nil, 0, 0, fmt.Errorf("listing the lake's kline series for delivery dates of %s: %w", pair, err)
	}
	for _, k := range keys {
		p, d, ok := data.DeliveryOfSymbol(k.Symbol)
		if !ok || p != pair || k.Kind != data.KlineFutures || have[quarter(d)] {
			continue
		}
		have[quarter(d)] = true
		rows = append(rows, data.ContractRow{Symbol: k.Symbol, DeliveryDate: d})
	}
	ds, ruled = data.Deliveries(rows, from, to)
	return ds, ruled, len(rows), nil
}
