// Package sim generates a deterministic simulated Binance market, served by
// the fake exchange: spot as a random walk with realistic volatility, the
// perpetual's premium as a mean-reverting process with a regime switch,
// funding from the premium with Binance's formula and clamp, quarterly
// contracts converging at delivery, and an optional sharp rally that
// stresses a short's margin; and years of hourly klines and funding before
// that window, for multi-year runs. See docs/simulated-market.md.
package sim

import (
	"math"
	"math/rand/v2"
	"runtime"
	"sync"
	"time"

	"github.com/carry-research/carry/backfill/binancesim"
	"github.com/carry-research/carry/data"
)

// Pair describes one simulated pair.
type Pair struct {
	Symbol        string
	Start         float64 // first spot price
	Volatility    float64 // annualized, e.g. 0.55
	IntervalHours int     // funding interval
	// Rally, when positive, lifts spot and futures by that fraction over
	// RallyHours, starting RallyAt into the window.
	Rally      float64
	RallyAt    time.Duration
	RallyHours int
	// PremiumShift is added to the premium's long-run mean in every
	// regime: positive, funding persistently above the interest rate;
	// negative, spells of negative funding in the bear regimes.
	PremiumShift float64
	// RegimeLagDays shifts the history's cycle of regimes back by that
	// many days, so that pairs do not all turn at once.
	RegimeLagDays int
	// DelistedBefore, when positive, delists the pair that long before
	// End (rounded down to its funding interval): its klines and funding
	// end there, and exchangeInfo lists it SETTLING with that delivery
	// date, as Binance lists a delisted perpetual.
	DelistedBefore time.Duration
	// QuoteVolume is the futures and spot candles' mean hourly quote
	// volume (0: volumes are "0", a market that trades nothing).
	QuoteVolume float64
}

// TickDecimals are the decimals of the pair's futures and spot tick: one
// that fits its first price (binancesim.TickDecimals), fixed for the
// contract's life as an exchange's tick is — 0.01 from 100 up (BTC, ETH,
// SOL, BNB), 0.00001 for DOGE at 0.12.
func (p Pair) TickDecimals() int { return binancesim.TickDecimals(p.Start) }

// DelistedAt is when a pair is delisted: its last hour of data (zero if
// it is not).
func (c Config) DelistedAt(p Pair) time.Time {
	if p.DelistedBefore <= 0 {
		return time.Time{}
	}
	return c.End.Add(-p.DelistedBefore).Truncate(time.Duration(p.IntervalHours) * time.Hour)
}

// Config is a simulated market.
type Config struct {
	Pairs []Pair
	End   time.Time // last hour simulated
	Days  int       // length of the window
	Seed  uint64    // the same seed gives the same market
	// SwitchAt is when the funding regime turns from the bull premium to
	// the bear one (0: no switch).
	SwitchAt time.Duration
	// Years of hourly klines and funding end at End (from the first of
	// their first month; 0: the basis window only, and Backfill fetches no
	// klines). The basis stays Days long: the real basis endpoint keeps 30
	// days anyway.
	Years int
	// KlinePairs are the pairs Backfill fetches klines of (futures, index,
	// mark, spot) over the Years, and QuarterlyPairs those whose continuous
	// quarterly klines it fetches too. Every pair's klines are served.
	KlinePairs, QuarterlyPairs []string
	// UniversePairs are more perpetuals, simulated after Pairs (each from
	// its own seeded streams, so Pairs' numbers are the same with or
	// without them), for cross-sectional portfolios: years of hourly
	// futures, mark, index and spot klines and funding only (no
	// quarterlies; their basis is served but not backfilled). Backfill
	// fetches them with the KlinePairs. See Universe.
	UniversePairs []Pair
}

// DefaultYears is how many years of klines carry demo and carry
// simulate-market simulate.
const DefaultYears = 2

// DefaultConfig is the demo's market: BTC, ETH and SOL (funding every 4h),
// a regime switch at 60% of the window, and a 35% one-day SOL rally; set
// Years for klines over years (the demo's DefaultYears).
func DefaultConfig(end time.Time, days int, seed uint64) Config {
	w := time.Duration(days) * 24 * time.Hour
	return Config{
		End: end, Days: days, Seed: seed, SwitchAt: w * 6 / 10,
		KlinePairs: []string{"BTCUSDT", "ETHUSDT"}, QuarterlyPairs: []string{"BTCUSDT"},
		Pairs: []Pair{
			{Symbol: "BTCUSDT", Start: 62000, Volatility: 0.50, IntervalHours: 8},
			{Symbol: "ETHUSDT", Start: 3100, Volatility: 0.65, IntervalHours: 8},
			{Symbol: "SOLUSDT", Start: 150, Volatility: 0.85, IntervalHours: 4, Rally: 0.35, RallyAt: w * 3 / 4, RallyHours: 24},
		},
	}
}

// From is the first simulated hour.
func (c Config) From() time.Time {
	return c.End.Add(-time.Duration(c.Days) * 24 * time.Hour).Truncate(time.Hour)
}

// KlinesFrom is the first hour of the klines: the first of the month
// Years before End (whole months, as the archive publishes them), or the
// basis window's first hour if that is earlier.
func (c Config) KlinesFrom() time.Time {
	y := c.End.UTC().AddDate(-c.Years, 0, 0)
	first := time.Date(y.Year(), y.Month(), 1, 0, 0, 0, 0, time.UTC)
	if c.Years <= 0 || first.After(c.From()) {
		return c.From()
	}
	return first
}

// RallyStart is when a pair's rally begins (zero without one).
func (c Config) RallyStart(symbol string) time.Time {
	for _, p := range c.Pairs {
		if p.Symbol == symbol && p.Rally > 0 {
			return c.From().Add(p.RallyAt)
		}
	}
	return time.Time{}
}

// The funding formula's constants (Binance USDⓈ-M): interest 0.01% per 8h,
// the premium clamp ±0.05%, and a rate cap/floor of ±2% (adjusted symbols).
const (
	interestPer8h = 0.0001
	clampBand     = 0.0005
	rateCap       = 0.02
)

// premium regimes: the premium's long-run mean before and after the switch.
const (
	bullPremium = 0.00045
	bearPremium = -0.00015
)

// Market generates the configured market.
func Market(c Config) *binancesim.Market {
	m := binancesim.NewMarket()
	from := c.From()
	pairs := append(c.Pairs[:len(c.Pairs):len(c.Pairs)], c.UniversePairs...)
	// Pairs draw from streams of their own and write series of their own:
	// they are simulated at once, the same whatever the order.
	inParallel(len(pairs), func(i int) {
		p := pairs[i]
		dst, universe := m, i >= len(c.Pairs)
		if universe {
			dst = binancesim.NewMarket() // copied by addUniversePair
		}
		rng := rand.New(rand.NewPCG(c.Seed, uint64(i)+1))
		simulatePair(dst, p, c, from, rng)
		// The history draws from a stream of its own: the basis window is
		// the same whatever the years.
		hist := rand.New(rand.NewPCG(c.Seed, uint64(i)+1001))
		ph := simulateHistory(dst, p, c, hist)
		if c.KlinesFrom().Before(from) {
			dst.AddFunding(p.Symbol, historyFunding(p, c, ph, hist)...)
		}
		// Volumes too: the prices are the same whatever the volumes.
		addKlines(dst, p, ph, hist, rand.New(rand.NewPCG(c.Seed, uint64(i)+2001)), !universe)
		if universe {
			addUniversePair(m, dst, p, c)
		}
	})
	return m
}

// inParallel calls fn(0) … fn(n−1), GOMAXPROCS at a time.
func inParallel(n int, fn func(i int)) {
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			fn(i)
		}()
	}
	wg.Wait()
}

func simulatePair(m *binancesim.Market, p Pair, c Config, from time.Time, rng *rand.Rand) {
	hours := int(c.End.Sub(from).Hours())
	sigma := p.Volatility / math.Sqrt(365*24)
	m.AddContract(binancesim.Contract{Symbol: p.Symbol, FundingIntervalHours: p.IntervalHours, OnboardDate: c.KlinesFrom().AddDate(-1, 0, 0).UnixMilli()})

	spot, premium := p.Start, bullPremium
	qPremium := 0.08 // annualized quarterly basis
	type point struct {
		t                time.Time
		s, perp, premium float64
	}
	pts := make([]point, 0, hours+1)
	series := map[string][]binancesim.BasisRecord{}
	for h := 0; h <= hours; h++ {
		t := from.Add(time.Duration(h) * time.Hour)
		mean, qMean := bullPremium+p.PremiumShift, 0.09
		if c.SwitchAt > 0 && t.Sub(from) >= c.SwitchAt {
			mean, qMean = bearPremium+p.PremiumShift, 0.03
		}
		drift := 0.0
		rallying := p.Rally > 0 && t.Sub(from) >= p.RallyAt && t.Sub(from) < p.RallyAt+time.Duration(p.RallyHours)*time.Hour
		if rallying {
			drift = math.Log(1+p.Rally) / float64(p.RallyHours)
			mean += 0.002 // longs pile in: the premium spikes
		}
		if h > 0 {
			spot *= math.Exp(drift + sigma*rng.NormFloat64())
		}
		premium += 0.08*(mean-premium) + 0.00025*rng.NormFloat64()
		qPremium += 0.02*(qMean-qPremium) + 0.004*rng.NormFloat64()
		pts = append(pts, point{t: t, s: spot, perp: spot * (1 + premium), premium: premium})

		series["PERPETUAL"] = append(series["PERPETUAL"], binancesim.NewBasisRecordAtTick(t, spot, spot*(1+premium), time.Time{}, p.TickDecimals()))
		for _, ct := range []string{"CURRENT_QUARTER", "NEXT_QUARTER"} {
			d := quarterly(t, ct == "NEXT_QUARTER")
			days := d.Sub(t).Hours() / 24
			f := spot * (1 + (qPremium+0.01*boolf(ct == "NEXT_QUARTER"))*days/365 + 0.0002*rng.NormFloat64()*math.Sqrt(days/90))
			series[ct] = append(series[ct], binancesim.NewBasisRecordAtTick(t, spot, f, d, p.TickDecimals()))
		}
	}
	for ct, rows := range series {
		m.AddBasis(binancesim.BasisKey{Pair: p.Symbol, ContractType: ct, Period: "1h"}, rows...)
	}
	for _, ct := range []bool{false, true} {
		for _, d := range []time.Time{quarterly(from, ct), quarterly(c.End, ct)} {
			m.AddContract(binancesim.Contract{Symbol: p.Symbol + "_" + d.Format("060102"), Pair: p.Symbol, ContractType: contractName(ct), DeliveryDate: d.UnixMilli()})
		}
	}
	// Funding at every interval boundary: Binance's formula on the
	// interval's average premium.
	step := p.IntervalHours
	var funding []binancesim.FundingRecord
	premiums := make([]float64, len(pts))
	for i, pt := range pts {
		premiums[i] = pt.premium
	}
	for h := step; h <= hours; h += step {
		funding = append(funding, fundingEvent(pts[h].t, premiums[h-step+1:h+1], pts[h].perp, step, rng))
	}
	m.AddFunding(p.Symbol, funding...)
}

func clamp(v, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, v)) }

func boolf(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func contractName(next bool) string {
	if next {
		return "NEXT_QUARTER"
	}
	return "CURRENT_QUARTER"
}

// quarterly is the delivery of the current (or next) quarterly contract at
// t: the series switch at each delivery instant.
func quarterly(t time.Time, next bool) time.Time {
	var found []time.Time
	for y, mo := t.Year(), time.March; len(found) < 2; {
		if d := data.QuarterlyDelivery(y, mo); d.After(t) {
			found = append(found, d)
		}
		if mo += 3; mo > time.December {
			mo, y = time.March, y+1
		}
	}
	if next {
		return found[1]
	}
	return found[0]
}
