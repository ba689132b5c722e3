package cmdutil

import (
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/carry-research/carry/internal/iostreams"
)

// Factory carries the dependencies commands get injected: streams, clock,
// HTTP client, environment and logger. Tests build one with fakes.
type Factory struct {
	IO         *iostreams.IOStreams
	Now        func() time.Time
	HTTPClient func() *http.Client
	Getenv     func(string) string
	// Logger writes structured logs to IO.ErrOut at the level chosen by
	// --log-level.
	Logger func() *slog.Logger
	// LoggerTo is Logger writing to w instead (log lines above progress
	// bars); nil in tests that do not need it.
	LoggerTo func(w io.Writer) *slog.Logger
	// LogLevel is the logger's level, set from --log-level.
	LogLevel *slog.LevelVar
	Version  string
}

// DataDirEnv names the environment variable that sets the lake directory.
const DataDirEnv = "CARRY_DATA"

// DataDir resolves the lake directory: the --data flag if set, else
// $CARRY_DATA, else $XDG_DATA_HOME/carry/lake, else
// ~/.local/share/carry/lake.
func (f *Factory) DataDir(flag string) string {
	if flag != "" {
		return flag
	}
	if v := f.Getenv(DataDirEnv); v != "" {
		return v
	}
	if v := f.Getenv("XDG_DATA_HOME"); v != "" {
		return filepath.Join(v, "carry", "lake")
	}
	home := f.Getenv("HOME")
	if home == "" {
		home, _ = os.UserHomeDir()
	}
	return filepath.Join(home, ".local", "share", "carry", "lake")
}
