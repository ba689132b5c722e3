package binancesim

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/carry-research/carry/data"
)

// BasisKey names a basis series the fake serves.
type BasisKey struct {
	Pair, ContractType, Period string
}

// BasisRecord is one row of /futures/data/basis exactly as the exchange
// sends it: numbers as strings.
type BasisRecord struct {
	Timestamp           int64
	IndexPrice          string
	FuturesPrice        string
	Basis               string
	BasisRate           string
	AnnualizedBasisRate string // "" for PERPETUAL
}

// FundingRecord is one row of /fapi/v1/fundingRate as sent.
type FundingRecord struct {
	FundingTime int64
	FundingRate string
	MarkPrice   string // "" on old rows
	RateType    string // "Regular" or "Special"
}

// Contract is a symbol of /fapi/v1/exchangeInfo.
type Contract struct {
	Symbol       string
	Pair         string
	ContractType string // PERPETUAL, CURRENT_QUARTER, NEXT_QUARTER
	Status       string // TRADING, SETTLING, …
	OnboardDate  int64
	DeliveryDate int64 // 4133404800000 for perpetuals, as Binance sends
	// FundingIntervalHours other than 8 lists the symbol in fundingInfo.
	FundingIntervalHours int
}

// PerpetualDeliveryDate is the deliveryDate Binance gives perpetuals.
const PerpetualDeliveryDate int64 = 4133404800000

// Market is the data the fake exchange serves. It is safe for concurrent
// use, so a test may add rows while a backfill runs.
type Market struct {
	mu        sync.RWMutex
	contracts map[string]Contract
	basis     map[BasisKey][]BasisRecord
	funding   map[string][]FundingRecord
	klines    map[data.KlineKey][]KlineRecord
}

// NewMarket returns an empty market.
func NewMarket() *Market {
	return &Market{contracts: map[string]Contract{}, basis: map[BasisKey][]BasisRecord{}, funding: map[string][]FundingRecord{}, klines: map[data.KlineKey][]KlineRecord{}}
}

// AddContract lists a symbol in exchangeInfo (and fundingInfo when its
// interval is not 8h).
func (m *Market) AddContract(c Contract) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if c.Pair == "" {
		c.Pair = c.Symbol
	}
	if c.ContractType == "" {
		c.ContractType = "PERPETUAL"
	}
	if c.Status == "" {
		c.Status = "TRADING"
	}
	if c.DeliveryDate == 0 && c.ContractType == "PERPETUAL" {
		c.DeliveryDate = PerpetualDeliveryDate
	}
	if c.FundingIntervalHours == 0 {
		c.FundingIntervalHours = 8
	}
	m.contracts[c.Symbol] = c
}

// AddBasis adds (or replaces, by timestamp) rows of a basis series.
func (m *Market) AddBasis(k BasisKey, rows ...BasisRecord) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.basis[k] = mergeByTime(m.basis[k], rows, func(r BasisRecord) int64 { return r.Timestamp })
}

// AddFunding adds (or replaces, by time) funding events of a symbol.
func (m *Market) AddFunding(symbol string, rows ...FundingRecord) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.funding[symbol] = mergeByTime(m.funding[symbol], rows, func(r FundingRecord) int64 { return r.FundingTime })
}

// RemoveBasis deletes the rows of a series in [from, to] (ms, inclusive):
// a hole the exchange really has.
func (m *Market) RemoveBasis(k BasisKey, from, to int64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.basis[k] = slices.DeleteFunc(m.basis[k], func(r BasisRecord) bool { return r.Timestamp >= from && r.Timestamp <= to })
}

// Basis returns a copy of a series' rows.
func (m *Market) Basis(k BasisKey) []BasisRecord {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return slices.Clone(m.basis[k])
}

// Funding returns a copy of a symbol's events.
func (m *Market) Funding(symbol string) []FundingRecord {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return slices.Clone(m.funding[symbol])
}

// BasisKeys lists the series with rows.
func (m *Market) BasisKeys() []BasisKey {
	m.mu.RLock()
	defer m.mu.RUnlock()
	var out []BasisKey
	for k := range m.basis {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool {
		return fmt.Sprint(out[i]) < fmt.Sprint(out[j])
	})
	return out
}

func (m *Market) contract(symbol string) (Contract, bool) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	c, ok := m.contracts[symbol]
	return c, ok
}

func (m *Market) knownPair(pair string) bool {
	m.mu.RLock()
	defer m.mu.RUnlock()
	for _, c := range m.contracts {
		if c.Pair == pair {
			return true
		}
	}
	return false
}

func (m *Market) allContracts() []Contract {
	m.mu.RLock()
	defer m.mu.RUnlock()
	out := make([]Contract, 0, len(m.contracts))
	for _, c := range m.contracts {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Symbol < out[j].Symbol })
	return out
}

func mergeByTime[T any](old, add []T, ts func(T) int64) []T {
	// A new series given in order, as generators give it: nothing to merge.
	if len(old) == 0 && slices.IsSortedFunc(add, func(a, b T) int { return cmp.Compare(ts(a), ts(b)) }) && distinctTimes(add, ts) {
		return slices.Clone(add)
	}
	byTime := map[int64]T{}
	for _, r := range old {
		byTime[ts(r)] = r
	}
	for _, r := range add {
		byTime[ts(r)] = r
	}
	out := make([]T, 0, len(byTime))
	for _, r := range byTime {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return ts(out[i]) < ts(out[j]) })
	return out
}

func distinctTimes[T any](sorted []T, ts func(T) int64) bool {
	for i := 1; i < len(sorted); i++ {
		if ts(sorted[i]) == ts(sorted[i-1]) {
			return false
		}
	}
	return true
}

// FormatPrice formats like Binance's 8-decimal price fields ("68878.27000000").
func FormatPrice(v float64) string { return strconv.FormatFloat(v, 'f', 8, 64) }

// FormatRate formats like fundingRate ("0.00010000").
func FormatRate(v float64) string { return strconv.FormatFloat(v, 'f', 8, 64) }

// FormatBasisRate formats like basisRate: rounded half-up to 4 decimals.
func FormatBasisRate(v float64) string { return strconv.FormatFloat(v, 'f', 4, 64) }

// FormatTick formats a futures price at a 0.01 tick (2 decimals): the
// tick of a contract priced in the hundreds or more.
func FormatTick(v float64) string { return FormatAtTick(v, 2) }

// FormatAtTick formats a price at a tick of the given decimals.
func FormatAtTick(v float64, decimals int) string { return strconv.FormatFloat(v, 'f', decimals, 64) }

// RoundToTick rounds a price to a tick of the given decimals.
func RoundToTick(v float64, decimals int) float64 {
	scale := math.Pow10(decimals)
	return math.Round(v*scale) / scale
}

// maxTickDecimals is the finest tick: Binance writes prices with 8
// decimals.
const maxTickDecimals = 8

// TickDecimals are the decimals of a contract's tick that fits a price:
// 0.01, or finer below 100 so that the price has about 5 significant
// digits (10^(⌊log10 price⌋ − 4)), as Binance sizes its ticks (DOGEUSDT at
// 0.1: 0.00001). Without it a contract at 0.10 moves in 10% steps.
func TickDecimals(price float64) int {
	d := 2
	for limit := 100.0; price < limit && d < maxTickDecimals; limit /= 10 {
		d++
	}
	return d
}

// NewBasisRecord formats a basis row from prices the way Binance does:
// indexPrice with 8 decimals, futuresPrice at a 0.01 tick, basis =
// futures − index, basisRate = basis / index to 4 decimals and, for dated
// contracts, annualizedBasisRate = basisRate × 365 / days to delivery.
func NewBasisRecord(ts time.Time, index, futures float64, delivery time.Time) BasisRecord {
	return NewBasisRecordAtTick(ts, index, futures, delivery, 2)
}

// NewBasisRecordAtTick is NewBasisRecord with futuresPrice at a tick of
// the given decimals (TickDecimals).
func NewBasisRecordAtTick(ts time.Time, index, futures float64, delivery time.Time, tickDecimals int) BasisRecord {
	idx, _ := strconv.ParseFloat(FormatPrice(index), 64)
	fut, _ := strconv.ParseFloat(FormatAtTick(futures, tickDecimals), 64)
	basis := fut - idx
	r := BasisRecord{
		Timestamp:    ts.UnixMilli(),
		IndexPrice:   FormatPrice(idx),
		FuturesPrice: FormatAtTick(fut, tickDecimals),
		Basis:        FormatPrice(basis),
		BasisRate:    FormatBasisRate(basis / idx),
	}
	if !delivery.IsZero() {
		days := delivery.Sub(ts).Hours() / 24
		if days > 0 {
			r.AnnualizedBasisRate = FormatBasisRate(basis / idx * 365 / days)
		}
	}
	return r
}
