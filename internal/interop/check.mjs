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

const basis = `read_parquet('${lake}/basis/**/*.parquet', hive_partitioning=true)`;
await checkTypes('basis', basis, {
  timestamp: 'TIMESTAMP WITH TIME ZONE', index_price: 'DOUBLE', futures_price: 'DOUBLE', basis: 'DOUBLE',
  basis_rate: 'DOUBLE', annualized_basis_rate: 'DOUBLE', pair: 'VARCHAR', contract_type: 'VARCHAR', period: 'VARCHAR',
});
const gotBasis = await rows(`SELECT pair, contract_type, period, epoch_ms(timestamp) AS ms, index_price, futures_price, basis, basis_rate, annualized_basis_rate
  FROM ${basis} ORDER BY contract_type DESC, ms`);
if (gotBasis.length !== expected.Basis.length) fail(`basis: ${gotBasis.length} rows, want ${expected.Basis.length}`);
expected.Basis.forEach((w, i) => {
  const g = gotBasis[i] ?? {};
  same('basis', i, 'pair', g.pair, w.Pair);
  same('basis', i, 'contract_type', g.contract_type, w.ContractType);
  same('basis', i, 'period', g.period, w.Period);
  same('basis', i, 'timestamp', Number(g.ms), w.TimestampMs);
  same('basis', i, 'index_price', g.index_price, w.IndexPrice);
  same('basis', i, 'futures_price', g.futures_price, w.FuturesPrice);
  same('basis', i, 'basis', g.basis, w.Basis);
  same('basis', i, 'basis_rate', g.basis_rate, w.BasisRate);
  same('basis', i, 'annualized_basis_rate', g.annualized_basis_rate, w.AnnualizedBasisRate);
});

const funding = `read_parquet('${lake}/funding/**/*.parquet', hive_partitioning=true)`;
await checkTypes('funding', funding, {
  funding_time: 'TIMESTAMP WITH TIME ZONE', funding_rate: 'DOUBLE', mark_price: 'DOUBLE', rate_type: 'VARCHAR',
  funding_interval_hours: 'INTEGER', symbol: 'VARCHAR',
});
const gotFunding = await rows(`SELECT symbol, epoch_ms(funding_time) AS ms, funding_rate, mark_price, rate_type, funding_interval_hours
  FROM ${funding} ORDER BY symbol, ms`);
if (gotFunding.length !== expected.Funding.length) fail(`funding: ${gotFunding.length} rows, want ${expected.Funding.length}`);
expected.Funding.forEach((w, i) => {
  const g = gotFunding[i] ?? {};
  same('funding', i, 'symbol', g.symbol, w.Symbol);
  same('funding', i, 'funding_time', Number(g.ms), w.FundingTimeMs);
  same('funding', i, 'funding_rate', g.funding_rate, w.FundingRate);
  same('funding', i, 'mark_price', g.mark_price, w.MarkPrice);
  same('funding', i, 'rate_type', g.rate_type, w.RateType);
  same('funding', i, 'funding_interval_hours', g.funding_interval_hours, w.FundingIntervalHours);
});

const contracts = `read_parquet('${lake}/contracts/**/*.parquet', hive_partitioning=true)`;
await checkTypes('contracts', contracts, {
  symbol: 'VARCHAR', contract_type: 'VARCHAR', delivery_date: 'TIMESTAMP WITH TIME ZONE', onboard_date: 'TIMESTAMP WITH TIME ZONE',
  status: 'VARCHAR', pair: 'VARCHAR',
});
const gotContracts = await rows(`SELECT pair, symbol, contract_type, epoch_ms(delivery_date) AS d, epoch_ms(onboard_date) AS o, status
  FROM ${contracts} ORDER BY d`);
if (gotContracts.length !== expected.Contracts.length) fail(`contracts: ${gotContracts.length} rows, want ${expected.Contracts.length}`);
expected.Contracts.forEach((w, i) => {
  const g = gotContracts[i] ?? {};
  same('contracts', i, 'pair', g.pair, w.Pair);
  same('contracts', i, 'symbol', g.symbol, w.Symbol);
  same('contracts', i, 'contract_type', g.contract_type, w.ContractType);
  same('contracts', i, 'delivery_date', Number(g.d), w.DeliveryDateMs);
  same('contracts', i, 'onboard_date', Number(g.o), w.OnboardDateMs);
  same('contracts', i, 'status', g.status, w.Status);
});

if (failures > 0) {
  console.error(`interop: ${failures} mismatches between carry's lake and DuckDB's reading of it`);
  process.exit(1);
}
console.log(`interop: DuckDB read ${gotBasis.length} basis, ${gotFunding.length} funding and ${gotContracts.length} contract rows with hive partitioning; types and values match`);
