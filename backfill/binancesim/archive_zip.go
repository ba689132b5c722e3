package binancesim

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
)

// klinesCSV writes candles as the archive does: twelve columns, a header
// row if header, times in microseconds if micros.
func klinesCSV(rows []ArchiveKline, header, micros bool) []byte {
	var b bytes.Buffer
	if header {
		b.WriteString("open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore\n")
	}
	stamp := func(ms int64, last bool) string {
		if !micros {
			return strconv.FormatInt(ms, 10)
		}
		// A close time's last millisecond is its last microsecond there.
		us := ms * 1000
		if last {
			us += 999
		}
		return strconv.FormatInt(us, 10)
	}
	for _, r := range rows {
		for i, f := range []string{stamp(r.OpenTime, false), r.Open, r.High, r.Low, r.Close, r.Volume, stamp(r.CloseTime, true),
			r.QuoteVolume, strconv.FormatInt(r.Count, 10), r.TakerBuyVolume, r.TakerBuyQuoteVolume, "0"} {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(f)
		}
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// fundingCSV writes funding events as the archive's fundingRate files do.
func fundingCSV(rows []ArchiveFunding, header bool) []byte {
	var b bytes.Buffer
	if header {
		b.WriteString("calc_time,funding_interval_hours,last_funding_rate\n")
	}
	for _, r := range rows {
		b.WriteString(strconv.FormatInt(r.CalcTime, 10))
		b.WriteByte(',')
		b.WriteString(strconv.Itoa(r.IntervalHours))
		b.WriteByte(',')
		b.WriteString(r.Rate)
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// zipOne returns a zip holding one file, and the zip's SHA-256 in hex.
func zipOne(name string, content []byte) ([]byte, string) {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, err := zw.Create(name)
	if err == nil {
		_, err = w.Write(content)
	}
	if err == nil {
		err = zw.Close()
	}
	if err != nil {
		panic(err) // writing to memory does not fail
	}
	sum := sha256.Sum256(b.Bytes())
	return b.Bytes(), hex.EncodeToString(sum[:])
}
