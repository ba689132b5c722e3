package sweepcmd

import (
	"context"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/carry-research/carry/internal/cmdutil"
	"github.com/carry-research/carry/internal/iostreams"
)

// countdownContext is cancelled once its Err has been asked n times, as
// SIGINT/SIGTERM cancel carry's context: the interrupt lands after a known
// amount of work, with no clock involved.
type countdownContext struct {
	context.Context
	left atomic.Int64
}

func (c *countdownContext) Err() error {
	if c.left.Add(-1) < 0 {
		return context.Canceled
	}
	return nil
}

// TestInterruptWhileExpandingExits130: an interrupt while a grid near the
// cap (4,900,000 combinations) is being counted ends the sweep with the
// interrupt's exit code, having written nothing: running it again starts
// it afresh.
func TestInterruptWhileExpandingExits130(t *testing.T) {
	dir := t.TempDir()
	grid := filepath.Join(dir, "grid.yaml")
	os.WriteFile(grid, []byte("symbols: [BTCUSDT, ETHUSDT]\nleverage: {from: 1, to: 7, step: 1}\n"+
		"funding_enter: [0.02, 0.04, 0.06, 0.08, 0.10, 0.12, 0.14, 0.16, 0.18, 0.20]\n"+
		"funding_exit: {from: -0.02, to: 0.10, step: 0.02}\nslippage: {from: 0.00001, to: 0.05, step: 0.00001}\n"), 0o644)
	out := filepath.Join(dir, "out")
	io, _, stdout, _ := iostreams.Test()
	f := &cmdutil.Factory{IO: io, Now: time.Now, Getenv: func(string) string { return "" }}
	cmd := NewCmdSweep(f, nil)
	cmd.SetArgs([]string{"--grid", grid, "--out", out, "--data", filepath.Join(dir, "lake"), "--no-progress"})
	cmd.SetOut(io.Out)
	cmd.SetErr(io.ErrOut)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true // as under carry's root command
	ctx := &countdownContext{Context: context.Background()}
	ctx.left.Store(10)
	err := cmd.ExecuteContext(ctx)
	if code := cmdutil.ExitCode(err); code != cmdutil.ExitInterrupted {
		t.Fatalf("exit code %d (%v), want %d", code, err, cmdutil.ExitInterrupted)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("an interrupted expansion left %s behind", out)
	}
	if stdout.Len() != 0 {
		t.Errorf("printed %q before the sweep started", stdout.String())
	}
}
