package binancesim

import (
	"fmt"
	"time"

	"github.com/carry-research/carry/data"
)

// archiveFolders are the archive's folders of the kline kinds it holds
// (market, dataset); continuous klines are not archived.
var archiveFolders = map[data.KlineKind][2]string{
	data.KlineFutures: {"futures/um", "klines"},
	data.KlineMark:    {"futures/um", "markPriceKlines"},
	data.KlineIndex:   {"futures/um", "indexPriceKlines"},
	data.KlinePremium: {"futures/um", "premiumIndexKlines"},
	data.KlineSpot:    {"spot", "klines"},
}

// PublishKlines publishes a market's candles of key as the real archive
// holds them: a monthly file for every month the series touches, and a
// daily file for every day from dailyFrom on. The candles are the ones
// the kline endpoints serve, so archive and REST agree row for row; set
// ArchiveOptions.Now to hide what the real archive would not have
// published yet. It returns the number of files published.
func (a *Archive) PublishKlines(m *Market, key data.KlineKey, dailyFrom time.Time) (int, error) {
	folder, ok := archiveFolders[key.Kind]
	if !ok || key.ContractType != "" {
		return 0, fmt.Errorf("publishing %s: the archive holds no %s klines", key, key.Kind)
	}
	s := ArchiveSeries{Market: folder[0], Dataset: folder[1], Symbol: key.Symbol, Interval: string(key.Interval)}
	months := map[time.Time][]ArchiveKline{}
	days := map[time.Time][]ArchiveKline{}
	for _, r := range m.Klines(key) {
		open := time.UnixMilli(r.OpenTime).UTC()
		k := ArchiveKline{OpenTime: r.OpenTime, CloseTime: r.CloseTime, Open: r.Open, High: r.High, Low: r.Low, Close: r.Close,
			Volume: r.Volume, QuoteVolume: r.QuoteVolume, Count: r.Trades, TakerBuyVolume: r.TakerBuyVolume, TakerBuyQuoteVolume: r.TakerBuyQuoteVolume}
		if !key.Kind.HasVolume() {
			k.Count = 0 // the archive writes 0 where REST counts samples
		}
		month := archiveDate(open, false)
		months[month] = append(months[month], k)
		if day := archiveDate(open, true); !day.Before(dailyFrom) {
			days[day] = append(days[day], k)
		}
	}
	for month, rows := range months {
		a.AddKlines(s, false, month, rows)
	}
	for day, rows := range days {
		a.AddKlines(s, true, day, rows)
	}
	return len(months) + len(days), nil
}

// PublishFunding publishes a market's funding events of symbol as the
// archive's monthly fundingRate files, each event with intervalHours (the
// interval the real files state), and returns the number of files.
func (a *Archive) PublishFunding(m *Market, symbol string, intervalHours int) int {
	months := map[time.Time][]ArchiveFunding{}
	for _, r := range m.Funding(symbol) {
		month := archiveDate(time.UnixMilli(r.FundingTime), false)
		months[month] = append(months[month], ArchiveFunding{CalcTime: r.FundingTime, IntervalHours: intervalHours, Rate: r.FundingRate})
	}
	for month, rows := range months {
		a.AddFunding(symbol, month, rows)
	}
	return len(months)
}
