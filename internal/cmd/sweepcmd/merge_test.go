package sweepcmd

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/carry-research/carry/internal/cmdutil"
	"github.com/carry-research/carry/internal/iostreams"
)

// TestMergeFlags checks `carry sweep merge`'s flags alone: what reaches
// mergeRun, with a runF standing in for it.
func TestMergeFlags(t *testing.T) {
	cases := []struct {
		name    string
		args    []string
		env     map[string]string
		check   func(*MergeOptions) bool
		wantErr string
	}{
		{"defaults", []string{"a", "b", "--out", "m"}, nil, func(o *MergeOptions) bool {
			return strings.Join(o.Dirs, ",") == "a,b" && o.Out == "m" && !o.DataGiven && o.Analysis.Metric == "sharpe_daily" && o.Analysis.Top == 20
		}, ""},
		{"--data names the lake", []string{"a", "--out", "m", "--data", "/l"}, nil, func(o *MergeOptions) bool { return o.DataGiven && o.DataDir == "/l" }, ""},
		{"$CARRY_DATA names the lake", []string{"a", "--out", "m"}, map[string]string{cmdutil.DataDirEnv: "/e"}, func(o *MergeOptions) bool { return o.DataGiven && o.DataDir == "/e" }, ""},
		{"metric and top", []string{"a", "--out", "m", "--metric", "apr", "--top", "5"}, nil, func(o *MergeOptions) bool { return o.Analysis.Metric == "apr" && o.Analysis.Top == 5 }, ""},
		{"no --out", []string{"a"}, nil, nil, "--out is required"},
		{"no shard", []string{"--out", "m"}, nil, nil, "requires at least 1 arg"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			io, _, _, _ := iostreams.Test()
			f := &cmdutil.Factory{IO: io, Now: time.Now, Getenv: func(k string) string { return c.env[k] }}
			var got *MergeOptions
			cmd := newCmdMerge(f, func(_ context.Context, o *MergeOptions) error { got = o; return nil })
			cmd.SetArgs(c.args)
			cmd.SetOut(io.Out)
			cmd.SetErr(io.ErrOut)
			err := cmd.Execute()
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("err = %v, want one with %q", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !c.check(got) {
				t.Errorf("options %+v", got)
			}
		})
	}
}
