// Package notebooks holds carry's research notebooks (Jupyter, GoNB Go
// kernel): explore.ipynb, carry-backtest.ipynb and sweep.ipynb. They use
// carry's packages as a library; `make notebooks` executes them headless.
// See notebooks/README.md.
package notebooks
