package sweepcmd

import (
	"io"
	"runtime"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
)

func defaultWorkers() int { return runtime.GOMAXPROCS(0) }

// bar is a terminal progress bar with combinations per second and ETA.
type bar struct {
	out io.Writer
	p   *mpb.Progress
	b   *mpb.Bar
}

func newBar(w io.Writer) *bar { return &bar{out: w} }

func (b *bar) Start(total, done int) {
	b.p = mpb.New(mpb.WithOutput(b.out))
	b.b = b.p.AddBar(int64(total),
		mpb.PrependDecorators(decor.Name("sweep "), decor.CountersNoUnit("%d/%d", decor.WCSyncSpace)),
		mpb.AppendDecorators(decor.AverageSpeed(0, "%.0f comb/s", decor.WCSyncSpace), decor.Name(" ETA "), decor.AverageETA(decor.ET_STYLE_GO)),
	)
	b.b.SetCurrent(int64(done))
}

func (b *bar) Done() { b.b.EwmaIncrement(0) }

func (b *bar) Finish() {
	b.b.Abort(false)
	b.p.Wait()
}
