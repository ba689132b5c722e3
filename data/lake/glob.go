package lake

import (
	"path/filepath"
	"strings"
)

// globParallel is filepath.Glob(filepath.Join(head, tail...)), with the
// tail globbed under each match of head in parallel: listing a lake of
// thousands of partitions is thousands of directory reads and stats, which
// one goroutine spent a third of status's time waiting for.
func globParallel(head string, tail ...string) ([]string, error) {
	tops, err := filepath.Glob(head)
	if err != nil {
		return nil, err
	}
	under := make([][]string, len(tops))
	errs := make([]error, len(tops))
	inParallel(len(tops), func(i int) {
		under[i], errs[i] = filepath.Glob(filepath.Join(append([]string{escapeGlob(tops[i])}, tail...)...))
	})
	var out []string
	for i := range tops {
		if errs[i] != nil {
			return nil, errs[i]
		}
		out = append(out, under[i]...) // in head's order, each sorted: Glob's order
	}
	return out, nil
}

// escapeGlob quotes the characters filepath.Match reads as a pattern.
var escapeGlob = strings.NewReplacer(`\`, `\\`, `*`, `\*`, `?`, `\?`, `[`, `\[`).Replace
