package main

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/carry-research/carry/backfill/binancesim"
	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/data/lake"
)

// screen collects what a program writes to its terminal.
type screen struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	copied chan struct{} // closed when the terminal has nothing more to give
}

func (s *screen) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Write(p)
}

func (s *screen) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

// onTerminal starts the carry binary with args on a pseudo-terminal (its
// stdin, stdout and stderr, and its controlling terminal, as in a shell).
func onTerminal(t *testing.T, args ...string) (*exec.Cmd, *os.File, *screen) {
	t.Helper()
	cmd := exec.Command(carryBinary(t), args...)
	cmd.Env = append(os.Environ(), "TERM=xterm-256color")
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 40, Cols: 140})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tty.Close() })
	scr := &screen{copied: make(chan struct{})}
	go func() { // drained, or the program blocks writing
		io.Copy(scr, tty)
		close(scr.copied)
	}()
	return cmd, tty, scr
}

// exitWithin waits for cmd and returns its exit code, failing the test if
// it does not end in time (the hang this test exists for).
func exitWithin(t *testing.T, cmd *exec.Cmd, d time.Duration, scr *screen) int {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		// The program's last words may still be on their way through the
		// terminal: wait until it has nothing more (EOF once it exited).
		select {
		case <-scr.copied:
		case <-time.After(5 * time.Second):
		}
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return exit.ExitCode()
		}
		if err != nil {
			t.Fatal(err)
		}
		return 0
	case <-time.After(d):
		cmd.Process.Kill()
		t.Fatalf("carry did not end within %s on a terminal; screen:\n%s", d, scr)
		return -1
	}
}

// ttyMarket is 40 days of one pair, served with some latency so a run takes
// long enough to interrupt.
func ttyMarket() *binancesim.Market {
	now := time.Now()
	m := binancesim.NewMarket()
	m.AddContract(binancesim.Contract{Symbol: "BTCUSDT", OnboardDate: now.Add(-41 * 24 * time.Hour).UnixMilli()})
	from := now.Add(-40 * 24 * time.Hour)
	m.GenerateBasis(binancesim.BasisKey{Pair: "BTCUSDT", ContractType: "PERPETUAL", Period: "5m"}, 5*time.Minute, from, now, 60000, 1, time.Time{})
	m.GenerateBasis(binancesim.BasisKey{Pair: "BTCUSDT", ContractType: "PERPETUAL", Period: "1h"}, time.Hour, from, now, 60000, 2, time.Time{})
	m.GenerateFunding("BTCUSDT", 8, from, now, from, 3)
	return m
}

// TestBackfillOnATerminalEnds: on a terminal, with bars planned for far
// more requests than the work needs (--since max), the backfill ends with
// exit 0 when the work ends, and a log line is written whole above the bars,
// not through them.
func TestBackfillOnATerminalEnds(t *testing.T) {
	srv := binancesim.NewServer(ttyMarket(), binancesim.Options{
		Faults: binancesim.Once(binancesim.Fault{Kind: binancesim.DuplicateRows}, "/futures/data/basis", 3),
	})
	defer srv.Close()
	lakeDir := t.TempDir()
	cmd, _, scr := onTerminal(t, "backfill", "--symbols", "BTCUSDT", "--contract-types", "PERPETUAL", "--base-url", srv.URL, "--data", lakeDir)
	if code := exitWithin(t, cmd, 2*time.Minute, scr); code != 0 {
		t.Fatalf("exit %d, want 0; screen:\n%s", code, scr)
	}
	out := scr.String()
	if !strings.Contains(out, "TOTAL (2 series)") {
		t.Errorf("no summary on the screen:\n%s", out)
	}
	found := false
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, `msg="repaired a page"`) {
			found = true
			if strings.Contains(line, "requests [") {
				t.Errorf("a log line was written through a bar: %q", line)
			}
		}
	}
	if !found {
		t.Errorf("the repair's log line is not on the screen:\n%s", out)
	}
	lake, err := lake.Open(lakeDir)
	if err != nil {
		t.Fatal(err)
	}
	if s, err := lake.ReadBasis(data.BasisKey{Pair: "BTCUSDT", ContractType: data.Perpetual, Period: "1h"}); err != nil || len(s.Rows) < 700 {
		t.Errorf("lake holds %d rows (%v), want the 30 days served", len(s.Rows), err)
	}
}

// TestBackfillOnATerminalStopsOnCtrlC: Ctrl-C typed on the terminal in the
// middle of a run ends it with exit 130, keeps what was committed (the lake
// reads), and says so.
func TestBackfillOnATerminalStopsOnCtrlC(t *testing.T) {
	srv := binancesim.NewServer(ttyMarket(), binancesim.Options{Latency: 40 * time.Millisecond})
	defer srv.Close()
	lakeDir := t.TempDir()
	cmd, tty, scr := onTerminal(t, "backfill", "--symbols", "BTCUSDT", "--periods", "5m,1h", "--contract-types", "PERPETUAL",
		"--concurrency", "1", "--base-url", srv.URL, "--data", lakeDir)
	deadline := time.Now().Add(time.Minute)
	for srv.CountRequests("/futures/data/basis") < 8 {
		if time.Now().After(deadline) {
			t.Fatalf("the run never got going; screen:\n%s", scr)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if _, err := tty.Write([]byte{3}); err != nil { // Ctrl-C: the terminal sends SIGINT
		t.Fatal(err)
	}
	if code := exitWithin(t, cmd, 30*time.Second, scr); code != 130 {
		t.Fatalf("exit %d after Ctrl-C, want 130; screen:\n%s", code, scr)
	}
	out := scr.String()
	if !strings.Contains(out, "interrupted") {
		t.Errorf("the screen does not say the run was interrupted:\n%s", out)
	}
	if strings.Contains(out, "failed") {
		t.Errorf("an interrupted series is shown as failed:\n%s", out)
	}
	lake, err := lake.Open(lakeDir)
	if err != nil {
		t.Fatal(err)
	}
	status, err := lake.Status()
	if err != nil {
		t.Fatalf("the lake does not read after the interrupt: %v", err)
	}
	rows := 0
	for _, s := range status {
		rows += s.Rows
	}
	if rows == 0 {
		t.Error("nothing was kept of what was fetched before Ctrl-C")
	}
	if all := srv.CountRequests(""); all > 200 {
		t.Errorf("%d requests: the run went on after Ctrl-C", all)
	}
}

var (
	buildOnce sync.Once
	binary    string
	buildErr  error
)

// carryBinary builds the carry command once per test run, without the race
// detector (the terminal is what is tested here).
func carryBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the carry binary")
	}
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "carry-bin-")
		if err != nil {
			buildErr = err
			return
		}
		binary = filepath.Join(dir, "carry")
		out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput()
		if err != nil {
			buildErr = errors.New(string(out))
		}
	})
	if buildErr != nil {
		t.Fatalf("building carry: %v", buildErr)
	}
	return binary
}
