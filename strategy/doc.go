// Package strategy simulates cash-and-carry: long spot against a short
// USDⓈ-M perpetual collecting funding, or against a dated quarterly future
// earning the basis as it converges. docs/model.md states the model; this
// package implements it twice: Run, an exact ledger in decimal arithmetic,
// and Kernel, a float64 kernel for sweeps. A test holds the two to 1e-9.
package strategy
