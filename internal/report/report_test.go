package report

import (
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/data/lake"
	"github.com/carry-research/carry/strategy"
	"github.com/carry-research/carry/strategy/backtest"
)

var t0 = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

func lakeWith(t *testing.T, symbols ...string) *lake.Lake {
	t.Helper()
	l, err := lake.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for k, sym := range symbols {
		var rows []data.BasisRow
		for i := range 72 {
			s := 100 + float64(i%7) + float64(k)
			rows = append(rows, data.BasisRow{Timestamp: t0.Add(time.Duration(i) * time.Hour), IndexPrice: s, FuturesPrice: s * 1.001, Basis: s * 0.001, BasisRate: 0.001})
		}
		if _, err := l.MergeBasis(data.BasisKey{Pair: sym, ContractType: data.Perpetual, Period: "1h"}, rows); err != nil {
			t.Fatal(err)
		}
		var ev []data.FundingRow
		for h := 0; h < 72; h += 8 {
			ev = append(ev, data.FundingRow{FundingTime: t0.Add(time.Duration(h) * time.Hour), FundingRate: 0.0001 * float64(k+1), MarkPrice: data.Some(100), RateType: data.Regular})
		}
		if _, err := l.MergeFunding(sym, ev); err != nil {
			t.Fatal(err)
		}
	}
	return l
}

// element is a parsed HTML element (the template keeps the markup
// well-formed, so a strict XML parser reads it).
type element struct {
	name  string
	attrs map[string]string
	text  string
}

func parse(t *testing.T, b []byte) []element {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = true
	d.Entity = xml.HTMLEntity
	var out []element
	var stack []int
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("report.html is not well-formed: %v", err)
		}
		switch x := tok.(type) {
		case xml.StartElement:
			e := element{name: x.Name.Local, attrs: map[string]string{}}
			for _, a := range x.Attr {
				e.attrs[a.Name.Local] = a.Value
			}
			out = append(out, e)
			stack = append(stack, len(out)-1)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				out[stack[len(stack)-1]].text += string(x)
			}
		}
	}
	return out
}

func TestReportStructure(t *testing.T) {
	l := lakeWith(t, "BTCUSDT", "ETHUSDT")
	var sections []Section
	for _, sym := range []string{"BTCUSDT", "ETHUSDT"} {
		out, err := backtest.Simulate(l, backtest.Spec{Symbol: sym, Period: "1h", Contract: data.Perpetual}, strategy.DefaultParams(), 0)
		if err != nil {
			t.Fatal(err)
		}
		sections = append(sections, Section{Named: backtest.Named{Outcome: out}})
	}
	dir := t.TempDir()
	if err := backtest.WriteRuns(dir, namedOf(sections)); err != nil {
		t.Fatal(err)
	}
	if err := WriteBacktest(dir, "carry backtest", "simulated market", sections, ChartOptions{Width: 800, Height: 450}, t0); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, ReportHTML))
	if err != nil {
		t.Fatal(err)
	}
	els := parse(t, b)
	count := map[string]int{}
	var imgs []element
	for _, e := range els {
		count[e.name]++
		if e.name == "img" {
			imgs = append(imgs, e)
		}
		for k, v := range e.attrs {
			if (k == "src" || k == "href") && !strings.HasPrefix(v, "data:") && !strings.HasPrefix(v, "#") { // in-page links (the contents) are fine
				t.Errorf("<%s %s=%q>: the report must not reach the network or other files", e.name, k, v)
			}
		}
	}
	// Two runs of five charts each and four of their tear sheets' (the
	// two-day window has no rolling 30-day chart), plus the ranking.
	if len(imgs) != 19 {
		t.Errorf("%d images, want 19", len(imgs))
	}
	for _, img := range imgs {
		raw, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(img.attrs["src"], "data:image/png;base64,"))
		if err != nil || !bytes.HasPrefix(raw, []byte("\x89PNG")) || img.attrs["alt"] == "" {
			t.Errorf("image %q… is not an embedded PNG with alt text", img.attrs["src"][:30])
		}
	}
	var runs, labels int
	var headings []string
	for _, e := range els {
		if e.name == "section" && e.attrs["class"] == "run" {
			runs++
		}
		if e.attrs["id"] == "label" && e.text == "simulated market" {
			labels++
		}
		if e.name == "h2" || e.name == "h3" {
			headings = append(headings, e.text)
		}
	}
	if runs != 2 || labels != 1 {
		t.Errorf("%d run sections and %d labels", runs, labels)
	}
	for _, h := range []string{"Comparison", "BTCUSDT PERPETUAL 1h", "Parameters and data window", "Summary", "Worst drawdown", "Largest funding payments", "Charts"} {
		found := false
		for _, g := range headings {
			found = found || g == h
		}
		if !found {
			t.Errorf("no heading %q in %v", h, headings)
		}
	}
	for _, f := range []string{backtest.ComparisonCSV, "ranking.png", "BTCUSDT/summary.json", "ETHUSDT/equity.png"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("missing %s", f)
		}
	}
	if !strings.Contains(string(b), "365-day") {
		t.Error("the report does not state its calendar")
	}
	if !strings.Contains(string(b), "futures leg: basis; spot leg: basis index") {
		t.Error("the report does not say what priced each leg")
	}
}
