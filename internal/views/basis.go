package views

import (
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/data/lake"
)

// BasisRow is the latest perpetual-vs-spot basis of one base asset, in the
// shape of the basis API carry's answer is modelled on: prices and
// percentages JSON numbers, ts epoch milliseconds; then carry's extensions
// (missing, quarterlies, stale).
type BasisRow struct {
	Base string `json:"base"`
	Pair string `json:"pair"`
	// SpotPrice is the index price (Binance's spot index for the pair).
	SpotPrice *json.Number `json:"spotPrice"`
	PerpPrice *json.Number `json:"perpPrice"`
	BasisAbs  *json.Number `json:"basisAbs"`
	// BasisPct is (perp/spot − 1) × 100; AnnualizedPct = BasisPct × 365, a
	// running yield (not a term structure).
	BasisPct      *json.Number `json:"basisPct"`
	AnnualizedPct *json.Number `json:"annualizedPct"`
	PerpSource    string       `json:"perpSource"`
	SpotSource    string       `json:"spotSource"`
	VenueCount    int          `json:"venueCount"`
	// Ts is the time of the row shown; null only when the pair's series
	// hold no rows.
	Ts *EpochMs `json:"ts"`
	// Missing names the legs the lake lacks ("perp", "spot"): a data-source
	// gap, never a zero.
	Missing     []string    `json:"missing"`
	Quarterlies []Quarterly `json:"quarterlies"`
	// Stale is true when the row shown is older than StaleAfter periods of
	// its series.
	Stale bool `json:"stale"`
}

// Quarterly is a dated contract's latest annualized basis.
type Quarterly struct {
	ContractType  string       `json:"contractType"`
	FuturesPrice  json.Number  `json:"futuresPrice"`
	AnnualizedPct *json.Number `json:"annualizedPct"` // Binance's annualizedBasisRate × 100
	Ts            EpochMs      `json:"ts"`
}

// BasisTable is the basis view: one row per base asset.
type BasisTable struct {
	Rows []BasisRow `json:"rows"`
	// TableMissing is true when the lake has no basis at all or a row lacks
	// a leg.
	TableMissing bool `json:"tableMissing"`
	// LastTs is the newest row's time; null when there are no rows.
	LastTs *EpochMs `json:"lastTs"`
	// Stale is true when any row is stale.
	Stale bool `json:"stale"`
}

// BasisAnswer is the basis answer's envelope, as the basis API's:
// {"data":…,"meta":{"total":…,"tableMissing":…}}.
type BasisAnswer struct {
	Data BasisTable `json:"data"`
	Meta BasisMeta  `json:"meta"`
}

// BasisMeta is the envelope's meta.
type BasisMeta struct {
	Total        int  `json:"total"`
	TableMissing bool `json:"tableMissing"`
}

// Answer is the table in its envelope.
func (t BasisTable) Answer() BasisAnswer {
	return BasisAnswer{Data: t, Meta: BasisMeta{Total: len(t.Rows), TableMissing: t.TableMissing}}
}

var quotes = []string{"USDT", "USDC", "FDUSD", "BUSD"}

// Base is a pair's base asset (BTCUSDT → BTC).
func Base(pair string) string {
	for _, q := range quotes {
		if b, ok := strings.CutSuffix(pair, q); ok && b != "" {
			return b
		}
	}
	return pair
}

// Basis builds the basis table: per base asset (its USDT pair first), the
// latest row of its finest perpetual series, and its quarterlies; now
// decides which rows are stale.
func Basis(lake *lake.Lake, now time.Time) (BasisTable, error) {
	return basisTable(lakeReader{lake}, now)
}

func basisTable(rd reader, now time.Time) (BasisTable, error) {
	t := BasisTable{Rows: []BasisRow{}}
	keys, err := rd.basisKeys()
	if err != nil {
		return t, err
	}
	byPair := map[string][]data.BasisKey{}
	var pairs []string
	for _, k := range keys {
		if _, ok := byPair[k.Pair]; !ok {
			pairs = append(pairs, k.Pair)
		}
		byPair[k.Pair] = append(byPair[k.Pair], k)
	}
	// One pair per base asset: the USDT pair if there is one.
	chosen := map[string]string{}
	for _, p := range pairs {
		b := Base(p)
		if cur, ok := chosen[b]; !ok || (!strings.HasSuffix(cur, "USDT") && strings.HasSuffix(p, "USDT")) {
			chosen[b] = p
		}
	}
	bases := make([]string, 0, len(chosen))
	for b := range chosen {
		bases = append(bases, b)
	}
	slices.Sort(bases)
	for _, b := range bases {
		row, err := basisRow(rd, b, chosen[b], byPair[chosen[b]], now)
		if err != nil {
			return t, err
		}
		if len(row.Missing) > 0 {
			t.TableMissing = true
		}
		if row.Ts != nil && (t.LastTs == nil || row.Ts.After(t.LastTs.Time)) {
			t.LastTs = row.Ts
		}
		t.Stale = t.Stale || row.Stale
		t.Rows = append(t.Rows, row)
	}
	if len(t.Rows) == 0 {
		t.TableMissing = true
	}
	return t, nil
}

func basisRow(rd reader, base, pair string, keys []data.BasisKey, now time.Time) (BasisRow, error) {
	row := BasisRow{Base: base, Pair: pair, SpotSource: "binance usd-m index price (" + pair + ")", VenueCount: 1, Missing: []string{}, Quarterlies: []Quarterly{}}
	latest := func(ct data.ContractType) (data.BasisRow, data.BasisKey, bool, error) {
		var best data.BasisRow
		var bk data.BasisKey
		found := false
		for _, k := range keys {
			if k.ContractType != ct {
				continue
			}
			d, err := rd.basis(k)
			if err != nil {
				return best, bk, false, err
			}
			if d.ok && (!found || d.last.Timestamp.After(best.Timestamp)) {
				best, bk, found = d.last, k, true
			}
		}
		return best, bk, found, nil
	}
	perp, pk, ok, err := latest(data.Perpetual)
	if err != nil {
		return row, err
	}
	if ok {
		row.Ts, row.Stale = optMillis(perp.Timestamp), basisStale(now, perp.Timestamp, pk.Period.Duration())
		row.PerpSource = "binance usd-m " + pk.Pair + " perpetual, " + string(pk.Period) + " basis"
		row.SpotPrice, row.PerpPrice = OptNum(perp.IndexPrice, true), OptNum(perp.FuturesPrice, true)
		row.BasisAbs = OptNum(perp.Basis, true) // as the exchange sent it
		// basis % = (F − S)/S × 100 in decimal, to 12 places; annualized
		// exactly 365 times that.
		pct := data.Decimal(perp.FuturesPrice).Sub(data.Decimal(perp.IndexPrice)).Mul(decimal.NewFromInt(100)).DivRound(data.Decimal(perp.IndexPrice), 12)
		row.BasisPct, row.AnnualizedPct = decNum(pct), decNum(pct.Mul(decimal.NewFromInt(data.DaysPerYear)))
	} else {
		row.Missing = append(row.Missing, "perp")
	}
	for _, ct := range []data.ContractType{data.CurrentQuarter, data.NextQuarter} {
		q, qk, ok, err := latest(ct)
		if err != nil {
			return row, err
		}
		if !ok {
			continue
		}
		qt := Quarterly{ContractType: string(ct), FuturesPrice: Num(q.FuturesPrice), Ts: Millis(q.Timestamp)}
		if q.AnnualizedBasisRate.Valid {
			qt.AnnualizedPct = decNum(data.Decimal(q.AnnualizedBasisRate.Float64).Mul(decimal.NewFromInt(100)))
		}
		row.Quarterlies = append(row.Quarterlies, qt)
		if row.SpotPrice == nil {
			// The index still comes with the quarterly's rows.
			row.SpotPrice = OptNum(q.IndexPrice, true)
			row.Ts, row.Stale = optMillis(q.Timestamp), basisStale(now, q.Timestamp, qk.Period.Duration())
		}
	}
	if row.SpotPrice == nil {
		row.Missing = append(row.Missing, "spot")
	}
	return row, nil
}
