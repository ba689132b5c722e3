#!/usr/bin/env python3
"""The hand-computed cases of model_cases_test.go, run through pfmodel.py
(the spec in exact fractions). `python3 cases.py` prints every case;
`python3 cases.py go` prints the Go table literals pasted into
model_cases_test.go. Hours are from t0 = 2026-03-01 00:00 UTC (a midnight,
so "a multiple of Every since the epoch" is a multiple of Every hours from
t0). An event is (hour, rate, mark or None, interval hours)."""
import sys
from pfmodel import run, show, dec, Fr

PRE = (-8, "0.0001", 100, 8)  # one known event before the grid: the signal (lookback 1)

def mb(sym, t, S, F, ev=(), delisted=False):
    return dict(sym=sym, t=list(t), S=list(S), F=list(F), ev=list(ev), delisted=delisted)

def P(**kw):
    p = dict(C="4003", L="1", fs="0.001", fp="0.0005", s="0", m="0.004", N=1, K=2,
             minsig=None, cap="1", every=24, band="0.05")
    p.update(kw)
    return p

CASES = {
    # Two pairs, K = 2, equal weights, fees, funding (one event with its
    # mark, one without), rebalanced only at the first point.
    "two_pairs": ([
        mb("AAAUSDT", range(5), [100, 101, 102, 101, 100], [100, 101.5, 102, 101, 100.5],
           [PRE, (2, "0.0002", 101, 8)]),
        mb("BBBUSDT", range(5), [50, 50, 51, 52, 50], [50, 50, 51, 52.5, 50],
           [(-8, "0.0001", 50, 8), (3, "-0.0001", None, 8)]),
    ], P()),
    # Three pairs, K = 2, threshold 10%: CCC and AAA rank first at 0, BBB is
    # not selected; at 2 only AAA qualifies: CCC exits, its half stays cash.
    "three_pairs": ([
        mb("AAAUSDT", range(6), [100, 100, 101, 101, 102, 102], [100, 100.2, 101, 101.1, 102, 102],
           [(-8, "0.0003", 100, 8), (1, "0.0003", 100, 8)]),
        mb("BBBUSDT", range(6), [50, 50, 50, 50, 50, 50], [50, 50, 50, 50, 50, 50],
           [(-8, "0.0001", 50, 8), (1, "0.00002", 50, 8)]),
        mb("CCCUSDT", range(6), [20, 20, 20, 20, 20, 20], [20, 20.1, 20, 20, 20, 20],
           [(-8, "0.0002", 20, 8), (1, "0.00005", 20, 8)]),
    ], P(C="10000", s="0.0005", every=2, minsig=0.1)),
    # A delisting: AAA's data ends at 3 (Member.Delisted): closed there with
    # costs, reason delist; its event at 4 is not received; BBB goes on.
    "delisting": ([
        mb("AAAUSDT", range(4), [100, 100, 100, 90], [100, 100, 100, 90.5],
           [PRE, (2, "0.0001", 100, 8), (4, "0.0001", 90, 8)], delisted=True),
        mb("BBBUSDT", range(6), [50] * 6, [50] * 6, [(-8, "0.0001", 50, 8), (4, "0.0001", 50, 8)]),
    ], P(every=2)),
    # A liquidation of AAA's short at 2 (L = 2, F 100 → 149.5: M = 0.5·q <
    # m·q·F); BBB goes on; at the rebalance at 4 AAA is selected again and
    # enters; the cash short of its allocation scales the entry.
    "liquidation": ([
        mb("AAAUSDT", range(6), [100, 100, 149, 130, 120, 120], [100, 100, 149.5, 130, 120, 120], [PRE]),
        mb("BBBUSDT", range(6), [50] * 6, [50] * 6, [(-8, "0.0001", 50, 8), (1, "0.0001", 50, 8)]),
    ], P(C="6006", L="2", every=4)),
    # The band: no fees; at 2 AAA's weight is 1900/3900 (inside 0.05), no
    # trade; at 4 AAA's basis widened (S 100, F 150) and BBB's prices fell:
    # both are outside the band and resized: AAA 10 → 7, BBB 20 → 21.875.
    "band": ([
        mb("AAAUSDT", range(7), [100, 100, 100, 100, 100, 100, 100], [100, 100, 110, 110, 150, 150, 150], [PRE]),
        mb("BBBUSDT", range(7), [50, 50, 50, 50, 40, 40, 40], [50, 50, 50, 50, 40, 40, 40], [(-8, "0.0001", 50, 8)]),
    ], P(C="4000", fs="0", fp="0", every=2)),
}


def gostr(x):
    return '"%s"' % dec(x)


def emit_go(name, res):
    rows, trades, setts, pairs, rebs = res
    print("\t%q: {" .replace("%q", '"%s"') % name)
    print("\t\trebalances: []int{%s}," % ", ".join(map(str, rebs)))
    print("\t\trows: []rowWant{")
    for r in rows:
        print("\t\t\t{%s, %s, %s, %s, %s, %s, %s, %s, []float64{%s}, %d}," % (
            r["t"], gostr(r["E"]), gostr(r["cash"]), gostr(r["fund"]), gostr(r["fees"]), gostr(r["basis"]),
            gostr(r["forfeit"]), gostr(r["traded"]), ", ".join(repr(w) for w in r["w"]), r["holdings"]))
    print("\t\t},")
    print("\t\ttrades: []tradeWant{")
    for t in trades:
        print('\t\t\t{%s, "%s", "%s", "%s", %s, %s, %s, "%s"},' % (t[0], t[1], t[2], t[3], gostr(t[4]), gostr(t[5]), gostr(t[6]), t[7]))
    print("\t\t},")
    print("\t\tsettlements: []settlementWant{")
    for s in setts:
        print('\t\t\t{%s, "%s", %s, %s, %v, %s},'.replace("%v", "%s") % (s[0], s[1], gostr(s[2]), gostr(s[3]), "true" if s[4] else "false", gostr(s[5])))
    print("\t\t},")
    print("\t\tpairs: []pairWant{")
    for p in pairs:
        print('\t\t\t{"%s", %s, %s, %s, %s, %s, %d, %d, %d, %s},' % (
            p["sym"], gostr(p["fund"]), gostr(p["basis"]), gostr(p["fees"]), gostr(p["forfeit"]), gostr(p["traded"]),
            p["entries"], p["held"], p["liq"], "true" if p["delisted"] else "false"))
    print("\t\t},")
    print("\t},")


if __name__ == "__main__":
    names = [a for a in sys.argv[1:] if a != "go"] or list(CASES)
    for n in names:
        members, params = CASES[n]
        res = run(members, params)
        if "go" in sys.argv:
            emit_go(n, res)
        else:
            print("==", n)
            show(res)
