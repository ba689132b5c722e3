package cmdutil

import (
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/data/lake"
)

// CompleteValues completes a flag from a fixed list of values, never from
// file names.
func CompleteValues(values ...string) cobra.CompletionFunc {
	return func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
		return values, cobra.ShellCompDirectiveNoFileComp
	}
}

// CompleteList completes the last item of a comma-separated flag value
// (--periods 5m,1h) from values, keeping the items already typed.
func CompleteList(values func() []string) cobra.CompletionFunc {
	return func(_ *cobra.Command, _ []string, typed string) ([]cobra.Completion, cobra.ShellCompDirective) {
		head := ""
		if i := strings.LastIndex(typed, ","); i >= 0 {
			head = typed[:i+1]
		}
		var out []cobra.Completion
		for _, v := range values() {
			if !slices.Contains(strings.Split(head, ","), v) {
				out = append(out, head+v)
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
	}
}

// PeriodNames lists the basis periods.
func PeriodNames() []string {
	var out []string
	for _, p := range data.Periods() {
		out = append(out, string(p))
	}
	return out
}

// ContractTypeNames lists the contract types.
func ContractTypeNames() []string {
	return []string{string(data.Perpetual), string(data.CurrentQuarter), string(data.NextQuarter)}
}

// LakeSymbols lists the symbols the lake at dir holds (basis pairs and
// funding symbols), for completing --symbol; none when there is no lake.
func LakeSymbols(dir string) []string {
	lake, err := lake.Open(dir)
	if err != nil {
		return nil
	}
	seen := map[string]bool{}
	if keys, err := lake.BasisKeys(); err == nil {
		for _, k := range keys {
			seen[k.Pair] = true
		}
	}
	if syms, err := lake.FundingSymbols(); err == nil {
		for _, s := range syms {
			seen[s] = true
		}
	}
	out := make([]string, 0, len(seen))
	for s := range seen {
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}

// CompleteLakeSymbols completes --symbol from the lake that --data (or
// $CARRY_DATA, or the default) names.
func CompleteLakeSymbols(f *Factory, list bool) cobra.CompletionFunc {
	symbols := func(cmd *cobra.Command) []string {
		flag, _ := cmd.Flags().GetString("data")
		return LakeSymbols(f.DataDir(flag))
	}
	return func(cmd *cobra.Command, args []string, typed string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if list {
			return CompleteList(func() []string { return symbols(cmd) })(cmd, args, typed)
		}
		return symbols(cmd), cobra.ShellCompDirectiveNoFileComp
	}
}
