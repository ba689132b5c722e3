// DuckDB peer of `carry sweep` on an always-in grid (issue 14): reads the
// lake's Parquet files, computes every combination's equity at every grid
// point in SQL and the summary figures carry reports (final_equity,
// funding_income, fees, max_drawdown), and writes them with its time as
// JSON. The model (docs/model.md): enter at the first grid point sized to
// deploy the capital, funding settled at the first grid point at or after
// τ (funding_time to the minute) after entry, equity marked at every
// point, closed with costs at the last. No liquidation or rebalance: the
// benchmark's grid has none (it checks carry's rows say so).
//
//   node always_in.mjs LAKE SYMBOL FROM TO GRID.json OUT.json [EXPORT_DIR]
//
// GRID.json: {"capital": 10000, "leverage": [...], "spot_fee": [...],
// "perp_fee": [...], "slippage": [...]} (the cartesian product, in that
// order, the last fastest). With EXPORT_DIR it also writes the series it
// read (grid times, index and futures prices, funding events) as float64
// files for the numpy peer, which has no Parquet reader on Debian 12.
import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';

const [lake, symbol, from, to, gridPath, outPath, exportDir] = process.argv.slice(2);
const grid = JSON.parse(readFileSync(gridPath, 'utf8'));
const conn = await (await DuckDBInstance.create(':memory:')).connect();
const rows = async (sql) => (await conn.runAndReadAll(sql)).getRowObjectsJS();
const list = (xs) => xs.map((x, i) => `(${i}, ${x})`).join(', ');
const basis = `read_parquet('${lake}/basis/pair=${symbol}/contract_type=PERPETUAL/period=1h/data.parquet')`;
const funding = `read_parquet('${lake}/funding/symbol=${symbol}/data.parquet')`;

const start = performance.now();
await conn.run(`CREATE TEMP TABLE px AS
  SELECT row_number() OVER (ORDER BY timestamp) - 1 AS i, timestamp AS t, index_price AS s, futures_price AS f
  FROM ${basis} WHERE timestamp BETWEEN '${from}'::TIMESTAMPTZ AND '${to}'::TIMESTAMPTZ`);
// Each event settles at the first grid point at or after τ, from the
// second point on (a position opened at the first point is open after
// τ only if τ is later), and not after the last; a missing mark is F at
// the last grid point at or before τ.
await conn.run(`CREATE TEMP TABLE ev AS
  WITH e AS (SELECT date_trunc('minute', funding_time) AS tau, funding_rate AS rate, mark_price AS mark FROM ${funding}),
  b AS (SELECT min(t) AS t0, max(t) AS tl FROM px)
  SELECT (SELECT min(i) FROM px WHERE px.t >= e.tau) AS i,
         coalesce(e.mark, (SELECT f FROM px WHERE px.t <= e.tau ORDER BY t DESC LIMIT 1)) * e.rate AS mr
  FROM e, b WHERE e.tau > b.t0 AND e.tau <= b.tl`);
await conn.run(`CREATE TEMP TABLE cum AS
  SELECT px.i, px.s, px.f, sum(coalesce(x.mr, 0)) OVER (ORDER BY px.i) AS cmr
  FROM px LEFT JOIN (SELECT i, sum(mr) AS mr FROM ev GROUP BY i) x ON x.i = px.i`);
// k is the combination's position in the cartesian product, the last field fastest (carry's index).
const [nb, nc, nd] = [grid.spot_fee.length, grid.perp_fee.length, grid.slippage.length];
const combos = `(SELECT ((ia*${nb} + ib)*${nc} + ic)*${nd} + id AS k, l, fs, fp, sl FROM
  (VALUES ${list(grid.leverage)}) a(ia, l), (VALUES ${list(grid.spot_fee)}) b(ib, fs), (VALUES ${list(grid.perp_fee)}) c(ic, fp), (VALUES ${list(grid.slippage)}) d(id, sl))`;
const summary = await rows(`
  WITH first AS (SELECT s, f FROM cum WHERE i = 0), last AS (SELECT max(i) AS n FROM cum),
  entry AS (
    SELECT k, l, fs, fp, sl, q, q*ff/l AS w, ff,
           ${grid.capital} - q*sf*(1+fs) - q*ff/l - q*ff*fp AS cash, q*sf*fs + q*ff*fp AS fees0
    FROM (SELECT c.*, first.s*(1+c.sl) AS sf, first.f*(1-c.sl) AS ff,
                 ${grid.capital} / (first.s*(1+c.sl)*(1+c.fs) + first.f*(1-c.sl)*(1/c.l + c.fp)) AS q
          FROM ${combos} c, first)),
  eq AS (
    SELECT e.k, cum.i,
      CASE WHEN cum.i < last.n THEN e.cash + e.q*cum.s + e.w + e.q*cum.cmr + e.q*(e.ff - cum.f)
           ELSE e.cash + e.q*cum.s*(1-e.sl)*(1-e.fs) + e.w + e.q*cum.cmr + e.q*(e.ff - cum.f*(1+e.sl)) - e.q*cum.f*(1+e.sl)*e.fp END AS equity,
      e.q*cum.cmr AS funding,
      e.fees0 + CASE WHEN cum.i = last.n THEN e.q*cum.s*(1-e.sl)*e.fs + e.q*cum.f*(1+e.sl)*e.fp ELSE 0 END AS fees,
      cum.i = last.n AS is_last
    FROM entry e, cum, last),
  -- drawdown from the running peak, the capital the first (docs/model.md)
  dd AS (SELECT k, i, equity, funding, fees, is_last, equity / greatest(${grid.capital}, max(equity) OVER (PARTITION BY k ORDER BY i)) - 1 AS d FROM eq)
  SELECT k, max(CASE WHEN is_last THEN equity END) AS final_equity, max(CASE WHEN is_last THEN funding END) AS funding_income,
         max(CASE WHEN is_last THEN fees END) AS fees, min(d) AS max_drawdown, count(*) AS points
  FROM dd GROUP BY k ORDER BY k`);
const seconds = (performance.now() - start) / 1000;
writeFileSync(outPath, JSON.stringify({ peer: 'duckdb', seconds, rows: summary.map((r) => ({ ...r, k: Number(r.k), points: Number(r.points) })) }));

if (exportDir) {
  mkdirSync(exportDir, { recursive: true });
  const f64 = (name, xs) => writeFileSync(`${exportDir}/${name}.f64`, Buffer.from(Float64Array.from(xs).buffer));
  const px = await rows(`SELECT epoch_ms(t) AS t, s, f FROM px ORDER BY i`);
  const ev = await rows(`SELECT epoch_ms(date_trunc('minute', funding_time)) AS tau, funding_rate AS rate, mark_price AS mark FROM ${funding} ORDER BY funding_time`);
  f64('t', px.map((r) => Number(r.t)));
  f64('s', px.map((r) => r.s));
  f64('f', px.map((r) => r.f));
  f64('tau', ev.map((r) => Number(r.tau)));
  f64('rate', ev.map((r) => r.rate));
  f64('mark', ev.map((r) => (r.mark === null ? NaN : r.mark)));
}
