package iostreams

import (
	"context"
	"strings"
	"testing"
)

// TestBarsNameWhatTheyCount: a series' bar counts requests unless told
// another unit (a kline series counts pages and archive files).
func TestBarsNameWhatTheyCount(t *testing.T) {
	s, _, _, errOut := Test()
	s.SetStderrTTY(true)
	b, ok := s.StartBars(context.Background())
	if !ok {
		t.Fatal("no bars on a terminal")
	}
	basis := b.Series("basis BTCUSDT PERPETUAL 1h", 2)
	klines := b.SeriesOf("klines futures BTCUSDT 1h", 3, "pages+files")
	for range 2 {
		basis.Request(0)
		klines.Request(0)
	}
	basis.Done(nil)
	klines.Done(nil)
	b.Wait()
	out := errOut.String()
	if !strings.Contains(out, "2/2 requests") || !strings.Contains(out, "2/2 pages+files") {
		t.Errorf("bars:\n%s", out)
	}
}

// TestBarsAfterTheRunEnded: after Ctrl-C the container stops with the
// run's context, and series that start afterwards (waiting for a worker
// until then) still ask for a bar: they get one that draws nothing,
// instead of mpb's panic on a container that was shut down.
func TestBarsAfterTheRunEnded(t *testing.T) {
	s, _, _, _ := Test()
	s.SetStderrTTY(true)
	ctx, cancel := context.WithCancel(context.Background())
	b, ok := s.StartBars(ctx)
	if !ok {
		t.Fatal("no bars on a terminal")
	}
	first := b.Series("basis BTCUSDT PERPETUAL 1h", 2)
	first.Request(0)
	cancel()
	b.p.Wait() // the container has shut down, as after the interrupt
	late := b.SeriesOf("klines futures SOLUSDT 1h", 3, "pages+files")
	late.Request(0)
	late.Done(context.Canceled)
	first.Done(context.Canceled)
	b.Wait()
}
