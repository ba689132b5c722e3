// Reads a lake written by writelake with DuckDB (hive partitioning) and checks
// column types and every value against expected.json. Used by `make interop`.
import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';

const dir = process.argv[2];
const lake = `${dir}/lake`;
const expected = JSON.parse(readFileSync(`${dir}/expected.json`, 'utf8'));
const conn = await (await DuckDBInstance.create(':memory:')).connect();
let failures = 0;
const fail = (msg) => { failures++; console.error(`FAIL ${msg}`); };

async function rows(sql) {
  const reader = await conn.runAndReadAll(sql);
  return reader.getRowObjectsJS();
}

async function checkTypes(name, source, want) {
  const got = Object.fromEntries((await rows(`DESCRIBE SELECT * FROM ${source}`)).map((r) => [r.column_name, r.column_type]));
  for (const [col, type] of Object.entries(want)) {
    if (got[col] !== type) fail(`${name}.${col}: DuckDB type ${got[col]}, want ${type}`);
  }
  if (Object.keys(got).length !== Object.keys(want).length) fail(`${name}: columns ${Object.keys(got)}, want ${Object.keys(want)}`);
}

function same(name, i, col, got, want) {
  if (want === null || want === undefined) {
    if (got !== null) fail(`${name} row ${i} ${col}: ${got}, want NULL`);
  } else if (got !== want) {
    fail(`${name} row ${i} ${col}: ${got}, want ${want}`);
  }
}

// compare checks every row against expected.json: columns maps each column
// to its field there; timestamps are read as epoch milliseconds (the
// column's alias in the query) and compared as numbers.
function compare(name, got, want, columns) {
  if (got.length !== want.length) fail(`${name}: ${got.length} rows, want ${want.length}`);
  want.forEach((w, i) => {
    const g = got[i] ?? {};
    for (const [col, field, msAlias] of columns) {
      same(name, i, col, msAlias ? Number(g[msAlias]) : g[col], w[field]);
    }
  });
}

const basis = `read_parquet('${lake}/basis/**/*.parquet', hive_partitioning=true)`;
await checkTypes('basis', basis, {
  timestamp: 'TIMESTAMP WITH TIME ZONE', index_price: 'DOUBLE', futures_price: 'DOUBLE', basis: 'DOUBLE',
  basis_rate: 'DOUBLE', annualized_basis_rate: 'DOUBLE', pair: 'VARCHAR', contract_type: 'VARCHAR', period: 'VARCHAR',
});
const gotBasis = await rows(`SELECT pair, contract_type, period, epoch_ms(timestamp) AS ms, index_price, futures_price, basis, basis_rate, annualized_basis_rate
  FROM ${basis} ORDER BY contract_type DESC, ms`);
compare('basis', gotBasis, expected.Basis, [
  ['pair', 'Pair'], ['contract_type', 'ContractType'], ['period', 'Period'], ['timestamp', 'TimestampMs', 'ms'],
  ['index_price', 'IndexPrice'], ['futures_price', 'FuturesPrice'], ['basis', 'Basis'], ['basis_rate', 'BasisRate'],
  ['annualized_basis_rate', 'AnnualizedBasisRate'],
]);

const funding = `read_parquet('${lake}/funding/**/*.parquet', hive_partitioning=true)`;
await checkTypes('funding', funding, {
  funding_time: 'TIMESTAMP WITH TIME ZONE', funding_rate: 'DOUBLE', mark_price: 'DOUBLE', rate_type: 'VARCHAR',
  funding_interval_hours: 'INTEGER', symbol: 'VARCHAR',
});
const gotFunding = await rows(`SELECT symbol, epoch_ms(funding_time) AS ms, funding_rate, mark_price, rate_type, funding_interval_hours
  FROM ${funding} ORDER BY symbol, ms`);
compare('funding', gotFunding, expected.Funding, [
  ['symbol', 'Symbol'], ['funding_time', 'FundingTimeMs', 'ms'], ['funding_rate', 'FundingRate'], ['mark_price', 'MarkPrice'],
  ['rate_type', 'RateType'], ['funding_interval_hours', 'FundingIntervalHours'],
]);

const contracts = `read_parquet('${lake}/contracts/**/*.parquet', hive_partitioning=true)`;
await checkTypes('contracts', contracts, {
  symbol: 'VARCHAR', contract_type: 'VARCHAR', delivery_date: 'TIMESTAMP WITH TIME ZONE', onboard_date: 'TIMESTAMP WITH TIME ZONE',
  status: 'VARCHAR', pair: 'VARCHAR',
});
const gotContracts = await rows(`SELECT pair, symbol, contract_type, epoch_ms(delivery_date) AS d, epoch_ms(onboard_date) AS o, status
  FROM ${contracts} ORDER BY d`);
compare('contracts', gotContracts, expected.Contracts, [
  ['pair', 'Pair'], ['symbol', 'Symbol'], ['contract_type', 'ContractType'], ['delivery_date', 'DeliveryDateMs', 'd'],
  ['onboard_date', 'OnboardDateMs', 'o'], ['status', 'Status'],
]);

// Every kind in one read, without union_by_name: one schema for all.
const klines = `read_parquet('${lake}/klines/**/*.parquet', hive_partitioning=true)`;
await checkTypes('klines', klines, {
  open_time: 'TIMESTAMP WITH TIME ZONE', close_time: 'TIMESTAMP WITH TIME ZONE', open: 'DOUBLE', high: 'DOUBLE', low: 'DOUBLE',
  close: 'DOUBLE', volume: 'DOUBLE', quote_volume: 'DOUBLE', trades: 'BIGINT', taker_buy_volume: 'DOUBLE',
  taker_buy_quote_volume: 'DOUBLE', kind: 'VARCHAR', symbol: 'VARCHAR', interval: 'VARCHAR',
});
const gotKlines = (await rows(`SELECT kind, symbol, interval, epoch_ms(open_time) AS o, epoch_ms(close_time) AS c, open, high, low, close,
  volume, quote_volume, trades, taker_buy_volume, taker_buy_quote_volume
  FROM ${klines} ORDER BY kind, o`)).map((r) => ({ ...r, trades: r.trades === null ? null : Number(r.trades) }));
compare('klines', gotKlines, expected.Klines, [
  ['kind', 'Kind'], ['symbol', 'Symbol'], ['interval', 'Interval'], ['open_time', 'OpenTimeMs', 'o'], ['close_time', 'CloseTimeMs', 'c'],
  ['open', 'Open'], ['high', 'High'], ['low', 'Low'], ['close', 'Close'], ['volume', 'Volume'], ['quote_volume', 'QuoteVolume'],
  ['trades', 'Trades'], ['taker_buy_volume', 'TakerBuyVolume'], ['taker_buy_quote_volume', 'TakerBuyQuoteVolume'],
]);
const kinds = new Set(gotKlines.map((r) => r.kind));
if (!kinds.has('futures') || !kinds.has('index')) fail(`klines: kinds ${[...kinds]}, want futures and index in one read`);

if (failures > 0) {
  console.error(`interop: ${failures} mismatches between carry's lake and DuckDB's reading of it`);
  process.exit(1);
}
console.log(`interop: DuckDB read ${gotBasis.length} basis, ${gotFunding.length} funding, ${gotContracts.length} contract and ${gotKlines.length} kline rows (two kinds in one read) with hive partitioning; types and values match`);
