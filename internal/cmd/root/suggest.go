package root

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/carry-research/carry/internal/cmdutil"
)

// flagError is the root's flag error function, inherited by every command:
// a usage error (exit 2) that, for an unknown flag, names the closest
// flags the command has (--symbol on backfill: did you mean --symbols?).
func flagError(c *cobra.Command, err error) error {
	msg := err.Error()
	name, ok := strings.CutPrefix(msg, "unknown flag: --")
	if !ok {
		return &cmdutil.FlagError{Err: err}
	}
	if s := closestFlags(c, name); len(s) > 0 {
		return cmdutil.FlagErrorf("%s (did you mean --%s?)", msg, strings.Join(s, " or --"))
	}
	return &cmdutil.FlagError{Err: err}
}

// closestFlags are c's flags (its own and inherited) that typed is a
// prefix of, or that are a prefix of typed, or within an edit distance of
// 2 (1 for names of up to 4 letters), nearest first.
func closestFlags(c *cobra.Command, typed string) []string {
	type cand struct {
		name string
		dist int
	}
	var cands []cand
	seen := map[string]bool{}
	visit := func(f *pflag.Flag) {
		if f.Hidden || seen[f.Name] {
			return
		}
		seen[f.Name] = true
		d := editDistance(strings.ToLower(typed), f.Name)
		limit := 2
		if len(typed) <= 4 {
			limit = 1
		}
		if strings.HasPrefix(f.Name, typed) || strings.HasPrefix(typed, f.Name) {
			d = min(d, 1)
		}
		if d <= limit {
			cands = append(cands, cand{f.Name, d})
		}
	}
	c.Flags().VisitAll(visit)
	c.InheritedFlags().VisitAll(visit)
	slices.SortStableFunc(cands, func(a, b cand) int {
		if a.dist != b.dist {
			return a.dist - b.dist
		}
		return strings.Compare(a.name, b.name)
	})
	var out []string
	for _, x := range cands {
		if x.dist == cands[0].dist {
			out = append(out, x.name)
		}
	}
	return out
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// argumentErrorsAreUsage makes a bad positional argument a usage error
// (exit 2) on every command: cobra's own checks (accepts at most 1 arg…)
// become FlagErrors, and every command that only groups others (carry
// data, carry completion) refuses an unknown subcommand ("unknown command",
// with suggestions) instead of printing its help with exit 0; run alone, it
// still prints its help.
func argumentErrorsAreUsage(root *cobra.Command) {
	root.InitDefaultCompletionCmd()
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			walk(sub)
		}
		if c != root && c.HasSubCommands() && !c.Runnable() {
			c.Args = unknownSubcommand
			c.RunE = func(c *cobra.Command, args []string) error { return c.Help() }
		}
		if check := c.Args; check != nil {
			c.Args = func(c *cobra.Command, args []string) error {
				if err := check(c, args); err != nil {
					return &cmdutil.FlagError{Err: err}
				}
				return nil
			}
		}
	}
	walk(root)
}

func unknownSubcommand(c *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	if c.SuggestionsMinimumDistance <= 0 {
		c.SuggestionsMinimumDistance = 2
	}
	msg := fmt.Sprintf("unknown command %q for %q", args[0], c.CommandPath())
	if s := c.SuggestionsFor(args[0]); len(s) > 0 {
		msg += fmt.Sprintf(" (did you mean %s?)", strings.Join(s, " or "))
	}
	return errors.New(msg)
}
