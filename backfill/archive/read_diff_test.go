package archive

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/carry-research/carry/data"
)

// klineLine writes the archive's line for the i-th hourly candle from
// 2024-01-01, in microseconds if micros.
func klineLine(i int, micros bool) string {
	open := time.Date(2024, 1, 1, i, 0, 0, 0, time.UTC).UnixMilli()
	closeT := open + time.Hour.Milliseconds() - 1
	if micros {
		open, closeT = open*1000, closeT*1000+999
	}
	p := 42000 + float64(i)*0.37
	return fmt.Sprintf("%d,%.2f,%.2f,%.2f,%.2f,%.3f,%d,%.5f,%d,%.3f,%.5f,0",
		open, p, p+12.5, p-3.25, p+1.1, 123.456+float64(i), closeT, 5186592.12345, 1000+i, 60.5, 2541234.5)
}

// diffCases are CSV files on which the byte-level reader must do exactly
// what encoding/csv did: clean ones in each form the archive has used, and
// each kind of damage.
func diffCases() map[string]string {
	header := strings.Join(klineHeader, ",")
	rows := func(eol string, micros bool, n int) string {
		var b strings.Builder
		for i := range n {
			b.WriteString(klineLine(i, micros) + eol)
		}
		return b.String()
	}
	l0, l1, l2 := klineLine(0, false), klineLine(1, false), klineLine(2, false)
	replace := func(line string, col int, v string) string {
		f := strings.Split(line, ",")
		f[col] = v
		return strings.Join(f, ",")
	}
	cases := map[string]string{
		"empty":                   "",
		"only newline":            "\n",
		"only CRLF":               "\r\n",
		"only CR":                 "\r",
		"no header":               rows("\n", false, 5),
		"header":                  header + "\n" + rows("\n", false, 5),
		"header only":             header + "\n",
		"header spaced":           " open_time , open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore\n" + l0 + "\n",
		"header wrong":            "time,o,h,l,c,v,ct,qv,n,tb,tq,ignore\n" + l0 + "\n",
		"header not first":        l0 + "\n" + header + "\n",
		"header after blank line": "\n\r\n" + header + "\n" + l0 + "\n",
		"CRLF":                    header + "\r\n" + rows("\r\n", false, 5),
		"mixed endings":           l0 + "\r\n" + l1 + "\n" + l2 + "\r\n",
		"no final newline":        strings.TrimSuffix(rows("\n", false, 3), "\n"),
		"final CR at EOF":         l0 + "\n" + l1 + "\r",
		"final CRCR at EOF":       l0 + "\n" + l1 + "\r\r",
		"CRCRLF":                  l0 + "\r\r\n" + l1 + "\n",
		"lone CR inside":          l0 + "\r" + l1 + "\n",
		"blank lines":             "\n" + l0 + "\n\n\r\n" + l1 + "\n\n" + l2 + "\n\n",
		"spaces line":             l0 + "\n \n" + l1 + "\n",
		"microseconds":            rows("\n", true, 5),
		"micro header CRLF":       header + "\r\n" + rows("\r\n", true, 3),
		"too few columns":         l0 + "\n1,2,3\n",
		"too many columns":        l0 + ",x,y\n",
		"eleven columns":          strings.TrimSuffix(l0, ",0") + "\n",
		"price letters":           replace(l0, 1, "abc") + "\n",
		"price exponent":          replace(l0, 2, "4.2e4") + "\n",
		"price spaced":            replace(l0, 3, " 41999.00 ") + "\n",
		"price plus":              replace(l0, 4, "+42001.1") + "\n",
		"price 16 digits":         replace(l0, 1, "42000.00000000001") + "\n",
		"price leading point":     replace(l0, 1, ".5") + "\n",
		"price empty":             replace(l0, 1, "") + "\n",
		"price zero":              replace(replace(replace(replace(l0, 1, "0"), 2, "0"), 3, "0"), 4, "0") + "\n",
		"price negative":          replace(l0, 3, "-1") + "\n",
		"volume bad":              replace(l0, 5, "x") + "\n",
		"volume 16 digits":        replace(l0, 7, "1234567890.1234567") + "\n",
		"volume empty":            replace(l0, 9, "") + "\n",
		"trades bad":              replace(l0, 8, "1.5") + "\n",
		"trades signed":           replace(l0, 8, "+7") + "\n",
		"trades spaced":           replace(l0, 8, " 7") + "\n",
		"trades huge":             replace(l0, 8, "99999999999999999999") + "\n",
		"open time bad":           replace(l0, 0, "17040672OO000") + "\n",
		"open time signed":        replace(l0, 0, "+1704067200000") + "\n",
		"open time 19 digits":     replace(l0, 0, "1704067200000000000") + "\n",
		"close time wrong":        replace(l0, 6, "1704067200000") + "\n",
		"quoted field":            `1704067200000,"42000.00",42012.50,41996.75,42001.10,123.456,1704070799999,5186592.12345,1000,60.500,2541234.50000,0` + "\n" + l1 + "\n",
		"quoted header":           `"open_time",open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore` + "\n" + l0 + "\n",
		"quote later":             l0 + "\n\n" + l1 + "\n" + `1704074400000,"42000.74",42013.24,41997.49,42001.84,125.456,1704077999999,5186592.12345,1002,60.500,2541234.50000,0` + "\n" + l2 + "\n",
		"bare quote":              l0 + "\n" + l1 + "\n" + replace(l2, 11, `0"`) + "\n",
		"unterminated quote":      l0 + "\n" + replace(l1, 11, `"0`) + "\n" + l2 + "\n",
		"quoted newline":          l0 + "\n" + replace(l1, 11, "\"a\r\nb\"") + "\n" + l2 + "\n",
		"quote in ignore, CRLF":   l0 + "\r\n" + replace(l1, 11, `"0"`) + "\r\n" + l2,
		"quote at EOF CR":         l0 + "\n" + replace(l1, 11, `"0"`) + "\r",
		"extra quote":             l0 + "\n" + replace(l1, 11, `"0"x`) + "\n",
		"long line":               l0 + "," + strings.Repeat("x", 3*readBuffer) + "\n" + l1 + "\n",
		"long line, no newline":   l0 + "\n" + l1 + "," + strings.Repeat("y", readBuffer+7),
		"long line with quote":    l0 + "," + strings.Repeat("x", 2*readBuffer) + `"` + "\n" + l1 + "\n",
		"NUL and UTF-8":           l0 + "\n\x00,é\n",
		"invalid UTF-8":           l0 + "\n\xff\xfe\n",
	}
	return cases
}

// TestKlineRowsMatchesCSV runs each case through KlineRows and the
// encoding/csv reference for each kind and some intervals, and wants the
// same rows, bit for bit, and the same error.
func TestKlineRowsMatchesCSV(t *testing.T) {
	for name, in := range diffCases() {
		for _, kind := range data.KlineKinds() {
			for _, iv := range []string{"1h", "1m", "bogus"} {
				if msg := diffKlines([]byte(in), kind, iv, nil); msg != "" {
					t.Errorf("%s, %s %s: %s", name, kind, iv, msg)
				}
			}
		}
	}
}

// TestKlineRowsMatchesCSVOnReadErrors cuts each case off with an error
// (as a zip entry whose checksum fails) at several points.
func TestKlineRowsMatchesCSVOnReadErrors(t *testing.T) {
	broken := errors.New("zip: checksum error")
	for name, in := range diffCases() {
		for _, cut := range []int{0, 1, len(in) / 2, len(in) - 1, len(in)} {
			if cut < 0 || cut > len(in) {
				continue
			}
			if msg := diffKlines([]byte(in[:cut]), data.KlineFutures, "1h", broken); msg != "" {
				t.Errorf("%s cut at %d: %s", name, cut, msg)
			}
		}
	}
}

func TestFundingRowsMatchesCSV(t *testing.T) {
	header := strings.Join(fundingHeader, ",")
	cases := map[string]string{
		"header":       header + "\n1704067200000,8,0.0001\n1704096000000,8,-0.00002\n",
		"CRLF":         header + "\r\n1704067200000,8,0.0001\r\n1704096000000,4,-0.00002",
		"no header":    "1704067200000,8,0.0001\n\n1704096000000,8,-0.00002\n",
		"wrong header": "calc_time,hours,rate\n1704067200000,8,0.0001\n",
		"bad hours":    "1704067200000,0,0.0001\n",
		"bad rate":     "1704067200000,8,1e-4x\n",
		"rate too big": "1704067200000,8,1.5\n",
		"4 columns":    "1704067200000,8,0.0001,1\n",
		"quoted":       header + "\n1704067200000,\"8\",0.0001\n",
		"bare quote":   header + "\n1704067200000,8\",0.0001\n",
	}
	for name, in := range cases {
		if msg := diffFunding([]byte(in)); msg != "" {
			t.Errorf("%s: %s", name, msg)
		}
	}
}

func FuzzKlineRowsMatchesCSV(f *testing.F) {
	for _, in := range diffCases() {
		if len(in) < 10_000 {
			f.Add([]byte(in), uint8(0), false)
		}
	}
	f.Add([]byte(klineLine(0, false)+"\n"), uint8(3), true)
	kinds := data.KlineKinds()
	f.Fuzz(func(t *testing.T, in []byte, k uint8, broken bool) {
		var readErr error
		if broken {
			readErr = errors.New("zip: checksum error")
		}
		kind := kinds[int(k)%len(kinds)]
		if msg := diffKlines(in, kind, "1h", readErr); msg != "" {
			t.Fatalf("%s: %q: %s", kind, in, msg)
		}
		if msg := diffFunding(in); msg != "" {
			t.Fatalf("funding: %q: %s", in, msg)
		}
	})
}

// errorAtEnd reads in, then fails with err instead of io.EOF (err nil:
// io.EOF).
func errorAtEnd(in []byte, err error) io.Reader {
	r := io.Reader(strings.NewReader(string(in)))
	if err != nil {
		r = io.MultiReader(r, errReader{err})
	}
	return r
}

// diffKlines says how KlineRows and the reference differ on in, or "".
func diffKlines(in []byte, kind data.KlineKind, iv string, readErr error) string {
	got := collect(KlineRows(errorAtEnd(in, readErr), "x.csv", kind, iv), klineKey)
	want := collect(refKlineRows(errorAtEnd(in, readErr), "x.csv", kind, iv), klineKey)
	return diff(got, want)
}

func diffFunding(in []byte) string {
	got := collect(FundingRows(errorAtEnd(in, nil), "f.csv"), fundingKey)
	want := collect(refFundingRows(errorAtEnd(in, nil), "f.csv"), fundingKey)
	return diff(got, want)
}

// collect writes each row (or error) of seq as a line.
func collect[R any](seq func(func(R, error) bool), key func(R) string) []string {
	var out []string
	for r, err := range seq {
		if err != nil {
			out = append(out, "error: "+err.Error())
			continue
		}
		out = append(out, key(r))
	}
	return out
}

func diff(got, want []string) string {
	for i := range max(len(got), len(want)) {
		g, w := "(none)", "(none)"
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = want[i]
		}
		if g != w {
			return fmt.Sprintf("item %d:\n got  %s\n want %s", i, g, w)
		}
	}
	return ""
}

// bits shows a float64 exactly, -0 and NaN payloads included.
func bits(f float64) string { return fmt.Sprintf("%v(%x)", f, math.Float64bits(f)) }

func nullBits(n data.NullFloat64) string {
	if !n.Valid {
		return "null"
	}
	return bits(n.Float64)
}

func klineKey(r data.KlineRow) string {
	return fmt.Sprintf("%s %s %s %s %s %s %s %s %d %s %s loc %v %v", r.OpenTime.Format(time.RFC3339Nano), r.CloseTime.Format(time.RFC3339Nano),
		bits(r.Open), bits(r.High), bits(r.Low), bits(r.Close),
		nullBits(r.Volume), nullBits(r.QuoteVolume), r.Trades, nullBits(r.TakerBuyVolume), nullBits(r.TakerBuyQuoteVolume),
		r.OpenTime.Location(), r.CloseTime.Location())
}

func fundingKey(r data.FundingRow) string {
	return fmt.Sprintf("%s %s %s %s %d", r.FundingTime.Format(time.RFC3339Nano), bits(r.FundingRate), nullBits(r.MarkPrice), r.RateType, r.FundingIntervalHours)
}
