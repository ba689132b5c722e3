package report

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/strategy"
	"github.com/carry-research/carry/strategy/backtest"
)

// Everything a backtest writes — the lake it reads, report.html, the PNG
// charts, the CSVs — gets 0666 (directories 0777) less the umask, as any
// program's files do. The umask belongs to the process: not parallel.
func TestReportFilesFollowTheUmask(t *testing.T) {
	for _, c := range []struct {
		umask     int
		file, dir fs.FileMode
	}{
		{0o022, 0o644, 0o755},
		{0o077, 0o600, 0o700},
	} {
		t.Run(c.file.String(), func(t *testing.T) {
			old := syscall.Umask(c.umask)
			defer syscall.Umask(old)
			l := lakeWith(t, "BTCUSDT", "ETHUSDT")
			var sections []Section
			for _, sym := range []string{"BTCUSDT", "ETHUSDT"} {
				res, err := backtest.Simulate(l, backtest.Spec{Symbol: sym, Period: "1h", Contract: data.Perpetual}, strategy.DefaultParams(), 0)
				if err != nil {
					t.Fatal(err)
				}
				sections = append(sections, Section{Named: backtest.Named{Outcome: res}})
			}
			out := filepath.Join(t.TempDir(), "runs", "cmp")
			if err := backtest.WriteRuns(out, namedOf(sections)); err != nil {
				t.Fatal(err)
			}
			if err := WriteBacktest(out, "carry backtest", "", sections, ChartOptions{Width: 400, Height: 300}, t0); err != nil {
				t.Fatal(err)
			}
			kinds := map[string]int{}
			for _, root := range []string{l.Root(), out} {
				filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
					if err != nil {
						t.Fatal(err)
					}
					info, err := d.Info()
					if err != nil {
						t.Fatal(err)
					}
					want := c.file
					if d.IsDir() {
						want = c.dir
					}
					if path != root && info.Mode().Perm() != want {
						t.Errorf("umask %03o: %s has mode %v, want %v", c.umask, path, info.Mode().Perm(), want)
					}
					kinds[filepath.Ext(path)]++
					return nil
				})
			}
			if got := mode(t, out); got != c.dir {
				t.Errorf("umask %03o: output directory %s has mode %v, want %v", c.umask, out, got, c.dir)
			}
			for _, ext := range []string{".parquet", ".html", ".png", ".csv"} {
				if kinds[ext] == 0 {
					t.Errorf("no %s file written: %v", strings.TrimPrefix(ext, "."), kinds)
				}
			}
		})
	}
}

func mode(t *testing.T, path string) fs.FileMode {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return st.Mode().Perm()
}
