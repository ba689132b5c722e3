package portfolio

import (
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/carry-research/carry/data"
)

func TestParamsValidateNamesEachBadParameter(t *testing.T) {
	cases := []struct {
		name string
		set  func(*Params)
		want string
	}{
		{"top", func(p *Params) { p.Top = 0 }, "top 0"},
		{"lookback", func(p *Params) { p.Lookback = 0 }, "lookback 0"},
		{"cap zero", func(p *Params) { p.Cap = 0 }, "cap 0"},
		{"cap above 1", func(p *Params) { p.Cap = 1.5 }, "cap 1.5"},
		{"band", func(p *Params) { p.Band = -0.1 }, "band -0.1"},
		{"weights", func(p *Params) { p.Weights = "momentum" }, `weights "momentum"`},
		{"signal", func(p *Params) { p.Signal = "oi" }, `signal "oi"`},
		{"schedule", func(p *Params) { p.Rebalance = Schedule{} }, "rebalance"},
		{"schedule negative", func(p *Params) { p.Rebalance = Schedule{Every: -time.Hour, OnFunding: true} }, "rebalance every -1h"},
		{"vol window", func(p *Params) { p.Weights, p.VolWindow = WeightInverseVol, 0 }, "vol window"},
		{"min signal", func(p *Params) { p.MinSignal = engF64(1e-30) }, "min signal"},
		{"min history", func(p *Params) { p.MinHistory = -time.Hour }, "min history"},
		{"min quote volume", func(p *Params) { p.MinQuoteVolume = -1 }, "min quote volume"},
		{"pair", func(p *Params) { p.Pair.Leverage = decimal.Zero }, "pair: leverage 0"},
	}
	for _, c := range cases {
		p := DefaultParams()
		c.set(&p)
		err := p.Validate()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one naming %q", c.name, err, c.want)
		}
	}
	if err := DefaultParams().Validate(); err != nil {
		t.Errorf("defaults refused: %v", err)
	}
	// Inverse-vol with the default window is fine; on-funding alone too.
	p := DefaultParams()
	p.Weights, p.Rebalance = WeightInverseVol, Schedule{OnFunding: true}
	if err := p.Validate(); err != nil {
		t.Errorf("inverse-vol on funding refused: %v", err)
	}
}

func TestUniverseValidationNamesTheSymbol(t *testing.T) {
	ok := func(sym string) Member { return Member{Market: engFundedMarket(sym, 3, 0.0001)} }
	dated := ok("QUSDT")
	dated.Market.ContractType = data.CurrentQuarter
	short := ok("VUSDT")
	short.QuoteVolume = []float64{1, 2}
	bad := ok("PUSDT")
	bad.Market.Spot[1] = 0
	late := ok("LUSDT")
	late.Since = engHr(1)
	cases := []struct {
		name    string
		members []Member
		minVol  float64
		want    string
	}{
		{"empty", nil, 0, "no pairs"},
		{"dated", []Member{ok("AUSDT"), dated}, 0, "QUSDT"},
		{"duplicate", []Member{ok("AUSDT"), ok("AUSDT")}, 0, "AUSDT: appears twice"},
		{"volume length", []Member{short}, 0, "VUSDT: 2 quote volumes for 3 grid points"},
		// Since is the first data, at or before the first grid point.
		{"since after the first point", []Member{late}, 0, "LUSDT: its data since"},
		{"market", []Member{bad}, 0, "PUSDT"},
	}
	for _, c := range cases {
		p := DefaultParams()
		p.MinQuoteVolume = c.minVol
		_, err := Run(&Universe{Members: c.members}, p)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one naming %q", c.name, err, c.want)
		}
	}
}
