package portfoliocmd

import (
	"fmt"
	"io"

	"github.com/carry-research/carry/internal/iostreams"
)

// statusLine is one line on a terminal's stderr saying what the command
// is doing ("loading 7 pairs…"), rewritten in place at each step and
// erased before anything else is printed; nothing when stderr is not a
// terminal (a pipe or a log gets only the results and the warnings).
type statusLine struct {
	w     io.Writer // nil: not a terminal
	shown bool
}

func newStatusLine(s *iostreams.IOStreams) *statusLine {
	if !s.IsStderrTTY() {
		return &statusLine{}
	}
	return &statusLine{w: s.ErrOut}
}

// show replaces the line with step.
func (l *statusLine) show(step string) {
	if l.w == nil {
		return
	}
	fmt.Fprintf(l.w, "\r\033[K%s…", step)
	l.shown = true
}

// clear erases the line, if one is shown.
func (l *statusLine) clear() {
	if l.w == nil || !l.shown {
		return
	}
	fmt.Fprint(l.w, "\r\033[K")
	l.shown = false
}
