package strategy

import "testing"

// TestParamTable: the table is what sweeps size their arrays by, its names
// are unique wherever they are written, a rule's exit follows its entry,
// and every default, printed, reads back to DefaultSettings.
func TestParamTable(t *testing.T) {
	table := ParamTable()
	if len(table) != ParamCount {
		t.Fatalf("%d parameters, ParamCount %d", len(table), ParamCount)
	}
	seen := map[string]bool{}
	for i, p := range table {
		for _, name := range []string{p.Name, "--" + p.Flag, "column " + p.Column} {
			if seen[name] {
				t.Errorf("%s listed twice", name)
			}
			seen[name] = true
		}
		if p.Gates != "" && (i+1 == len(table) || table[i+1].Name != p.Gates) {
			t.Errorf("%s gates %s, which does not follow it", p.Name, p.Gates)
		}
	}
	for _, src := range []Source{FromFlag, FromGrid} {
		var s Settings
		for _, p := range table {
			v, err := p.Read(p.Default(), src)
			if err != nil {
				t.Fatalf("%s's default %q: %v", p.Name, p.Default(), err)
			}
			v.Apply(&s)
		}
		for _, p := range table {
			if got := p.Format(s); got != p.Default() {
				t.Errorf("%s's default read back from source %d: %q, want %q", p.Name, src, got, p.Default())
			}
		}
		if !s.Params.Capital.Equal(DefaultParams().Capital) || s.Params.Rules != DefaultParams().Rules {
			t.Errorf("defaults read back from source %d: %+v", src, s)
		}
	}
}
