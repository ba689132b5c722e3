package binance

import (
	"context"
	"strings"
	"testing"
	"time"
)

// A bad value is named by its row's time (RFC 3339, not raw milliseconds)
// and its field, so that whoever reads the failed series can find it.
func TestBadRowsAreNamedByTimeAndField(t *testing.T) {
	const fundingTime = 1709280000003 // 2024-03-01T08:00:00.003Z
	funding := func(f fundingWire) fundingWire {
		f.Symbol, f.FundingTime = "BTCUSDT", fundingTime
		if f.FundingRate == "" {
			f.FundingRate = "0.0001"
		}
		return f
	}
	basis := func(b basisWire) basisWire {
		b.Pair, b.ContractType, b.Timestamp = "BTCUSDT", "PERPETUAL", 1709280000000
		for _, v := range []*string{&b.IndexPrice, &b.FuturesPrice, &b.Basis, &b.BasisRate} {
			if *v == "" {
				*v = "1"
			}
		}
		return b
	}
	cases := []struct {
		name string
		conv func() error
		want string
	}{
		{"funding rate", func() error { _, err := funding(fundingWire{FundingRate: "abc"}).event(); return err },
			`funding event BTCUSDT at 2024-03-01T08:00:00.003Z: fundingRate: number "abc": `},
		{"mark price", func() error { _, err := funding(fundingWire{MarkPrice: "1.2.3"}).event(); return err },
			`funding event BTCUSDT at 2024-03-01T08:00:00.003Z: markPrice: number "1.2.3": `},
		{"rate type", func() error { _, err := funding(fundingWire{RateType: "Odd"}).event(); return err },
			`funding event BTCUSDT at 2024-03-01T08:00:00.003Z: rateType "Odd": want Regular or Special`},
		{"index price", func() error { _, err := basis(basisWire{IndexPrice: "0.12345678901234567"}).point(); return err },
			`basis row BTCUSDT PERPETUAL at 2024-03-01T08:00:00Z: indexPrice: number "0.12345678901234567" has more significant digits`},
		{"annualized rate", func() error { _, err := basis(basisWire{AnnualizedBasisRate: "x"}).point(); return err },
			`basis row BTCUSDT PERPETUAL at 2024-03-01T08:00:00Z: annualizedBasisRate: number "x": `},
	}
	for _, c := range cases {
		err := c.conv()
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%s: error %v, want it to start %q", c.name, err, c.want)
		}
	}
}

func TestBadFundingPageNamesTheRow(t *testing.T) {
	body := `[{"symbol":"BTCUSDT","fundingTime":1709251200001,"fundingRate":"0.0001","markPrice":"","rateType":"Regular"},
		{"symbol":"BTCUSDT","fundingTime":1709280000003,"fundingRate":"abc","markPrice":"","rateType":"Regular"}]`
	c := serveBytes(t, 200, []byte(body), nil)
	_, err := c.FundingRates(context.Background(), FundingQuery{Symbol: "BTCUSDT", Start: time.UnixMilli(0), End: time.Now(), Limit: 1000})
	want := `/fapi/v1/fundingRate: bad response: funding event BTCUSDT at 2024-03-01T08:00:00.003Z: fundingRate: number "abc"`
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("error %v, want it to start %q", err, want)
	}
}
