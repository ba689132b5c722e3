package sweepcmd

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/carry-research/carry/internal/cmdutil"
	"github.com/carry-research/carry/internal/iostreams"
)

func TestSweepFlags(t *testing.T) {
	cases := []struct {
		name    string
		args    []string
		env     map[string]string
		check   func(*Options) bool
		wantErr string
	}{
		{"defaults", []string{"--grid", "g.yaml", "--out", "o"}, nil, func(o *Options) bool {
			return o.Shard == 0 && o.Shards == 1 && o.Split == nil && o.Analysis.Metric == "sharpe_daily" && o.Analysis.Aggregate == "best"
		}, ""},
		{"shard flag", []string{"--grid", "g", "--out", "o", "--shard", "2/8"}, nil, func(o *Options) bool { return o.Shard == 2 && o.Shards == 8 }, ""},
		{"kubernetes index", []string{"--grid", "g", "--out", "o", "--shards", "4"}, map[string]string{"JOB_COMPLETION_INDEX": "3"}, func(o *Options) bool { return o.Shard == 3 && o.Shards == 4 }, ""},
		{"slurm index", []string{"--grid", "g", "--out", "o", "--shards", "4"}, map[string]string{"SLURM_ARRAY_TASK_ID": "1"}, func(o *Options) bool { return o.Shard == 1 }, ""},
		{"split fraction", []string{"--grid", "g", "--out", "o", "--split", "0.7"}, nil, func(o *Options) bool { return o.Split.Fraction == 0.7 }, ""},
		{"split date", []string{"--grid", "g", "--out", "o", "--split", "2026-08-01"}, nil, func(o *Options) bool {
			return o.Split.At.Equal(time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC))
		}, ""},
		{"heatmap axes", []string{"--grid", "g", "--out", "o", "--heatmap", "funding_enter, leverage", "--aggregate", "median"}, nil, func(o *Options) bool {
			return o.Analysis.HeatX == "funding_enter" && o.Analysis.HeatY == "leverage" && o.Analysis.Aggregate == "median"
		}, ""},
		{"walk-forward", []string{"--grid", "g", "--out", "o", "--walk-forward", "4"}, nil, func(o *Options) bool {
			return o.Analysis.WalkForward != nil && o.Analysis.WalkForward.Folds == 4 && !o.Analysis.WalkForward.Rolling
		}, ""},
		{"walk-forward rolling", []string{"--grid", "g", "--out", "o", "--walk-forward", "3", "--walk-forward-mode", "rolling"}, nil, func(o *Options) bool {
			return o.Analysis.WalkForward.Folds == 3 && o.Analysis.WalkForward.Rolling
		}, ""},
		{"walk-forward with split", []string{"--grid", "g", "--out", "o", "--walk-forward", "3", "--split", "0.7"}, nil, nil, "--walk-forward and --split"},
		{"walk-forward zero", []string{"--grid", "g", "--out", "o", "--walk-forward", "0"}, nil, nil, "--walk-forward 0"},
		{"walk-forward bad mode", []string{"--grid", "g", "--out", "o", "--walk-forward", "2", "--walk-forward-mode", "sliding"}, nil, nil, "--walk-forward-mode"},
		{"walk-forward mode alone", []string{"--grid", "g", "--out", "o", "--walk-forward-mode", "rolling"}, nil, nil, "needs --walk-forward"},
		{"no grid", []string{"--out", "o"}, nil, nil, "--grid is required"},
		{"bad shard", []string{"--grid", "g", "--out", "o", "--shard", "8/8"}, nil, nil, "--shard"},
		{"shards without index", []string{"--grid", "g", "--out", "o", "--shards", "4"}, nil, nil, "JOB_COMPLETION_INDEX"},
		{"index out of range", []string{"--grid", "g", "--out", "o", "--shards", "4"}, map[string]string{"JOB_COMPLETION_INDEX": "4"}, nil, "JOB_COMPLETION_INDEX"},
		{"bad split", []string{"--grid", "g", "--out", "o", "--split", "1.5"}, nil, nil, "--split"},
		{"bad heatmap", []string{"--grid", "g", "--out", "o", "--heatmap", "leverage"}, nil, nil, "--heatmap"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			io, _, _, _ := iostreams.Test()
			f := &cmdutil.Factory{IO: io, Now: time.Now, Getenv: func(k string) string { return c.env[k] }}
			var got *Options
			cmd := NewCmdSweep(f, func(_ context.Context, o *Options) error { got = o; return nil })
			cmd.SetArgs(c.args)
			cmd.SetOut(io.Out)
			cmd.SetErr(io.ErrOut)
			err := cmd.Execute()
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) || cmdutil.ExitCode(err) != cmdutil.ExitUsage {
					t.Fatalf("err = %v, want a usage error with %q", err, c.wantErr)
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
