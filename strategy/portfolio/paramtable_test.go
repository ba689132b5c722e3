package portfolio

import (
	"testing"
	"time"
)

// TestBookParamTable holds the table to its count, each default to what
// DefaultParams says (read back to the same canonical text), and reads a
// few values, canonical forms from the parsers' rules (1d = 24h,
// 5% = 0.05).
func TestBookParamTable(t *testing.T) {
	table := BookParamTable()
	if len(table) != BookParamCount {
		t.Fatalf("BookParamTable has %d entries, BookParamCount says %d", len(table), BookParamCount)
	}
	for _, b := range table {
		def := b.Default()
		v, err := b.Read(def)
		if err != nil {
			t.Errorf("%s: its default %q does not read: %v", b.Name, def, err)
			continue
		}
		if v.Canon != def {
			t.Errorf("%s: default %q reads back as %q", b.Name, def, v.Canon)
		}
	}
	byName := map[string]BookParam{}
	for _, b := range table {
		byName[b.Name] = b
	}
	for _, c := range []struct {
		name, text, canon string
		check             func(Params) bool
	}{
		{"rebalance", "24h", "1d", func(p Params) bool { return p.Rebalance == Schedule{Every: 24 * time.Hour} }},
		{"rebalance", "Funding", "funding", func(p Params) bool { return p.Rebalance == Schedule{OnFunding: true} }},
		{"min_signal", "5%", "0.05", func(p Params) bool { return p.MinSignal != nil && *p.MinSignal == 0.05 }},
		{"min_signal", "", "", func(p Params) bool { return p.MinSignal == nil }},
		{"band", "200bp", "0.02", func(p Params) bool { return p.Band == 0.02 }},
		{"top", "3", "3", func(p Params) bool { return p.Top == 3 }},
		{"weights", "Inverse-Vol", "inverse-vol", func(p Params) bool { return p.Weights == WeightInverseVol }},
		{"min_history", "72h", "3d", func(p Params) bool { return p.MinHistory == 72*time.Hour }},
	} {
		v, err := byName[c.name].Read(c.text)
		if err != nil {
			t.Errorf("%s %q: %v", c.name, c.text, err)
			continue
		}
		p := DefaultParams()
		v.Apply(&p)
		if v.Canon != c.canon || !c.check(p) {
			t.Errorf("%s %q: canon %q (want %q), params ok %v", c.name, c.text, v.Canon, c.canon, c.check(p))
		}
	}
	for _, c := range []struct{ name, text string }{{"top", "0"}, {"signal", "momentum"}, {"rebalance", "-1h"}, {"lookback", "x"}} {
		if _, err := byName[c.name].Read(c.text); err == nil {
			t.Errorf("%s %q: read, want an error", c.name, c.text)
		}
	}
}
