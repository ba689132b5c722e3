#!/usr/bin/env python3
"""A second implementation of docs/model.md "Portfolios", in exact
fractions, written from the spec (not from the Go engine). The expected
numbers of model_cases_test.go come from it: run

    python3 strategy/portfolio/testdata/pfmodel.py CASE

to print a case's rows, trades and settlements. Prices and rates are the
decimals written (Go's data.Decimal of the float64: the shortest decimal);
the only roundings are the engine's: quantities, 1/L, margins and the
divisions by q, to 20 decimal places, half away from zero (decimal's
DivRound).
"""
from fractions import Fraction as Fr
import sys

R = Fr(10) ** 20


def r20(x):
    """x rounded to 20 decimal places, half away from zero."""
    y = abs(x) * R
    n = y.numerator // y.denominator
    if y - n >= Fr(1, 2):
        n += 1
    return Fr(n if x >= 0 else -n) / R


def D(x):
    return Fr(str(x))


class Pos:
    def __init__(self):
        self.q = Fr(0)          # quantity of both legs
        self.spot_cost = Fr(0)  # Σ qty × spot fill price
        self.short_not = Fr(0)  # Σ qty × short fill price (entry notional)
        self.wallet = Fr(0)     # W, without unrealized P&L


def run(members, P):
    """members: list of dict(sym, t=[hours], S=[..], F=[..], ev=[(h, rate,
    mark or None, interval)], delisted). P: dict(C, L, fs, fp, s, m, N, K,
    minsig (None), cap, every (hours), band, signal ('funding'|'basis'))."""
    C, L, fs, fp, s, mm = (D(P[k]) for k in ("C", "L", "fs", "fp", "s", "m"))
    invL = r20(1 / L)
    K, N, band, cap = P["K"], P["N"], D(P["band"]), D(P["cap"])
    book = sorted({t for mb in members for t in mb["t"]})
    cash = C
    pos = [None] * len(members)
    last_i = [None] * len(members)   # member's last grid index at or before t
    nxt_ev = [0] * len(members)
    fund = [Fr(0)] * len(members)
    fees = [Fr(0)] * len(members)
    realized = [Fr(0)] * len(members)
    forfeit = [Fr(0)] * len(members)
    traded_pair = [Fr(0)] * len(members)
    entries = [0] * len(members)
    held_pts = [0] * len(members)
    liqs = [0] * len(members)
    delisted = [False] * len(members)
    rows, trades, setts, rebs = [], [], [], []
    for mb in members:
        mb["S"] = [D(x) for x in mb["S"]]
        mb["F"] = [D(x) for x in mb["F"]]
    traded_now = [Fr(0)]

    def fill(j, t, leg, side, q, price, fee, reason):
        fees[j] += fee
        traded_pair[j] += q * price
        traded_now[0] += q * price
        trades.append((t, members[j]["sym"], leg, side, q, price, fee, reason))

    def prices(j):
        i = last_i[j]
        return members[j]["S"][i], members[j]["F"][i]

    def pair_equity(j):
        p = pos[j]
        if p is None:
            return Fr(0)
        S, F = prices(j)
        return p.q * S + p.wallet + p.short_not - p.q * F

    def close(j, t, reason):
        nonlocal cash
        p = pos[j]
        S, F = prices(j)
        sx, fx = S * (1 - s), F * (1 + s)
        sfee = p.q * sx * fs
        realized[j] += p.q * sx - p.spot_cost
        cash += p.q * sx - sfee
        fill(j, t, "spot", "sell", p.q, sx, sfee, reason)
        pfee = p.q * fx * fp
        pnl = p.short_not - p.q * fx
        realized[j] += pnl
        p.wallet += pnl - pfee
        fill(j, t, "perp", "buy", p.q, fx, pfee, reason)
        cash += p.wallet
        pos[j] = None

    def decrease(j, t, d):
        nonlocal cash
        p = pos[j]
        S, F = prices(j)
        sx, fx = S * (1 - s), F * (1 + s)
        sfee = d * sx * fs
        cost = r20(p.spot_cost * d / p.q)
        realized[j] += d * sx - cost
        p.spot_cost -= cost
        cash += d * sx - sfee
        fill(j, t, "spot", "sell", d, sx, sfee, "resize")
        pfee = d * fx * fp
        notl = r20(p.short_not * d / p.q)
        pnl = notl - d * fx
        realized[j] += pnl
        p.short_not -= notl
        fill(j, t, "perp", "buy", d, fx, pfee, "resize")
        # the wallet keeps its share (q - d)/q of the balance it had; the
        # released margin and the closed units' realized P&L less their fee
        # go to cash, so every part of the pair shrinks in proportion
        keep = r20(p.wallet * (p.q - d) / p.q)
        cash += p.wallet - keep + pnl - pfee
        p.wallet = keep
        p.q -= d

    def buy(j, t, d, reason):
        nonlocal cash
        if pos[j] is None:
            pos[j] = Pos()
            entries[j] += 1
        p = pos[j]
        S, F = prices(j)
        sf, ff = S * (1 + s), F * (1 - s)
        sfee = d * sf * fs
        margin = r20(d * ff / L)
        pfee = d * ff * fp
        cash -= d * sf + sfee + margin + pfee
        p.q += d
        p.spot_cost += d * sf
        p.short_not += d * ff
        p.wallet += margin
        fill(j, t, "spot", "buy", d, sf, sfee, reason)
        fill(j, t, "perp", "sell", d, ff, pfee, reason)

    def denom(j):
        S, F = prices(j)
        return S * (1 + s) * (1 + fs) + F * (1 - s) * (invL + fp)

    def signal(j, t):
        mb = members[j]
        if P.get("signal", "funding") == "basis":
            S, F = prices(j)
            return (F - S) / S * 365
        known = [e for e in mb["ev"] if e[0] <= t]
        if len(known) < N:
            return None
        return sum(D(e[1]) * Fr(8760, e[3]) for e in known[-N:]) / N

    def is_rebalance(k):
        if k == 0:
            return True
        ev = P["every"]
        # a multiple of Every in (book[k-1], book[k]]
        return book[k] // ev > book[k - 1] // ev

    for k, t in enumerate(book):
        traded_now[0] = Fr(0)
        lastbook = k == len(book) - 1
        present = []
        for j, mb in enumerate(members):
            if t in mb["t"]:
                i = mb["t"].index(t)
                prev = last_i[j]
                last_i[j] = i
                present.append(j)
                # a. funding
                while nxt_ev[j] < len(mb["ev"]) and mb["ev"][nxt_ev[j]][0] <= t:
                    h, rate, mark, iv = mb["ev"][nxt_ev[j]]
                    nxt_ev[j] += 1
                    if prev is None or h <= mb["t"][prev] or pos[j] is None:
                        continue
                    missing = mark is None
                    if missing:
                        ii = max(x for x in range(len(mb["t"])) if mb["t"][x] <= h)
                        mk = mb["F"][ii]
                    else:
                        mk = D(mark)
                    pay = pos[j].q * mk * D(rate)
                    pos[j].wallet += pay
                    fund[j] += pay
                    setts.append((h, mb["sym"], pos[j].q, mk, missing, pay))
        # b. margin
        for j in present:
            p = pos[j]
            if p is None:
                continue
            S, F = prices(j)
            M = p.wallet + p.short_not - p.q * F
            if M < mm * p.q * F:
                realized[j] += p.short_not - p.q * F
                forfeit[j] += M
                fill(j, t, "perp", "buy", p.q, F, Fr(0), "liquidation")
                sx = S * (1 - s)
                sfee = p.q * sx * fs
                realized[j] += p.q * sx - p.spot_cost
                cash += p.q * sx - sfee
                fill(j, t, "spot", "sell", p.q, sx, sfee, "liquidation")
                pos[j] = None
                liqs[j] += 1
        # c. leaving
        for j in present:
            mb = members[j]
            if t == mb["t"][-1] and not lastbook and pos[j] is not None:
                if mb.get("delisted"):
                    delisted[j] = True
                close(j, t, "delist" if mb.get("delisted") else "end")
        # d. rebalance
        if is_rebalance(k) and not lastbook:
            rebs.append(k)
            E = cash + sum(pair_equity(j) for j in range(len(members)))
            elig = []
            for j in present:
                mb = members[j]
                if t == mb["t"][-1] or t - mb["t"][0] < P.get("minhist", 0):
                    continue
                sg = signal(j, t)
                if sg is None:
                    continue
                if P.get("minsig") is not None and sg < D(P["minsig"]):
                    continue
                elig.append((-sg, mb["sym"], j))
            kept = [j for _, _, j in sorted(elig)[:K]]
            w = [0.0] * len(members)
            for j in kept:
                w[j] = min(1.0 / K, float(P["cap"]))
            closes, buys = [], []
            for j in range(len(members)):
                if j not in present:
                    continue
                if pos[j] is not None and w[j] == 0:
                    closes.append((j, None))
                elif w[j] > 0:
                    A = D(w[j]) * E
                    if pos[j] is None:
                        buys.append((j, r20(A / denom(j)), "entry"))
                    else:
                        Ej = pair_equity(j)
                        c = Ej / E
                        if abs(float(c) - w[j]) > float(P["band"]):
                            # a decrease sells the fraction (Ej - A)/Ej of every
                            # part of the pair; an increase spends A - Ej as an
                            # entry of that size would
                            if A < Ej:
                                closes.append((j, r20(pos[j].q * (Ej - A) / Ej)))
                            elif A > Ej:
                                buys.append((j, r20((A - Ej) / denom(j)), "resize"))
            for j, d in closes:
                if d is None:
                    close(j, t, "exit")
                else:
                    decrease(j, t, d)
            need = sum(d * denom(j) for j, d, _ in buys)
            if need > cash:
                f = cash / need
                buys = [(j, r20(d * f), why) for j, d, why in buys]
            for j, d, why in buys:
                buy(j, t, d, why)
        # e. end
        if lastbook:
            for j in range(len(members)):
                if pos[j] is not None:
                    close(j, t, "end")
        # f. record
        E = cash + sum(pair_equity(j) for j in range(len(members)))
        basis = sum(realized)
        for j in range(len(members)):
            p = pos[j]
            if p is not None:
                S, F = prices(j)
                basis += p.q * S - p.spot_cost + p.short_not - p.q * F
        row = dict(t=t, E=E, cash=cash, fund=sum(fund), fees=sum(fees), basis=basis,
                   forfeit=sum(forfeit), traded=traded_now[0],
                   w=[float(pair_equity(j) / E) for j in range(len(members))],
                   holdings=sum(p is not None for p in pos))
        assert E - C == row["fund"] + basis - row["fees"] - row["forfeit"]
        rows.append(row)
        for j in range(len(members)):
            if k + 1 < len(book) and pos[j] is not None:
                held_pts[j] += 1
    pairs = [dict(sym=members[j]["sym"], fund=fund[j], basis=realized[j], fees=fees[j],
                  forfeit=forfeit[j], traded=traded_pair[j], entries=entries[j],
                  held=held_pts[j], liq=liqs[j], delisted=delisted[j]) for j in range(len(members))]
    return rows, trades, setts, pairs, rebs


def dec(x):
    """x as a decimal string: exact when it terminates, else 34 significant digits."""
    from decimal import Decimal, getcontext
    x = Fr(x)
    d = x.denominator
    for p in (2, 5):
        while d % p == 0:
            d //= p
    getcontext().prec = 34 if d != 1 else 100
    v = Decimal(x.numerator) / Decimal(x.denominator)
    return format(v, "f")


def show(res):
    rows, trades, setts, pairs, rebs = res
    print("rebalances", rebs)
    for r in rows:
        print("row t=%s E=%s cash=%s fund=%s fees=%s basis=%s forfeit=%s traded=%s w=%s h=%d" % (
            r["t"], dec(r["E"]), dec(r["cash"]), dec(r["fund"]), dec(r["fees"]), dec(r["basis"]),
            dec(r["forfeit"]), dec(r["traded"]), r["w"], r["holdings"]))
    for tr in trades:
        print("trade t=%s %s %s %s q=%s price=%s fee=%s %s" % (tr[0], tr[1], tr[2], tr[3], dec(tr[4]), dec(tr[5]), dec(tr[6]), tr[7]))
    for st in setts:
        print("settle τ=%s %s q=%s mark=%s missing=%s pay=%s" % (st[0], st[1], dec(st[2]), dec(st[3]), st[4], dec(st[5])))
    for p in pairs:
        print("pair", {k: (dec(v) if isinstance(v, Fr) else v) for k, v in p.items()})
