#!/usr/bin/env bash
# Peak RSS (VmHWM, from /usr/bin/time -v, else the kernel's accounting of
# the child) of `carry sweep` on rules grids of 1,000 and 100,000
# combinations of a simulated year of hourly BTCUSDT, and their ratio
# (issue 14: at most 1.2). Usage: bench/sweep_rss.sh [path/to/carry]
set -euo pipefail
carry=$(realpath "${1:-bin/carry}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
"$carry" simulate-market --data lake --days 365 --years 0 >/dev/null
grid() { # grid SLIPPAGES: 4 leverages x 5 entries x 5 exits x SLIPPAGES
	printf 'symbols: [BTCUSDT]\nperiods: [1h]\ncontracts: [PERPETUAL]\nleverage: [1, 2, 3, 4]\nfunding_lookback: [3]\n'
	printf 'funding_enter: [0.02, 0.05, 0.10, 0.20, 0.30]\nfunding_exit: [-0.05, -0.02, 0, 0.005, 0.01]\nslippage: ['
	seq -f '%.0f' 1 "$1" | awk '{printf "%s%.5f", (NR>1 ? ", " : ""), $1/100000}'
	printf ']\n'
}
peak() { # peak N SLIPPAGES: the sweep's peak RSS in KiB
	grid "$2" > "g$1.yaml"
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -v "$carry" sweep --data lake --grid "g$1.yaml" --out "out$1" --no-progress 2> "t$1" >/dev/null
		awk -F': ' '/Maximum resident/ {print $2}' "t$1"
	else
		python3 -c 'import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' \
			"$carry" sweep --data lake --grid "g$1.yaml" --out "out$1" --no-progress
	fi
}
small=$(peak 1k 10)
large=$(peak 100k 1000)
echo "uptime: $(uptime)"
awk -v s="$small" -v l="$large" 'BEGIN { printf "BenchmarkSweepRSS  1000: %.1f MiB  100000: %.1f MiB  ratio %.2f\n", s/1024, l/1024, l/s }'
