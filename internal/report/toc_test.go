package report

import (
	"regexp"
	"strings"
	"testing"
)

// TestTOC: the contents link every h2 (a section's own id when the heading
// opens a section with one, the heading's id when it has one, else an id
// made from its text, numbered when repeated) with its h3s beneath, in
// order; a page without the TOC line is left as it is.
func TestTOC(t *testing.T) {
	page := `<body><h1>T</h1>` + TOC + `
<section id="comparison">
<h2>Comparison</h2></section>
<section class="run" id="run-BTCUSDT">
<h2>BTCUSDT <i>perp</i></h2>
<h3>Summary</h3><h3>Basis P&amp;L</h3>
</section>
<h2 id="kept">Out of sample</h2>
<h2>Summary</h2>
</body>`
	got := string(withTOC([]byte(page)))
	wantLinks := []string{"#comparison", "#run-BTCUSDT", "#summary", "#basis-p-l", "#kept", "#summary-2"}
	var links []string
	for _, m := range regexp.MustCompile(`<a href="([^"]*)">`).FindAllStringSubmatch(got, -1) {
		links = append(links, m[1])
	}
	if strings.Join(links, " ") != strings.Join(wantLinks, " ") {
		t.Errorf("links %v, want %v\n%s", links, wantLinks, got)
	}
	for _, want := range []string{`<h3 id="summary">Summary</h3>`, `<h3 id="basis-p-l">Basis P&amp;L</h3>`, `<h2 id="summary-2">Summary</h2>`,
		`<a href="#run-BTCUSDT">BTCUSDT perp</a><br /><span style="font-size: 0.85em;"><a href="#summary">Summary</a> · <a href="#basis-p-l">Basis P&amp;L</a></span></li>`} {
		if !strings.Contains(got, want) {
			t.Errorf("lacks %s:\n%s", want, got)
		}
	}
	if strings.Contains(got, TOC) {
		t.Error("the TOC line is left in the page")
	}
	if plain := "<h2>x</h2>"; string(withTOC([]byte(plain))) != plain {
		t.Error("a page without the TOC line changed")
	}
}
