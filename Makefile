# carry's build, test and demo entry points. Every dependency installs from
# this file and go.mod; nothing needs installing by hand beyond Go itself.

SHELL       := bash
.SHELLFLAGS := -o pipefail -ec
GO       ?= go
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -X main.version=$(VERSION)
BIN      := bin/carry
DUCKDB_NODE_API := @duckdb/node-api@1.5.6-r.1

NB_TOOLS := $(CURDIR)/.carry/tools
NB_DIR   := $(CURDIR)/.carry/notebooks

.PHONY: all build test test-race test-pipeline fuzz-smoke demo interop bench bench-rss bench-smoke notebooks fmt vet clean

all: build

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/carry

## test: vet, the whole suite with the race detector, and the whole-pipeline
## tests without it (target: 3 minutes on two cores). Per-package times are
## printed slowest first. CI also runs fuzz-smoke.
test: test-race test-pipeline

test-race:
	$(GO) vet ./...
	$(GO) test -race -timeout 4m ./... 2>&1 | tee .test-times.log
	@echo "slowest packages (race):"; grep -E '^ok ' .test-times.log | sort -t$$'\t' -k3 -rn | head -8 | sed 's/^/  /'

## test-pipeline: the demo's whole pipeline, the simulated market's years
## backfilled from its archive and REST, and the backfiller's whole table of
## servers and its five years from the archive, once without -race (too slow
## under it).
test-pipeline:
	$(GO) test -count=1 -timeout 4m -run 'TestDemoRunsThePipeline|TestReportRendersInChromium' ./internal/cmd/democmd/
	$(GO) test -count=1 -timeout 4m -run 'TestBackfillTakesMonthsFromTheArchive' ./internal/sim/
	$(GO) test -count=1 -timeout 4m -run 'TestEveryServedRowIsStored|TestFiveYearsFromArchiveAndREST' ./backfill/
	$(GO) test -count=1 -timeout 4m -run 'TestBacktestRefusesAnotherRunsOut' ./internal/cmd/root/

## fuzz-smoke: each page handler's fuzz target for 2,000 inputs. Counts, not
## durations: a -fuzztime or -fuzzminimizetime deadline that expires while
## the coordinator minimizes an input is reported as a failure ("context
## deadline exceeded") by go test itself.
fuzz-smoke:
	$(GO) test -run '^$$' -fuzz '^FuzzFundingPage$$' -fuzztime 2000x -fuzzminimizetime 50x ./backfill/
	$(GO) test -run '^$$' -fuzz '^FuzzBasisPage$$' -fuzztime 2000x -fuzzminimizetime 50x ./backfill/

## demo: the main job, offline, on a simulated market.
demo: build
	$(BIN) demo

## interop: an independent reader (DuckDB, via its Node.js package) reads a fresh lake.
interop:
	mkdir -p .interop
	cd .interop && [ -d node_modules/@duckdb/node-api ] || npm install --no-audit --no-fund --no-save $(DUCKDB_NODE_API)
	rm -rf .interop/run && $(GO) run ./internal/interop/writelake .interop/run
	cp internal/interop/check.mjs .interop/check.mjs
	node .interop/check.mjs .interop/run

## notebooks: install Jupyter (Debian) and GoNB (pinned), then execute every notebook headless.
notebooks: build
	@dpkg -s jupyter-nbconvert python3-ipykernel jupyter-client >/dev/null 2>&1 || { \
		apt-get -o DPkg::Lock::Timeout=300 update && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y --no-install-recommends jupyter-nbconvert python3-ipykernel jupyter-client; }
	mkdir -p $(NB_TOOLS)
	cd notebooks/tools && $(GO) build -o $(NB_TOOLS)/gonb github.com/janpfeifer/gonb && $(GO) build -o $(NB_TOOLS)/goimports golang.org/x/tools/cmd/goimports
	# gopls serves completion and hover in interactive sessions only: not needed to execute.
	PATH=$(NB_TOOLS):$$PATH $(NB_TOOLS)/gonb --install --force_deps
	rm -rf $(NB_DIR) && $(BIN) simulate-market --data $(NB_DIR)/lake --days 120 --seed 7
	for nb in notebooks/*.ipynb; do \
		PATH=$(NB_TOOLS):$$PATH CARRY_REPO=$(CURDIR) CARRY_NOTEBOOK_DATA=$(NB_DIR)/lake \
		jupyter nbconvert --to notebook --execute --ExecutePreprocessor.timeout=900 --output-dir $(NB_DIR)/out $$nb || exit 1; \
	done
	@echo "notebooks: all executed; outputs in $(NB_DIR)/out"

## bench: the benchmarks whose ratios BENCHMARKS.md records.
bench:
	$(GO) test -run '^$$' -bench 'CleanRunRequests|UpToDateRerun|ManySeriesRateBound|EdgeSearchRequests' -benchtime 3x ./backfill/
	$(GO) test -run '^$$' -bench 'ArchiveImport|ImportMemory' -benchtime 3x ./backfill/
	$(GO) test -run '^$$' -bench KlineRESTWeight -benchtime 1x ./backfill/
	$(GO) test -run '^$$' -bench FundingWindowBound -benchtime 1x ./backfill/
	$(GO) test -run '^$$' -bench ParseExact ./data/
	$(GO) test -run '^$$' -bench KlineMergeMemory -benchtime 3x ./data/lake/
	$(GO) test -run '^$$' -bench StatusTwoThousandSeries -benchtime 3x ./data/lake/
	$(GO) test -run '^$$' -bench KlineRows -benchtime 20x ./backfill/archive/
	$(GO) test -run '^$$' -bench 'KernelVs|KernelBasisRule|EquityStats' -benchtime 3s -count 3 ./strategy/
	$(GO) test -run '^$$' -bench KernelAllocs ./strategy/
	$(GO) test -run '^$$' -bench 'PortfolioKernel|PortfolioPlan|PortfolioRun' -benchtime 3x ./strategy/portfolio/
	$(GO) test -run '^$$' -bench Sweep -benchtime 3x ./strategy/sweep/
	$(GO) test -run '^$$' -bench SweepProcess -benchtime 3x -timeout 30m ./internal/cmd/sweepcmd/
	@# The peers (bench/peers) run when their tools are there and are skipped, saying so, when not:
	@# DuckDB's Node package is installed into .interop when npm is there; numpy is python3-numpy.
	@if command -v npm >/dev/null && [ ! -d .interop/node_modules/@duckdb/node-api ]; then \
		mkdir -p .interop && (cd .interop && npm install --no-audit --no-fund --no-save $(DUCKDB_NODE_API)) || echo "bench: DuckDB's Node package did not install; its peer is skipped"; fi
	$(GO) test -run '^$$' -bench SweepPeers -benchtime 1x -timeout 30m ./internal/cmd/sweepcmd/
	$(MAKE) --no-print-directory bench-rss
	$(GO) test -run '^$$' -bench 'ExpansionMemory|ResultsMemory' -benchtime 1x -timeout 60m ./strategy/sweep/
	$(GO) test -run '^$$' -bench ServeLoad -benchtime 3x ./internal/api/
	$(GO) test -run '^$$' -bench BacktestFiveYears -benchtime 3x ./internal/cmd/backtestcmd/
	$(GO) test -run '^$$' -bench BasisChart -benchtime 3x ./analytics/chart/

## bench-rss: peak RSS (VmHWM) of the real `carry sweep` process on a
## simulated year, rules grids of 1,000 and 100,000 combinations.
bench-rss: build
	bench/sweep_rss.sh $(BIN)

## bench-smoke: every benchmark of the module once, at its smaller sizes
## (-short), so that none rots; CI runs it. The figures mean nothing.
bench-smoke:
	$(GO) test -short -run '^$$' -bench . -benchtime 1x -timeout 10m ./...

fmt:
	gofmt -w $$(git ls-files '*.go')

clean:
	rm -rf bin .interop reports/demo
