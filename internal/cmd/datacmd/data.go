// Package datacmd implements `carry data`: looking after the lake.
package datacmd

import (
	"github.com/spf13/cobra"

	"github.com/carry-research/carry/internal/cmdutil"
)

// NewCmdData builds `carry data` and its subcommands.
func NewCmdData(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "data",
		Short: "Inspect the Parquet lake",
	}
	cmd.AddCommand(NewCmdStatus(f, nil))
	cmd.AddCommand(NewCmdCompareBasis(f, nil))
	return cmd
}
