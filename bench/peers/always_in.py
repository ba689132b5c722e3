"""numpy peer of `carry sweep` on an always-in grid (issue 14).

Reads the series always_in.mjs exported from the lake's Parquet files
(Debian 12 ships numpy but no Parquet reader for Python), computes every
combination's equity at every grid point as one (combinations x points)
array, vectorized, and the summary figures carry reports (final_equity,
funding_income, fees, max_drawdown). Same model as always_in.mjs.

    python3 always_in.py EXPORT_DIR GRID.json OUT.json
"""
import itertools
import json
import sys
import time

import numpy as np


def main(export_dir, grid_path, out_path):
    grid = json.load(open(grid_path))
    start = time.perf_counter()
    rd = lambda n: np.fromfile(f"{export_dir}/{n}.f64", dtype="<f8")
    t, s, f = rd("t"), rd("s"), rd("f")
    tau, rate, mark = rd("tau"), rd("rate"), rd("mark")
    n = len(t)
    # Each event settles at the first grid point at or after tau, from the
    # second point on; a missing mark is F at the last point at or before tau.
    keep = (tau > t[0]) & (tau <= t[-1])
    tau, rate, mark = tau[keep], rate[keep], mark[keep]
    at = np.searchsorted(t, tau, side="left")
    before = np.searchsorted(t, tau, side="right") - 1
    mark = np.where(np.isnan(mark), f[before], mark)
    cmr = np.cumsum(np.bincount(at, weights=mark * rate, minlength=n))

    combos = np.array(list(itertools.product(grid["leverage"], grid["spot_fee"], grid["perp_fee"], grid["slippage"])))
    l, fs, fp, sl = (combos[:, j : j + 1] for j in range(4))
    c = grid["capital"]
    sf, ff = s[0] * (1 + sl), f[0] * (1 - sl)
    q = c / (sf * (1 + fs) + ff * (1 / l + fp))
    w = q * ff / l
    cash = c - q * sf * (1 + fs) - w - q * ff * fp
    equity = cash + q * s + w + q * cmr + q * (ff - f)
    sx, fx = s[-1] * (1 - sl[:, 0]), f[-1] * (1 + sl[:, 0])
    qq = q[:, 0]
    equity[:, -1] = cash[:, 0] + qq * sx * (1 - fs[:, 0]) + w[:, 0] + qq * cmr[-1] + qq * (ff[:, 0] - fx) - qq * fx * fp[:, 0]
    # Drawdown from the running peak, the capital the first (docs/model.md).
    drawdown = (equity / np.maximum(np.maximum.accumulate(equity, axis=1), c) - 1).min(axis=1)
    fees = qq * sf[:, 0] * fs[:, 0] + qq * ff[:, 0] * fp[:, 0] + qq * sx * fs[:, 0] + qq * fx * fp[:, 0]
    seconds = time.perf_counter() - start
    rows = [
        {"k": k, "final_equity": float(equity[k, -1]), "funding_income": float(qq[k] * cmr[-1]), "fees": float(fees[k]),
         "max_drawdown": float(drawdown[k]), "points": n}
        for k in range(len(combos))
    ]
    json.dump({"peer": "numpy", "seconds": seconds, "rows": rows}, open(out_path, "w"))


if __name__ == "__main__":
    main(*sys.argv[1:4])
