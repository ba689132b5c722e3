package root

import (
	"context"
	"strings"
	"testing"

	"github.com/carry-research/carry/internal/cmdutil"
)

func TestExecuteExitCodes(t *testing.T) {
	cases := []struct {
		args    []string
		code    int
		wantOut string
		wantErr string
	}{
		{[]string{"--version"}, 0, "carry version test", ""},
		{[]string{"nosuch"}, cmdutil.ExitUsage, "", "unknown command"},
		{[]string{"data", "status", "--bogus"}, cmdutil.ExitUsage, "", "unknown flag: --bogus"},
		{[]string{"--log-level", "loud", "data", "status"}, cmdutil.ExitUsage, "", "invalid --log-level"},
		{[]string{"completion", "bash"}, 0, "bash completion", ""},
	}
	for _, c := range cases {
		f := NewFactory("test")
		io, _, out, errOut := testStreams()
		f.IO = io
		code := Execute(context.Background(), f, c.args)
		if code != c.code {
			t.Errorf("%v: exit %d, want %d (stderr %q)", c.args, code, c.code, errOut)
		}
		if !strings.Contains(out.String(), c.wantOut) || !strings.Contains(errOut.String(), c.wantErr) {
			t.Errorf("%v: stdout %q stderr %q; want %q / %q", c.args, out, errOut, c.wantOut, c.wantErr)
		}
	}
}
