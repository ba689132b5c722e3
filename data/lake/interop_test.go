package lake

import (
	"path/filepath"
	"strconv"
	"testing"

	"github.com/apache/arrow/go/v17/parquet"
	"github.com/apache/arrow/go/v17/parquet/file"
	"github.com/shopspring/decimal"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/internal/sharedtest"
)

// TestGenericReaderSeesLogicalTypes opens lake files with Parquet's own
// low-level reader, not carry's decoder, and checks what any other tool sees:
// logical types, nullability, compression and the footer.
func TestGenericReaderSeesLogicalTypes(t *testing.T) {
	l := newTestLake(t)
	if _, err := l.MergeBasis(perpKey(), []data.BasisRow{basisRow(0, 100, 101)}); err != nil {
		t.Fatal(err)
	}
	if _, err := l.MergeFunding("BTCUSDT", fundingAt(0, 8)); err != nil {
		t.Fatal(err)
	}
	type col struct {
		name     string
		logical  string
		physical parquet.Type
		optional bool
	}
	cases := []struct {
		path string
		cols []col
	}{
		{l.BasisPath(perpKey()), []col{
			{"timestamp", "Timestamp(isAdjustedToUTC=true, timeUnit=milliseconds, is_from_converted_type=false, force_set_converted_type=false)", parquet.Types.Int64, false},
			{"index_price", "None", parquet.Types.Double, false},
			{"futures_price", "None", parquet.Types.Double, false},
			{"basis", "None", parquet.Types.Double, false},
			{"basis_rate", "None", parquet.Types.Double, false},
			{"annualized_basis_rate", "None", parquet.Types.Double, true},
		}},
		{l.FundingPath("BTCUSDT"), []col{
			{"funding_time", "Timestamp(isAdjustedToUTC=true, timeUnit=milliseconds, is_from_converted_type=false, force_set_converted_type=false)", parquet.Types.Int64, false},
			{"funding_rate", "None", parquet.Types.Double, false},
			{"mark_price", "None", parquet.Types.Double, true},
			{"rate_type", "String", parquet.Types.ByteArray, false},
			{"funding_interval_hours", "Int(bitWidth=32, isSigned=true)", parquet.Types.Int32, false},
		}},
	}
	for _, c := range cases {
		r, err := file.OpenParquetFile(c.path, false)
		if err != nil {
			t.Fatal(err)
		}
		sc := r.MetaData().Schema
		if sc.NumColumns() != len(c.cols) {
			t.Errorf("%s: %d columns, want %d", c.path, sc.NumColumns(), len(c.cols))
		}
		for i, want := range c.cols {
			got := sc.Column(i)
			if got.Name() != want.name || got.LogicalType().String() != want.logical || got.PhysicalType() != want.physical {
				t.Errorf("%s column %d = %s %s %s, want %s %s %s", c.path, i, got.Name(), got.PhysicalType(), got.LogicalType(), want.name, want.physical, want.logical)
			}
			if opt := got.SchemaNode().RepetitionType() == parquet.Repetitions.Optional; opt != want.optional {
				t.Errorf("%s column %s optional = %v, want %v", c.path, want.name, opt, want.optional)
			}
			cc, err := r.MetaData().RowGroup(0).ColumnChunk(i)
			if err != nil {
				t.Fatal(err)
			}
			if cc.Compression().String() != "ZSTD" {
				t.Errorf("%s column %s compressed with %s, want ZSTD", c.path, want.name, cc.Compression())
			}
		}
		if v := r.MetaData().KeyValueMetadata().FindValue(footerState); v == nil {
			t.Errorf("%s: no %s in the footer", c.path, footerState)
		}
		r.Close()
	}
}

// TestRealValuesRoundTrip stores the real Binance windows of shared/ and
// checks that every number comes back as the exact decimal the exchange sent.
func TestRealValuesRoundTrip(t *testing.T) {
	dir := sharedtest.Path(t, "realdata/datasets/expected")
	for _, name := range []string{"real30", "real2023"} {
		t.Run(name, func(t *testing.T) {
			l := newTestLake(t)
			basis := sharedtest.ReadCSV(t, filepath.Join(dir, name+"-basis.csv"))
			byKey := map[data.BasisKey][]data.BasisRow{}
			sent := map[data.BasisKey][]map[string]string{}
			for _, r := range basis {
				k := data.BasisKey{Pair: r["pair"], ContractType: data.ContractType(r["contractType"]), Period: data.Period(r["period"])}
				ts, _ := strconv.ParseInt(r["timestamp"], 10, 64)
				row := data.BasisRow{Timestamp: ms(ts)}
				var err error
				for _, f := range []struct {
					dst *float64
					src string
				}{{&row.IndexPrice, "indexPrice"}, {&row.FuturesPrice, "futuresPrice"}, {&row.Basis, "basis"}, {&row.BasisRate, "basisRate"}} {
					if *f.dst, err = data.ParseExact(r[f.src]); err != nil {
						t.Fatal(err)
					}
				}
				if row.AnnualizedBasisRate, err = data.ParseNullable(r["annualizedBasisRate"]); err != nil {
					t.Fatal(err)
				}
				byKey[k] = append(byKey[k], row)
				sent[k] = append(sent[k], r)
			}
			for k, rows := range byKey {
				if _, err := l.MergeBasis(k, rows); err != nil {
					t.Fatal(err)
				}
				got, err := l.ReadBasis(k)
				if err != nil {
					t.Fatal(err)
				}
				for j, g := range got.Rows {
					want := sent[k][j]
					for _, f := range []struct {
						got  string
						name string
					}{{data.FormatExact(g.IndexPrice), "indexPrice"}, {data.FormatExact(g.FuturesPrice), "futuresPrice"}, {data.FormatExact(g.Basis), "basis"}, {data.FormatExact(g.BasisRate), "basisRate"}, {g.AnnualizedBasisRate.String(), "annualizedBasisRate"}} {
						if !sameDecimal(f.got, want[f.name]) {
							t.Fatalf("%s row %d %s: stored %s, sent %s", k, j, f.name, f.got, want[f.name])
						}
					}
				}
			}

			funding := sharedtest.ReadCSV(t, filepath.Join(dir, name+"-funding.csv"))
			bySymbol := map[string][]data.FundingRow{}
			for _, r := range funding {
				ts, _ := strconv.ParseInt(r["fundingTime"], 10, 64)
				rate, err := data.ParseExact(r["fundingRate"])
				if err != nil {
					t.Fatal(err)
				}
				mark, err := data.ParseNullable(r["markPrice"])
				if err != nil {
					t.Fatal(err)
				}
				bySymbol[r["symbol"]] = append(bySymbol[r["symbol"]], data.FundingRow{FundingTime: ms(ts), FundingRate: rate, MarkPrice: mark, RateType: data.RateType(r["rateType"])})
			}
			for sym, rows := range bySymbol {
				if _, err := l.MergeFunding(sym, rows); err != nil {
					t.Fatal(err)
				}
				got, _ := l.ReadFunding(sym)
				if len(got.Rows) != len(rows) {
					t.Fatalf("%s: %d rows back, %d stored", sym, len(got.Rows), len(rows))
				}
				for j, g := range got.Rows {
					if g.FundingTime != rows[j].FundingTime || g.FundingRate != rows[j].FundingRate || g.MarkPrice != rows[j].MarkPrice || g.FundingIntervalHours != 8 {
						t.Fatalf("%s row %d: %+v, sent %+v", sym, j, g, rows[j])
					}
				}
				if gaps := got.Gaps(); len(gaps) != 0 {
					t.Errorf("%s: gaps %v in a complete recording", sym, gaps)
				}
			}
		})
	}
}

func sameDecimal(a, b string) bool {
	if a == "" || b == "" {
		return a == b
	}
	return decimal.RequireFromString(a).Equal(decimal.RequireFromString(b))
}
