package binancesim

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// LoadDataset reads a directory laid out like shared/realdata/datasets/*
// (symbols.csv, basis/<PAIR>_<CONTRACT>_<period>.csv, fundingRate/<SYMBOL>.csv,
// values as the endpoints send them) into a market, strings untouched.
func LoadDataset(dir string) (*Market, error) {
	m := NewMarket()
	syms, err := readCSV(filepath.Join(dir, "symbols.csv"))
	if err != nil {
		return nil, err
	}
	for _, r := range syms {
		onboard, _ := strconv.ParseInt(r["onboardDate"], 10, 64)
		delivery, _ := strconv.ParseInt(r["deliveryDate"], 10, 64)
		hours, _ := strconv.Atoi(r["fundingIntervalHours"])
		m.AddContract(Contract{Symbol: r["symbol"], Pair: r["pair"], ContractType: r["contractType"], Status: r["status"], OnboardDate: onboard, DeliveryDate: delivery, FundingIntervalHours: hours})
	}
	files, _ := filepath.Glob(filepath.Join(dir, "basis", "*.csv"))
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".csv")
		parts := strings.Split(name, "_")
		if len(parts) < 3 {
			return nil, fmt.Errorf("%s: want <PAIR>_<CONTRACT>_<period>.csv", f)
		}
		key := BasisKey{Pair: parts[0], ContractType: strings.Join(parts[1:len(parts)-1], "_"), Period: parts[len(parts)-1]}
		rows, err := readCSV(f)
		if err != nil {
			return nil, err
		}
		recs := make([]BasisRecord, len(rows))
		for i, r := range rows {
			ts, err := strconv.ParseInt(r["timestamp"], 10, 64)
			if err != nil {
				return nil, fmt.Errorf("%s row %d: %w", f, i+2, err)
			}
			recs[i] = BasisRecord{Timestamp: ts, IndexPrice: r["indexPrice"], FuturesPrice: r["futuresPrice"], Basis: r["basis"], BasisRate: r["basisRate"], AnnualizedBasisRate: r["annualizedBasisRate"]}
		}
		m.AddBasis(key, recs...)
	}
	files, _ = filepath.Glob(filepath.Join(dir, "fundingRate", "*.csv"))
	for _, f := range files {
		sym := strings.TrimSuffix(filepath.Base(f), ".csv")
		rows, err := readCSV(f)
		if err != nil {
			return nil, err
		}
		recs := make([]FundingRecord, len(rows))
		for i, r := range rows {
			ts, err := strconv.ParseInt(r["fundingTime"], 10, 64)
			if err != nil {
				return nil, fmt.Errorf("%s row %d: %w", f, i+2, err)
			}
			recs[i] = FundingRecord{FundingTime: ts, FundingRate: r["fundingRate"], MarkPrice: r["markPrice"], RateType: r["rateType"]}
		}
		m.AddFunding(sym, recs...)
	}
	return m, nil
}

func readCSV(path string) ([]map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("%s is empty", path)
	}
	out := make([]map[string]string, 0, len(recs)-1)
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			if i < len(r) {
				m[h] = r[i]
			}
		}
		out = append(out, m)
	}
	return out, nil
}
