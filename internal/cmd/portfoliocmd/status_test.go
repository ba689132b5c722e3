package portfoliocmd

import (
	"testing"

	"github.com/carry-research/carry/internal/iostreams"
)

// TestStatusLine: on a terminal each step rewrites the line ("\r", erase
// to the end, the step, "…") and clear erases it once; off a terminal
// nothing is written.
func TestStatusLine(t *testing.T) {
	for _, c := range []struct {
		tty  bool
		want string
	}{
		{true, "\r\033[Kloading 2 pairs…\r\033[Krunning the book over 2 pairs…\r\033[K"},
		{false, ""},
	} {
		io, _, _, errOut := iostreams.Test()
		io.SetStderrTTY(c.tty)
		l := newStatusLine(io)
		l.show("loading 2 pairs")
		l.show("running the book over 2 pairs")
		l.clear()
		l.clear()
		if got := errOut.String(); got != c.want {
			t.Errorf("tty %v: %q, want %q", c.tty, got, c.want)
		}
	}
}
