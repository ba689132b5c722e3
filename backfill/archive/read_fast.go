package archive

import (
	"time"

	"github.com/carry-research/carry/data"
)

// fastKlineRow reads a candle's record of plain numbers without allocating:
// times and the trade count as unsigned digits, prices and volumes through
// data.ParseExactBytes. It reports false for anything else (spaces, signs,
// exponents, too many digits, too few columns), which klineRow then reads
// the slow way, to the same row or to its error. So where it reports true,
// its row is klineRow's.
func fastKlineRow(rec [][]byte, kind data.KlineKind) (data.KlineRow, bool) {
	if len(rec) < 11 {
		return data.KlineRow{}, false
	}
	var row data.KlineRow
	var ok1, ok2 bool
	row.OpenTime, ok1 = fastStamp(rec[0])
	row.CloseTime, ok2 = fastStamp(rec[6])
	if !ok1 || !ok2 {
		return data.KlineRow{}, false
	}
	var ok [4]bool
	row.Open, ok[0] = data.ParseExactBytes(rec[1])
	row.High, ok[1] = data.ParseExactBytes(rec[2])
	row.Low, ok[2] = data.ParseExactBytes(rec[3])
	row.Close, ok[3] = data.ParseExactBytes(rec[4])
	if ok != [4]bool{true, true, true, true} {
		return data.KlineRow{}, false
	}
	if !kind.HasVolume() {
		return row, true // index, mark and premium files hold "0" there
	}
	row.Volume.Float64, ok[0] = data.ParseExactBytes(rec[5])
	row.QuoteVolume.Float64, ok[1] = data.ParseExactBytes(rec[7])
	row.TakerBuyVolume.Float64, ok[2] = data.ParseExactBytes(rec[9])
	row.TakerBuyQuoteVolume.Float64, ok[3] = data.ParseExactBytes(rec[10])
	trades, okTrades := fastUint(rec[8])
	if ok != [4]bool{true, true, true, true} || !okTrades {
		return data.KlineRow{}, false
	}
	row.Volume.Valid, row.QuoteVolume.Valid, row.TakerBuyVolume.Valid, row.TakerBuyQuoteVolume.Valid = true, true, true, true
	row.Trades = trades
	return row, true
}

// fastStamp is parseStamp for a field of plain digits.
func fastStamp(b []byte) (time.Time, bool) {
	v, ok := fastUint(b)
	if !ok {
		return time.Time{}, false
	}
	return stamp(v), true
}

// fastUint reads 1 to 18 decimal digits, which cannot overflow an int64,
// as strconv.ParseInt would.
func fastUint(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 18 {
		return 0, false
	}
	var v int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int64(c-'0')
	}
	return v, true
}
