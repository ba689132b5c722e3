package architecture

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var (
	benchFunc = regexp.MustCompile(`(?m)^func (Benchmark\w+)\(b \*testing\.B\)`)
	// A go test line of the Makefile's bench target: its -bench pattern
	// and its package, e.g.
	//   $(GO) test -run '^$$' -bench 'KernelVs|EquityStats' -benchtime 3s ./strategy/
	benchLine = regexp.MustCompile(`-bench\s+('[^']*'|\S+).*\s(\./\S+)\s*$`)
)

// TestMakeBenchRunsEveryBenchmark: `make bench` is where BENCHMARKS.md's
// figures come from (issue 14: "make bench runs every benchmark"), so every
// benchmark of the module must match the -bench pattern of a line of the
// bench target for its package. A benchmark added without a line there
// fails here, naming it.
func TestMakeBenchRunsEveryBenchmark(t *testing.T) {
	root := filepath.Join("..", "..")
	patterns := benchTargetPatterns(t, filepath.Join(root, "Makefile"))
	found := 0
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, filepath.Dir(path))
		pkg := "./" + filepath.ToSlash(rel) + "/"
		for _, m := range benchFunc.FindAllStringSubmatch(string(src), -1) {
			found++
			if !anyMatches(patterns[pkg], m[1]) {
				t.Errorf("%s (%s) is not run by `make bench`: add it to a -bench pattern for %s in the Makefile's bench target", m[1], filepath.ToSlash(path), pkg)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if found == 0 {
		t.Fatal("no benchmark found: the walk is wrong")
	}
}

// benchTargetPatterns reads the recipe of the Makefile's bench target:
// the -bench patterns of each package it runs.
func benchTargetPatterns(t *testing.T, makefile string) map[string][]*regexp.Regexp {
	f, err := os.Open(makefile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string][]*regexp.Regexp{}
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "bench:"):
			in = true
			continue
		case in && !strings.HasPrefix(line, "\t"):
			in = false
		}
		if !in {
			continue
		}
		m := benchLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		pat := strings.Trim(m[1], "'")
		re, err := regexp.Compile(pat)
		if err != nil {
			t.Fatalf("Makefile bench target: -bench %q: %v", pat, err)
		}
		pkg := m[2]
		if !strings.HasSuffix(pkg, "/") {
			pkg += "/"
		}
		out[pkg] = append(out[pkg], re)
	}
	if len(out) == 0 {
		t.Fatal("Makefile: no go test line in the bench target")
	}
	return out
}

func anyMatches(res []*regexp.Regexp, name string) bool {
	for _, re := range res {
		if re.MatchString(name) {
			return true
		}
	}
	return false
}
