//go:build tools

// Package tools pins the notebooks' tools (see go.mod).
package tools

import (
	_ "github.com/janpfeifer/gonb"
	_ "github.com/janpfeifer/gonb/gonbui"
	_ "golang.org/x/tools/cmd/goimports"
)
