package backfillcmd

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/carry-research/carry/backfill"
	"github.com/carry-research/carry/backfill/binance"
	"github.com/carry-research/carry/backfill/binancesim"
	"github.com/carry-research/carry/data/lake"
	"github.com/carry-research/carry/internal/cmdutil"
)

// A partition another process keeps locked fails its series with an error
// naming the partition, and the run exits 1 (not 3, a partial failure): the
// real backfiller and the command's own classification, with a lock wait
// short enough for a test.
func TestLockedPartitionExitsOne(t *testing.T) {
	end := time.Now().Truncate(time.Hour)
	m := binancesim.NewMarket()
	m.AddContract(binancesim.Contract{Symbol: "BTCUSDT"})
	m.GenerateFunding("BTCUSDT", 8, end.Add(-5*24*time.Hour), end, end, 1)
	srv := binancesim.NewServer(m, binancesim.Options{})
	t.Cleanup(srv.Close)
	client, err := binance.NewClient(srv.URL, &http.Client{Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	l, err := lake.Open(t.TempDir(), lake.WithLockWait(50*time.Millisecond), lake.WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		t.Fatal(err)
	}
	partition := filepath.Dir(l.FundingPath("BTCUSDT"))
	if err := os.MkdirAll(partition, 0o777); err != nil {
		t.Fatal(err)
	}
	// flock locks belong to an open file description: this one stands in
	// for another process.
	holder, err := os.OpenFile(filepath.Join(partition, ".lock"), os.O_CREATE|os.O_RDWR, 0o666)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	if err := syscall.Flock(int(holder.Fd()), syscall.LOCK_EX); err != nil {
		t.Fatal(err)
	}

	bf := backfill.New(client, l, backfill.WithRetryPolicy(backfill.RetryPolicy{MaxAttempts: 1}))
	results, runErr := bf.Run(context.Background(), backfill.Config{Symbols: []string{"BTCUSDT"}, Funding: true,
		Since: end.Add(-5 * 24 * time.Hour), Until: end, Concurrency: 1})
	err = classify(results, runErr)
	var busy *lake.LockTimeoutError
	if !errors.As(err, &busy) || !strings.Contains(err.Error(), partition) {
		t.Fatalf("run with a locked partition: %v; want a lock timeout naming %s", err, partition)
	}
	if code := cmdutil.ExitCode(err); code != cmdutil.ExitError {
		t.Errorf("exit %d, want %d", code, cmdutil.ExitError)
	}
}
