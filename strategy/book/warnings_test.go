package book

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/carry-research/carry/strategy/portfolio"
)

// TestMinVolumeWarnsOfAPairWithoutVolume: HHH is priced by the basis (no
// futures candles, so no quote volume); under --min-volume it is never
// held, the run goes on with AAA (volume 1000 + hour per candle, ≥ 1000
// in any 24 h after hour 1), and a warning names HHH and the flag.
// Without the filter there is no such warning.
func TestMinVolumeWarnsOfAPairWithoutVolume(t *testing.T) {
	l := universeLake(t, testPairs)
	got, err := LoadUniverse(l, UniverseSpec{Symbols: []string{"AAAUSDT", "HHHUSDT"}, Period: "1h", From: hour(0), To: hour(71)})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name      string
		minVolume float64
		warnings  []string // each a warning must contain, in order
		heldHHH   bool
	}{
		{"filter", 1000, []string{"HHHUSDT: the lake has no quote volume", "--min-volume 1000 never admits it"}, false},
		{"no filter", 0, nil, true},
	} {
		p := portfolio.DefaultParams()
		p.Lookback, p.MinQuoteVolume = 1, c.minVolume
		res, err := portfolio.Run(got.Universe, p)
		if err != nil {
			t.Fatalf("%s: %v, want a run", c.name, err)
		}
		if held := res.Pairs[1].Entries > 0; held != c.heldHHH || res.Pairs[0].Entries == 0 {
			t.Errorf("%s: AAA entered %d times, HHH %d; want AAA held and HHH held %v", c.name, res.Pairs[0].Entries, res.Pairs[1].Entries, c.heldHHH)
		}
		w := ParamWarnings(got.Universe, p)
		if c.warnings == nil {
			if len(w) != 0 {
				t.Errorf("%s: warnings %q, want none", c.name, w)
			}
			continue
		}
		if len(w) != 1 {
			t.Fatalf("%s: warnings %q, want one about HHHUSDT", c.name, w)
		}
		for _, want := range c.warnings {
			if !strings.Contains(w[0], want) {
				t.Errorf("%s: warning %q, want it to say %q", c.name, w[0], want)
			}
		}
	}
}

// TestRunSaysWhatTheParametersNeverAdmit: book.Run (what carry portfolio
// and the demo call) carries ParamWarnings into the outcome's warnings,
// which the report prints.
func TestRunSaysWhatTheParametersNeverAdmit(t *testing.T) {
	l := universeLake(t, testPairs)
	p := portfolio.DefaultParams()
	p.Lookback, p.MinQuoteVolume = 1, 1000
	out, err := Run(context.Background(), l, Spec{Universe: UniverseSpec{Symbols: []string{"AAAUSDT", "HHHUSDT"}, Period: "1h", From: hour(0), To: hour(71)}, Params: p})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(out.Warnings, func(w string) bool { return strings.Contains(w, "HHHUSDT: the lake has no quote volume") }) {
		t.Errorf("warnings %q lack HHHUSDT's", out.Warnings)
	}
}
