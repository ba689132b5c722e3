package root

import (
	"context"
	"strings"
	"testing"

	"github.com/carry-research/carry/internal/cmdutil"
)

// TestUsageErrorsSuggest: an unknown flag names the closest flags of the
// command, an unknown subcommand of a group is a usage error with the
// closest subcommand, and a bad positional argument is a usage error.
func TestUsageErrorsSuggest(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"backfill", "--symbol", "BTCUSDT"}, "unknown flag: --symbol (did you mean --symbols?)"},
		{[]string{"backtest", "--symbols", "BTCUSDT"}, "unknown flag: --symbols (did you mean --symbol?)"},
		{[]string{"backfill", "--concurency", "2"}, "(did you mean --concurrency?)"},
		{[]string{"data", "status", "--jsn"}, "(did you mean --json?)"},
		{[]string{"sweep", "merge", "--mertic", "apr"}, "(did you mean --metric?)"},
		{[]string{"data", "status", "--log-lvl", "debug"}, "(did you mean --log-level?)"},
		{[]string{"backfill", "--zzzzzz"}, "unknown flag: --zzzzzz\n"},
		{[]string{"data", "stats"}, `unknown command "stats" for "carry data" (did you mean status?)`},
		{[]string{"completion", "tcsh"}, `unknown command "tcsh" for "carry completion"`},
		{[]string{"funding", "BTCUSDT", "ETHUSDT"}, "accepts at most 1 arg(s)"},
	}
	for _, c := range cases {
		f := NewFactory("test")
		io, _, _, errOut := testStreams()
		f.IO = io
		if code := Execute(context.Background(), f, c.args); code != cmdutil.ExitUsage || !strings.Contains(errOut.String(), c.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 with %q", c.args, code, errOut, c.want)
		}
	}
	f := NewFactory("test")
	io, _, out, _ := testStreams()
	f.IO = io
	if code := Execute(context.Background(), f, []string{"data"}); code != 0 || !strings.Contains(out.String(), "Available Commands") {
		t.Errorf("carry data alone: exit %d, %q", code, out)
	}
}

func TestEditDistance(t *testing.T) {
	for _, c := range []struct {
		a, b string
		d    int
	}{{"", "", 0}, {"symbol", "symbols", 1}, {"concurency", "concurrency", 1}, {"kitten", "sitting", 3}, {"abc", "", 3}} {
		if got := editDistance(c.a, c.b); got != c.d {
			t.Errorf("editDistance(%q, %q) = %d, want %d", c.a, c.b, got, c.d)
		}
	}
}
