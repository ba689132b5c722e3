package backtestcmd

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"github.com/carry-research/carry/internal/atomicfile"
	"github.com/carry-research/carry/internal/cmdutil"
	"github.com/carry-research/carry/strategy/backtest"
)

// runManifest is written into --out after a backtest: which run the
// directory holds and which files it wrote, so that a later run into the
// same directory is refused (it would leave stale files beside its own)
// unless it is the same run, or --force replaces exactly those files.
const runManifest = ".carry-backtest.json"

type manifest struct {
	Run   string   `json:"run"`   // SHA-256 of the run's inputs
	Files []string `json:"files"` // relative paths written
}

// runID identifies a backtest by its inputs: the same flags give the same id.
// The price sources at their defaults are left out (Spec's omitempty), so
// a run's id is what it was before --prices and --spot existed.
func (o *Options) runID() string {
	specs := make([]backtest.Spec, len(o.Specs))
	for i, s := range o.Specs {
		if s.Prices == backtest.PricesAuto {
			s.Prices = ""
		}
		if s.Spot == backtest.SpotIndex {
			s.Spot = ""
		}
		specs[i] = s
	}
	b, _ := json.Marshal(struct {
		Specs    any
		Params   any
		RiskFree float64
		Label    string
		Chart    any
	}{specs, o.Params, o.RiskFree, o.Label, o.Chart})
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// prepareOut checks --out before any work: absent or empty, or holding this
// same run, is fine; holding an earlier carry backtest is replaced with
// --force (its files removed, nothing else); anything else is refused.
func (o *Options) prepareOut() error {
	entries, err := os.ReadDir(o.Out)
	if errors.Is(err, fs.ErrNotExist) || err == nil && len(entries) == 0 {
		return nil
	}
	if err != nil {
		return fmt.Errorf("reading --out %s: %w", o.Out, err)
	}
	m, err := readManifest(o.Out)
	if err != nil {
		why := "holds no carry backtest"
		if !errors.Is(err, fs.ErrNotExist) {
			why = fmt.Sprintf("has an unusable %s (%v)", runManifest, err)
		}
		return cmdutil.FlagErrorf("--out %s is not empty and %s: choose an empty or new directory (--force replaces only an earlier carry backtest)", o.Out, why)
	}
	// Files beside the run that it did not write are the user's: never
	// listed as the run's, so never removed by a later --force.
	present, err := listFiles(o.Out)
	if err != nil {
		return err
	}
	o.foreign = map[string]bool{}
	for _, f := range present {
		if !slices.Contains(m.Files, f) {
			o.foreign[f] = true
		}
	}
	switch {
	case m.Run == o.runID():
		return nil // the same run again: its files are rewritten in place
	case !o.Force:
		return cmdutil.FlagErrorf("--out %s holds an earlier, different backtest (its files would stay beside this run's): choose another --out, or --force to replace it", o.Out)
	}
	for _, f := range m.Files {
		if err := os.Remove(filepath.Join(o.Out, f)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("removing the earlier backtest's %s: %w", f, err)
		}
	}
	removeEmptyDirs(o.Out)
	return nil
}

func readManifest(dir string) (manifest, error) {
	var m manifest
	b, err := os.ReadFile(filepath.Join(dir, runManifest))
	if err != nil {
		return m, err
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return m, fmt.Errorf("reading %s: %w", runManifest, err)
	}
	for _, f := range m.Files {
		if !filepath.IsLocal(f) {
			return m, fmt.Errorf("%s names %q outside the directory", runManifest, f)
		}
	}
	return m, nil
}

// listFiles lists the files under dir (relative paths, sorted), the
// manifest aside.
func listFiles(dir string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err == nil && rel != runManifest {
			files = append(files, rel)
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("listing the files in %s: %w", dir, err)
	}
	slices.Sort(files)
	return files, nil
}

// writeManifest records the files under --out the run wrote: all of them
// but those that were there before and were not an earlier run's.
func (o *Options) writeManifest() error {
	all, err := listFiles(o.Out)
	if err != nil {
		return err
	}
	files := slices.DeleteFunc(all, func(f string) bool { return o.foreign[f] })
	b, err := json.MarshalIndent(manifest{Run: o.runID(), Files: files}, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(filepath.Join(o.Out, runManifest), func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	})
}

// removeEmptyDirs removes directories under root left empty, deepest first.
func removeEmptyDirs(root string) {
	var dirs []string
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() && p != root {
			dirs = append(dirs, p)
		}
		return nil
	})
	for i := len(dirs) - 1; i >= 0; i-- {
		os.Remove(dirs[i]) // fails, harmlessly, when not empty
	}
}
