// Package book is one portfolio run: load a universe of pairs from the
// lake (a list of symbols, or every perpetual with data in the window,
// delisted ones included), run strategy/portfolio over it, summarize, and
// write the run's files.
package book
