package iostreams

import (
	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
)

// Counter is one bar counting items of a known total on ErrOut, with their
// rate and the time left: a sweep's combinations.
type Counter struct {
	s          *IOStreams
	name, unit string
	p          *mpb.Progress
	b          *mpb.Bar
}

// NewCounter returns a counter named name ("sweep") whose rate reads
// "<n> <unit>/s"; ok is false when ErrOut is not a terminal. It draws
// nothing until Start.
func (s *IOStreams) NewCounter(name, unit string) (c *Counter, ok bool) {
	if !s.errTTY {
		return nil, false
	}
	return &Counter{s: s, name: name, unit: unit}, true
}

// Start draws the bar at done of total.
func (c *Counter) Start(total, done int) {
	c.p = mpb.New(mpb.WithOutput(c.s.ErrOut))
	c.b = c.p.AddBar(int64(total),
		mpb.PrependDecorators(decor.Name(c.name+" "), decor.CountersNoUnit("%d/%d", decor.WCSyncSpace)),
		mpb.AppendDecorators(decor.AverageSpeed(0, "%.0f "+c.unit+"/s", decor.WCSyncSpace), decor.Name(" ETA "), decor.AverageETA(decor.ET_STYLE_GO)),
	)
	c.b.SetCurrent(int64(done))
}

// Done counts one item.
func (c *Counter) Done() { c.b.EwmaIncrement(0) }

// Finish ends the bar where it stands and waits for its last frame.
func (c *Counter) Finish() {
	c.b.Abort(false)
	c.p.Wait()
}
