package lake

import (
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/internal/atomicfile"
)

// withUmask runs the rest of the test under umask mask. The umask belongs to
// the process, so callers must not run in parallel.
func withUmask(t *testing.T, mask int) {
	old := syscall.Umask(mask)
	t.Cleanup(func() { syscall.Umask(old) })
}

func mode(t *testing.T, path string) os.FileMode {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return st.Mode().Perm()
}

// Files carry writes get 0666 and directories 0777, less the umask, like
// any other program's: not the 0600 of os.CreateTemp.
func TestWrittenFilesFollowTheUmask(t *testing.T) {
	for _, c := range []struct {
		umask     int
		file, dir os.FileMode
	}{
		{0o022, 0o644, 0o755},
		{0o077, 0o600, 0o700},
		{0o002, 0o664, 0o775},
	} {
		t.Run(c.file.String(), func(t *testing.T) {
			withUmask(t, c.umask)
			l := newTestLake(t)
			if _, err := l.MergeFunding("BTCUSDT", fundingRows()); err != nil {
				t.Fatal(err)
			}
			partition := filepath.Dir(l.FundingPath("BTCUSDT"))
			for path, want := range map[string]os.FileMode{
				l.FundingPath("BTCUSDT"):               c.file,
				filepath.Join(partition, lockFileName): c.file,
				partition:                              c.dir,
				filepath.Join(l.root, DatasetFunding):  c.dir,
			} {
				if got := mode(t, path); got != want {
					t.Errorf("umask %03o: %s has mode %v, want %v", c.umask, path, got, want)
				}
			}

			report := filepath.Join(t.TempDir(), "new", "report.html")
			if err := atomicfile.Write(report, func(w io.Writer) error { _, err := io.WriteString(w, "<html>"); return err }); err != nil {
				t.Fatal(err)
			}
			if got := mode(t, report); got != c.file {
				t.Errorf("umask %03o: WriteFileAtomic made %v, want %v", c.umask, got, c.file)
			}
			if got := mode(t, filepath.Dir(report)); got != c.dir {
				t.Errorf("umask %03o: WriteFileAtomic's directory is %v, want %v", c.umask, got, c.dir)
			}
		})
	}
}

// A file an older carry wrote 0600 gets the umask's mode when it is next
// rewritten.
func TestRewriteReplacesAnOldPrivateMode(t *testing.T) {
	withUmask(t, 0o022)
	l := newTestLake(t)
	if _, err := l.MergeFunding("BTCUSDT", fundingRows()); err != nil {
		t.Fatal(err)
	}
	path := l.FundingPath("BTCUSDT")
	if err := os.Chmod(path, 0o600); err != nil {
		t.Fatal(err)
	}
	more := append(fundingRows(), data.FundingRow{FundingTime: hour(8), FundingRate: 0.0002, RateType: data.Regular})
	if _, err := l.MergeFunding("BTCUSDT", more); err != nil {
		t.Fatal(err)
	}
	if got := mode(t, path); got != 0o644 {
		t.Errorf("rewritten file has mode %v, want -rw-r--r--", got)
	}
}
