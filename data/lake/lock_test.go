package lake

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/carry-research/carry/data"
)

const lockHolderEnv = "CARRY_TEST_LOCK_HOLDER_PARTITION"

// TestLockHolderHelper is not a test on its own: TestLockHeldByAnotherProcess
// runs the test binary again with lockHolderEnv set, and this function then
// takes that partition's lock, says "locked" on stdout and holds the lock
// until its stdin closes.
func TestLockHolderHelper(t *testing.T) {
	dir := os.Getenv(lockHolderEnv)
	if dir == "" {
		t.Skip("helper process for TestLockHeldByAnotherProcess")
	}
	l, err := Open(filepath.Dir(dir))
	if err != nil {
		os.Exit(3)
	}
	unlock, err := l.lockPartition(dir)
	if err != nil {
		os.Exit(4)
	}
	fmt.Println("locked")
	bufio.NewReader(os.Stdin).ReadString('\n')
	unlock()
	os.Exit(0)
}

// syncBuffer collects log output written from the writer's goroutine.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func fundingRows() []data.FundingRow {
	return []data.FundingRow{{FundingTime: hour(0), FundingRate: 0.0001, RateType: data.Regular}}
}

func TestLockHeldByAnotherProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns a process")
	}
	var logs syncBuffer
	l, err := Open(t.TempDir(), WithLockWait(200*time.Millisecond), WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	if err != nil {
		t.Fatal(err)
	}
	partition := filepath.Dir(l.FundingPath("BTCUSDT"))
	if err := os.MkdirAll(partition, 0o777); err != nil {
		t.Fatal(err)
	}
	holder := exec.Command(os.Args[0], "-test.run=^TestLockHolderHelper$")
	holder.Env = append(os.Environ(), lockHolderEnv+"="+partition)
	release, err := holder.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := holder.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := holder.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { holder.Process.Kill(); holder.Wait() })
	if line, err := bufio.NewReader(out).ReadString('\n'); err != nil || line != "locked\n" {
		t.Fatalf("holder said %q, %v", line, err)
	}

	start := time.Now()
	_, err = l.MergeFunding("BTCUSDT", fundingRows())
	waited := time.Since(start)
	var busy *LockTimeoutError
	if !errors.As(err, &busy) {
		t.Fatalf("merge into a partition another process holds: %v, want a *LockTimeoutError", err)
	}
	if waited < 200*time.Millisecond || waited > 5*time.Second {
		t.Errorf("gave up after %s, want the lock wait (200ms)", waited)
	}
	pid := holder.Process.Pid
	if busy.Partition != partition || busy.Holder == nil || busy.Holder.PID != pid ||
		!strings.Contains(busy.Holder.Command, "TestLockHolderHelper") || busy.Holder.Started.IsZero() {
		t.Errorf("error names %q held by %+v; want %s held by process %d", busy.Partition, busy.Holder, partition, pid)
	}
	for _, want := range []string{partition, fmt.Sprintf("process %d", pid), "TestLockHolderHelper", "gave up after waiting 200ms"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	for _, want := range []string{"level=WARN", "partition is locked by another writer; waiting", partition, fmt.Sprintf("process %d", pid), "give_up_after=200ms"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, logs.String())
		}
	}

	release.Close()
	if err := holder.Wait(); err != nil {
		t.Fatalf("holder: %v", err)
	}
	if _, err := l.MergeFunding("BTCUSDT", fundingRows()); err != nil {
		t.Fatalf("merge once the holder has gone: %v", err)
	}
	if b, _ := os.ReadFile(filepath.Join(partition, lockFileName)); len(b) != 0 {
		t.Errorf("lock file still names a holder after every writer let go: %s", b)
	}
}

// flock locks belong to an open file description, so a second open of the
// lock file in this process contends like another process would.
func TestWriterWaitsForALockReleasedInTime(t *testing.T) {
	var logs syncBuffer
	l, err := Open(t.TempDir(), WithLockWait(time.Minute), WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	if err != nil {
		t.Fatal(err)
	}
	partition := filepath.Dir(l.FundingPath("BTCUSDT"))
	if err := os.MkdirAll(partition, 0o777); err != nil {
		t.Fatal(err)
	}
	other, err := os.OpenFile(filepath.Join(partition, lockFileName), os.O_CREATE|os.O_RDWR, 0o666)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if err := syscall.Flock(int(other.Fd()), syscall.LOCK_EX); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := l.MergeFunding("BTCUSDT", fundingRows())
		done <- err
	}()
	time.Sleep(150 * time.Millisecond)
	select {
	case err := <-done:
		t.Fatalf("merge finished while the partition was locked: %v", err)
	default:
	}
	// A holder that wrote nothing (an older carry) is still reported.
	if !strings.Contains(logs.String(), "another process (its lock file does not say which)") {
		t.Errorf("no waiting line naming an unknown holder:\n%s", logs.String())
	}
	syscall.Flock(int(other.Fd()), syscall.LOCK_UN)
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("merge after the lock was released: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("merge still waiting 10s after the lock was released")
	}
	if !strings.Contains(logs.String(), "partition lock taken after waiting") {
		t.Errorf("no line saying the wait ended:\n%s", logs.String())
	}
}

func TestLockFileNamesItsHolder(t *testing.T) {
	l := newTestLake(t)
	unlock, err := l.lockPartition(l.root)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(l.root, lockFileName))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h, ok := readLockHolder(f)
	unlock()
	if !ok || h.PID != os.Getpid() || h.Command != strings.Join(os.Args, " ") || h.Locked.Before(h.Started) {
		t.Errorf("lock file names %+v, want this process", h)
	}
	if _, ok := readLockHolder(f); ok {
		t.Error("lock file still names this process after unlock")
	}
}
