package root

import (
	"bytes"

	"github.com/carry-research/carry/internal/iostreams"
)

func testStreams() (*iostreams.IOStreams, *bytes.Buffer, *bytes.Buffer, *bytes.Buffer) {
	return iostreams.Test()
}
