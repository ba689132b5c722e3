package portfolio

import (
	"strings"
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

// TestBookParamReadsWhatFlagsRead: the table reads every form carry
// portfolio's flags took before they derived from it — whole numbers as
// pflag's int flags read them (base prefixes: 0x10 = 16), rates with % and
// bp, durations in days (1.5d = 36h), quote volumes as pflag's float64
// flags read them (1e6) — and each parameter has a flag and its help.
// Expected values are the units' definitions (1 % = 0.01, 1 bp = 0.0001).
func TestBookParamReadsWhatFlagsRead(t *testing.T) {
	byName := map[string]BookParam{}
	flags := map[string]bool{}
	for _, b := range BookParamTable() {
		byName[b.Name] = b
		if b.Flag == "" || b.Usage == "" || flags[b.Flag] {
			t.Errorf("%s: flag %q (repeated %v), usage %q", b.Name, b.Flag, flags[b.Flag], b.Usage)
		}
		flags[b.Flag] = true
	}
	for _, c := range []struct {
		name, text, canon string
		check             func(Params) bool
	}{
		{"lookback", "0x10", "16", func(p Params) bool { return p.Lookback == 16 }},
		{"top", "+3", "3", func(p Params) bool { return p.Top == 3 }},
		{"min_signal", "500bp", "0.05", func(p Params) bool { return p.MinSignal != nil && *p.MinSignal == 0.05 }},
		{"min_signal", "-1%", "-0.01", func(p Params) bool { return p.MinSignal != nil && *p.MinSignal == -0.01 }},
		{"cap", "25%", "0.25", func(p Params) bool { return p.Cap == 0.25 }},
		{"cap", "1bp", "0.0001", func(p Params) bool { return p.Cap == 0.0001 }},
		{"band", "5%", "0.05", func(p Params) bool { return p.Band == 0.05 }},
		{"band", "0.05", "0.05", func(p Params) bool { return p.Band == 0.05 }},
		{"min_history", "14d", "14d", func(p Params) bool { return p.MinHistory == 14*24*time.Hour }},
		{"min_history", "1.5d", "36h", func(p Params) bool { return p.MinHistory == 36*time.Hour }},
		{"vol_window", "72h", "3d", func(p Params) bool { return p.VolWindow == 72*time.Hour }},
		{"min_volume", "1e6", "1e+06", func(p Params) bool { return p.MinQuoteVolume == 1e6 }},
		{"rebalance", "8h", "8h", func(p Params) bool { return p.Rebalance == Schedule{Every: 8 * time.Hour} }},
		{"signal", "BASIS", "basis", func(p Params) bool { return p.Signal == SignalBasis }},
	} {
		for _, read := range []func(BookParam, string) (BookValue, error){BookParam.Read, BookParam.ReadFlag} {
			v, err := read(byName[c.name], c.text)
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
	}
}

// TestBookParamReadFlag: a flag's value that reads but no run can use is
// refused by ReadFlag (Read leaves it to Params.Validate, which a sweep
// counts as an invalid combination), and every error names the flag and
// the text as written: a number flag's bare, the others' quoted.
func TestBookParamReadFlag(t *testing.T) {
	byName := map[string]BookParam{}
	for _, b := range BookParamTable() {
		byName[b.Name] = b
	}
	for _, c := range []struct {
		name, text string
		readOK     bool // Read (a grid's) takes it
		want       string
	}{
		{"top", "0", false, "--top 0: want a whole number of pairs from 1"},
		{"lookback", "x", false, "--lookback x: want a whole number of funding events from 1"},
		{"signal", "momentum", false, `--signal "momentum": want funding or basis`},
		{"min_signal", "high", false, `--min-signal "high": not a number`},
		{"rebalance", "0d", false, `--rebalance "0d": want a positive duration`},
		{"cap", "150%", true, `--cap "150%": want a weight more than 0 and at most 1`},
		{"cap", "0", true, `--cap "0": want a weight more than 0`},
		{"band", "-1%", true, `--band "-1%": want 0 or more`},
		{"min_history", "-1d", true, `--min-history "-1d": want a duration of 0 or more`},
		{"vol_window", "0", true, `--vol-window "0": want a positive duration`},
		{"min_volume", "-5", true, "--min-volume -5: want 0 or more (USDT)"},
		{"min_volume", "NaN", true, "--min-volume NaN: want 0 or more (USDT)"},
		{"min_volume", "+Inf", true, "--min-volume +Inf: want 0 or more (USDT)"},
	} {
		_, err := byName[c.name].ReadFlag(c.text)
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("ReadFlag %s %q: error %v, want one starting %q", c.name, c.text, err, c.want)
		}
		if _, err := byName[c.name].Read(c.text); (err == nil) != c.readOK {
			t.Errorf("Read %s %q: error %v, want read %v", c.name, c.text, err, c.readOK)
		}
	}
}

// TestDurationNameRoundTrip: a duration is written as the flags write it
// (whole days as days, no zero trailing units: Go's "8h0m0s" was in
// summary.json and the sweep's columns) and the text reads back, through
// the rebalance and min_history parameters, to the same duration and the
// same text. The expected names are Go's time.Duration.String with the
// trailing "0s" and then "0m" cut (1h30m0s → 1h30m; 1h0m30s keeps "0m").
func TestDurationNameRoundTrip(t *testing.T) {
	byName := map[string]BookParam{}
	for _, b := range BookParamTable() {
		byName[b.Name] = b
	}
	for _, c := range []struct {
		d    time.Duration
		want string
	}{
		{0, "0"},
		{8 * time.Hour, "8h"},
		{24 * time.Hour, "1d"},
		{90 * time.Minute, "1h30m"},
		{36 * time.Hour, "36h"}, // 1.5d: not whole days
		{30 * time.Minute, "30m"},
		{time.Hour + 30*time.Second, "1h0m30s"},
		{45 * time.Second, "45s"},
		{500 * time.Millisecond, "500ms"},
		{30 * 24 * time.Hour, "30d"},
	} {
		got := DurationName(c.d)
		if got != c.want {
			t.Errorf("DurationName(%v) = %q, want %q", c.d, got, c.want)
		}
		if c.d <= 0 {
			continue // no schedule of zero; min_history 0 is "0" below
		}
		v, err := byName["rebalance"].Read(got)
		if err != nil {
			t.Errorf("rebalance %q: %v", got, err)
			continue
		}
		var p Params
		v.Apply(&p)
		if p.Rebalance != (Schedule{Every: c.d}) || v.Canon != got {
			t.Errorf("rebalance %q reads back as %v, canon %q; want %v, %q", got, p.Rebalance.Every, v.Canon, c.d, got)
		}
		v, err = byName["min_history"].Read(got)
		if err != nil {
			t.Errorf("min_history %q: %v", got, err)
			continue
		}
		v.Apply(&p)
		if p.MinHistory != c.d || v.Canon != got {
			t.Errorf("min_history %q reads back as %v, canon %q; want %v, %q", got, p.MinHistory, v.Canon, c.d, got)
		}
	}
}
