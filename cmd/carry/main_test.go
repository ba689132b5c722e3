package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestMain removes the carry binary the tests built (carryBinary).
func TestMain(m *testing.M) {
	code := m.Run()
	if binary != "" {
		os.RemoveAll(filepath.Dir(binary))
	}
	os.Exit(code)
}
