package notebooks

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestNotebooksAreCommittedClean: outputs cleared (so diffs stay readable),
// the GoNB kernel, the lake taken from the environment, and the workspace
// setup cell first.
func TestNotebooksAreCommittedClean(t *testing.T) {
	paths, _ := filepath.Glob("*.ipynb")
	if len(paths) != 3 {
		t.Fatalf("notebooks %v, want explore, carry-backtest and sweep", paths)
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var nb struct {
			Cells []struct {
				CellType       string          `json:"cell_type"`
				ID             string          `json:"id"`
				Source         []string        `json:"source"`
				Outputs        json.RawMessage `json:"outputs"`
				ExecutionCount *int            `json:"execution_count"`
			}
			Metadata struct {
				Kernelspec struct{ Name string }
			}
		}
		if err := json.Unmarshal(b, &nb); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if nb.Metadata.Kernelspec.Name != "gonb" {
			t.Errorf("%s: kernel %q, want gonb", p, nb.Metadata.Kernelspec.Name)
		}
		all := ""
		for i, c := range nb.Cells {
			if c.ID == "" {
				t.Errorf("%s cell %d has no id", p, i)
			}
			if c.CellType == "code" && (c.ExecutionCount != nil || (len(c.Outputs) > 0 && string(c.Outputs) != "[]")) {
				t.Errorf("%s cell %d was committed with outputs: clear them", p, i)
			}
			all += strings.Join(c.Source, "")
		}
		for _, want := range []string{"go work use . ${CARRY_REPO}", "%noautoget", "CARRY_NOTEBOOK_DATA"} {
			if !strings.Contains(all, want) {
				t.Errorf("%s lacks %q", p, want)
			}
		}
	}
}
