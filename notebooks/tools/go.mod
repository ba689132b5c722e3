// Tools for the notebooks, pinned: the GoNB Jupyter kernel and goimports
// (it needs them), built by `make notebooks`. A module of its own, so that
// carry's go.mod does not carry the kernel; notebooks reach gonbui (inline
// charts) through a Go workspace with this module in it. Versions are
// pinned because the module proxy does not list GoNB's versions, so
// `go install …@latest` cannot resolve it.
module github.com/carry-research/carry/notebooks/tools

go 1.26.8

require (
	github.com/janpfeifer/gonb v0.11.1
	golang.org/x/tools v0.29.0
)
