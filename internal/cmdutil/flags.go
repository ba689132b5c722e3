package cmdutil

import (
	"encoding/json"
	"io"

	"github.com/spf13/cobra"
)

// AddDataFlag binds --data, the lake directory, to dst.
func AddDataFlag(cmd *cobra.Command, dst *string) {
	cmd.Flags().StringVar(dst, "data", "", "lake directory (default $"+DataDirEnv+", else ~/.local/share/carry/lake)")
	cmd.MarkFlagDirname("data")
}

// AddJSONFlag binds --json to dst.
func AddJSONFlag(cmd *cobra.Command, dst *bool) {
	cmd.Flags().BoolVar(dst, "json", false, "print JSON instead of a table")
}

// WriteJSON writes v as indented JSON followed by a newline.
func WriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
