// Package architecture holds the test that keeps docs/architecture.md true:
// the packages it lists are the module's packages, and each imports only
// what its row allows.
package architecture

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/carry-research/carry"

// rule is one row of the packages table: | `pkg` | layer | what | `a`, `b` |.
type rule struct {
	layer   int
	imports []string // carry packages it may import directly
}

var (
	pkgRow  = regexp.MustCompile("^\\| `([^`]+)` \\| (\\d+)[^|]*\\|[^|]*\\|(.*)\\|\\s*$")
	depRow  = regexp.MustCompile("^\\| `([^`]+)` \\|(.*)\\|\\s*$")
	codeRef = regexp.MustCompile("`([^`]+)`")
)

// readRules parses docs/architecture.md: the "Packages" table and the
// "Dependencies" table (an outside package and the only carry packages
// that may import it directly).
func readRules(t *testing.T) (map[string]rule, map[string][]string) {
	f, err := os.Open(filepath.Join("..", "..", "docs", "architecture.md"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	pkgs, deps := map[string]rule{}, map[string][]string{}
	section := ""
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if h, ok := strings.CutPrefix(line, "## "); ok {
			section = h
			continue
		}
		switch section {
		case "Packages":
			if m := pkgRow.FindStringSubmatch(line); m != nil {
				layer, _ := strconv.Atoi(m[2])
				r := rule{layer: layer}
				for _, ref := range codeRef.FindAllStringSubmatch(m[3], -1) {
					r.imports = append(r.imports, ref[1])
				}
				if _, dup := pkgs[m[1]]; dup {
					t.Errorf("docs/architecture.md lists %s twice", m[1])
				}
				pkgs[m[1]] = r
			}
		case "Dependencies":
			if m := depRow.FindStringSubmatch(line); m != nil {
				for _, ref := range codeRef.FindAllStringSubmatch(m[2], -1) {
					deps[m[1]] = append(deps[m[1]], ref[1])
				}
			}
		}
	}
	if len(pkgs) == 0 || len(deps) == 0 {
		t.Fatal("docs/architecture.md: no Packages or no Dependencies table")
	}
	return pkgs, deps
}

// goList returns every package of the module with its direct imports (not
// its tests') and, with deps, every package it links.
func goList(t *testing.T, format string) map[string][]string {
	cmd := exec.Command("go", "list", "-f", format, "./...")
	cmd.Dir = filepath.Join("..", "..")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v: %s", err, stderr.String())
	}
	m := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, list, _ := strings.Cut(line, "|")
		m[strings.TrimPrefix(strings.TrimPrefix(pkg, module), "/")] = strings.Fields(list)
	}
	return m
}

func short(p string) (string, bool) {
	if p == module {
		return ".", true
	}
	s, ok := strings.CutPrefix(p, module+"/")
	return s, ok
}

func TestImportsFollowTheArchitecture(t *testing.T) {
	rules, deps := readRules(t)
	imports := goList(t, "{{.ImportPath}}|{{join .Imports \" \"}}")
	for pkg := range rules {
		if _, ok := imports[pkg]; !ok {
			t.Errorf("docs/architecture.md lists %s, which is not a package of the module", pkg)
		}
	}
	for pkg, imps := range imports {
		r, ok := rules[pkg]
		if !ok {
			t.Errorf("package %s is missing from docs/architecture.md's Packages table", pkg)
			continue
		}
		// The table is the graph, not a looser bound on it: an allowed
		// import no longer made is stale.
		for _, allowed := range r.imports {
			if !slices.Contains(imps, module+"/"+allowed) {
				t.Errorf("docs/architecture.md lets %s import %s, which it does not: update its row", pkg, allowed)
			}
		}
		for _, imp := range imps {
			if p, ok := short(imp); ok {
				if !slices.Contains(r.imports, p) {
					t.Errorf("%s imports %s, which its row in docs/architecture.md does not allow", pkg, p)
				} else if rules[p].layer > r.layer {
					t.Errorf("%s (layer %d) imports %s (layer %d): a lower layer never imports a higher one", pkg, r.layer, p, rules[p].layer)
				}
				continue
			}
			for dep, only := range deps {
				if (imp == dep || strings.HasPrefix(imp, dep+"/")) && !slices.Contains(only, pkg) {
					t.Errorf("%s imports %s, which only %v may import", pkg, imp, only)
				}
			}
		}
	}
}

// TestLowerLayersLinkNoStorageOrDrawing: the vocabulary, the model and the
// statistics link neither Arrow/Parquet nor the chart libraries, even
// through another package.
func TestLowerLayersLinkNoStorageOrDrawing(t *testing.T) {
	linked := goList(t, "{{.ImportPath}}|{{join .Deps \" \"}}")
	for _, pkg := range []string{"data", "strategy", "analytics"} {
		for _, d := range linked[pkg] {
			for _, banned := range []string{"github.com/apache/arrow", "gonum.org/v1/plot", "html/template", "github.com/spf13/cobra"} {
				if strings.HasPrefix(d, banned) {
					t.Errorf("%s links %s", pkg, d)
				}
			}
		}
		if len(linked[pkg]) == 0 {
			t.Errorf("go list gave no dependencies for %s", pkg)
		}
	}
}
