// Command carry archives Binance basis and funding history, backtests
// cash-and-carry and reports yields. See README.md.
package main

import (
	"os"

	"github.com/carry-research/carry/internal/cmd/root"
)

// version is set by the Makefile (-ldflags "-X main.version=…").
var version = "dev"

func main() {
	os.Exit(root.Main(root.NewFactory(version), os.Args[1:]))
}
