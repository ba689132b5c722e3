//go:build !race

// The whole pipeline is too slow under the race detector on two cores:
// `make test-pipeline` runs it without.

package democmd

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/carry-research/carry/internal/iostreams"
)

// TestReportRendersInChromium takes a screenshot of the demo's report in
// headless Chromium, where it is installed (CI and developers may have it;
// the check is skipped otherwise).
func TestReportRendersInChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the demo")
	}
	browser := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			browser = p
			break
		}
	}
	if browser == "" {
		t.Skip("no Chromium on this machine (apt-get install chromium)")
	}
	io, _, _, _ := iostreams.Test()
	dir := t.TempDir()
	if err := demoRun(context.Background(), &Options{IO: io, Out: dir, Seed: 7, Days: 30, Years: 2, End: time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC), Now: time.Now}); err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(dir, "report.png")
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--user-data-dir="+t.TempDir(),
		"--window-size=1400,2400", "--screenshot="+shot, "file://"+filepath.Join(dir, "report.html"))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, out)
	}
	b, err := os.ReadFile(shot)
	if err != nil || len(b) < 50_000 || string(b[1:4]) != "PNG" {
		t.Fatalf("screenshot %d bytes, %v: the report did not render", len(b), err)
	}
}
