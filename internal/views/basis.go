package views

import (
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/carry-research/carry/data"
)

// BasisRow is the latest perpetual-vs-spot basis of one base asset.
type BasisRow struct {
	Base      string       `json:"base"`
	Pair      string       `json:"pair"`
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
	Ts            *time.Time   `json:"ts"`
	// Missing names the legs the lake lacks ("perp", "spot"): a data-source
	// gap, never a zero.
	Missing     []string    `json:"missing"`
	Quarterlies []Quarterly `json:"quarterlies"`
}

// Quarterly is a dated contract's latest annualized basis.
type Quarterly struct {
	ContractType  string       `json:"contractType"`
	FuturesPrice  json.Number  `json:"futuresPrice"`
	AnnualizedPct *json.Number `json:"annualizedPct"` // Binance's annualizedBasisRate × 100
	Ts            time.Time    `json:"ts"`
}

// BasisTable is the basis view: one row per base asset.
type BasisTable struct {
	Rows []BasisRow `json:"rows"`
	// TableMissing is true when the lake has no basis at all or a row lacks
	// a leg.
	TableMissing bool       `json:"tableMissing"`
	LastTs       *time.Time `json:"lastTs"`
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
// latest row of its finest perpetual series, and its quarterlies.
func Basis(lake *data.Lake) (BasisTable, error) { return basisTable(lakeReader{lake}) }

func basisTable(rd reader) (BasisTable, error) {
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
		row, err := basisRow(rd, b, chosen[b], byPair[chosen[b]])
		if err != nil {
			return t, err
		}
		if len(row.Missing) > 0 {
			t.TableMissing = true
		}
		if row.Ts != nil && (t.LastTs == nil || row.Ts.After(*t.LastTs)) {
			t.LastTs = row.Ts
		}
		t.Rows = append(t.Rows, row)
	}
	if len(t.Rows) == 0 {
		t.TableMissing = true
	}
	return t, nil
}

func basisRow(rd reader, base, pair string, keys []data.BasisKey) (BasisRow, error) {
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
		ts := perp.Timestamp
		row.Ts = &ts
		row.PerpSource = "binance usd-m " + pk.Pair + " perpetual, " + string(pk.Period) + " basis"
		row.SpotPrice, row.PerpPrice = OptNum(perp.IndexPrice, true), OptNum(perp.FuturesPrice, true)
		row.BasisAbs = OptNum(perp.Basis, true) // as the exchange sent it
		// basis % = (F − S)/S × 100 in decimal, to 12 places; annualized
		// exactly 365 times that.
		pct := data.Decimal(perp.FuturesPrice).Sub(data.Decimal(perp.IndexPrice)).Mul(decimal.NewFromInt(100)).DivRound(data.Decimal(perp.IndexPrice), 12)
		row.BasisPct, row.AnnualizedPct = decNum(pct), decNum(pct.Mul(decimal.NewFromInt(365)))
	} else {
		row.Missing = append(row.Missing, "perp")
	}
	for _, ct := range []data.ContractType{data.CurrentQuarter, data.NextQuarter} {
		q, _, ok, err := latest(ct)
		if err != nil {
			return row, err
		}
		if !ok {
			continue
		}
		qt := Quarterly{ContractType: string(ct), FuturesPrice: Num(q.FuturesPrice), Ts: q.Timestamp}
		if q.AnnualizedBasisRate.Valid {
			qt.AnnualizedPct = decNum(data.Decimal(q.AnnualizedBasisRate.Float64).Mul(decimal.NewFromInt(100)))
		}
		row.Quarterlies = append(row.Quarterlies, qt)
		if row.SpotPrice == nil {
			// The index still comes with the quarterly's rows.
			row.SpotPrice = OptNum(q.IndexPrice, true)
			ts := q.Timestamp
			row.Ts = &ts
		}
	}
	if row.SpotPrice == nil {
		row.Missing = append(row.Missing, "spot")
	}
	return row, nil
}
