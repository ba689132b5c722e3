package backfill

import (
	"context"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/carry-research/carry/backfill/binance"
	"github.com/carry-research/carry/backfill/binancesim"
	"github.com/carry-research/carry/data/lake"
)

const (
	killURLEnv  = "CARRY_TEST_KILL_URL"
	killLakeEnv = "CARRY_TEST_KILL_LAKE"
	killNowEnv  = "CARRY_TEST_KILL_NOW"
)

// TestBackfillProcessHelper is not a test on its own: TestKilledBackfill
// runs the test binary again with the env set, and this function then runs
// a backfill against the parent's fake exchange until it is killed.
func TestBackfillProcessHelper(t *testing.T) {
	url := os.Getenv(killURLEnv)
	if url == "" {
		t.Skip("helper process for TestKilledBackfill")
	}
	lake, err := lake.Open(os.Getenv(killLakeEnv))
	if err != nil {
		os.Exit(3)
	}
	ms, _ := strconv.ParseInt(os.Getenv(killNowEnv), 10, 64)
	start, base := time.Now(), time.UnixMilli(ms).UTC()
	c, _ := binance.NewClient(url, &http.Client{Transport: binance.NewLimiter(nil, binance.DefaultLimits, nil)})
	b := New(c, lake, WithClock(func() time.Time { return base.Add(time.Since(start)) }))
	if _, err := b.Run(context.Background(), killConfig()); err != nil {
		os.Exit(4)
	}
	os.Exit(0)
}

func killConfig() Config { return config(40*24*time.Hour, "BTCUSDT", "ETHUSDT") }

// TestKilledBackfill kills a backfill process with SIGKILL after a varying
// number of requests, three times over, then lets a run finish: the lake
// must equal the one a run never interrupted writes.
func TestKilledBackfill(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	want := referenceLake(t, killConfig())
	e := newEnv(t, testMarket(), binancesim.Options{Latency: 15 * time.Millisecond})
	for _, killAfter := range []int{3, 7, 12} {
		e.srv.ResetLog()
		cmd := exec.Command(os.Args[0], "-test.run=^TestBackfillProcessHelper$")
		cmd.Env = append(os.Environ(), killURLEnv+"="+e.srv.URL, killLakeEnv+"="+e.lake.Root(), killNowEnv+"="+strconv.FormatInt(e.clock().UnixMilli(), 10))
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(20 * time.Second)
		for len(e.srv.Requests()) < killAfter && time.Now().Before(deadline) {
			time.Sleep(2 * time.Millisecond)
		}
		cmd.Process.Kill()
		err := cmd.Wait()
		if err == nil {
			t.Logf("kill after %d requests: the process had already finished", killAfter)
		}
		if _, err := e.lake.Status(); err != nil {
			t.Fatalf("lake unreadable after kill: %v", err)
		}
	}
	if _, err := e.run(context.Background(), killConfig()); err != nil {
		t.Fatal(err)
	}
	assertSameLake(t, snap(t, e.lake), want)
}
