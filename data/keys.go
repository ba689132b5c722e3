package data

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Period is a basis sampling period, named as Binance names it.
type Period string

var periodDurations = map[Period]time.Duration{
	"5m": 5 * time.Minute, "15m": 15 * time.Minute, "30m": 30 * time.Minute,
	"1h": time.Hour, "2h": 2 * time.Hour, "4h": 4 * time.Hour,
	"6h": 6 * time.Hour, "12h": 12 * time.Hour, "1d": 24 * time.Hour,
}

// Periods lists the periods /futures/data/basis accepts, shortest first.
func Periods() []Period {
	out := make([]Period, 0, len(periodDurations))
	for p := range periodDurations {
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b Period) int { return int(periodDurations[a] - periodDurations[b]) })
	return out
}

// ParsePeriod validates a period name such as "1h".
func ParsePeriod(s string) (Period, error) {
	p := Period(strings.TrimSpace(s))
	if _, ok := periodDurations[p]; !ok {
		return "", fmt.Errorf("invalid period %q: want one of %s", s, joinPeriods())
	}
	return p, nil
}

func joinPeriods() string {
	var names []string
	for _, p := range Periods() {
		names = append(names, string(p))
	}
	return strings.Join(names, ", ")
}

// Duration is the period's length.
func (p Period) Duration() time.Duration { return periodDurations[p] }

// ContractType is a USDⓈ-M contract type of /futures/data/basis.
type ContractType string

// The contract types /futures/data/basis serves.
const (
	Perpetual      ContractType = "PERPETUAL"
	CurrentQuarter ContractType = "CURRENT_QUARTER"
	NextQuarter    ContractType = "NEXT_QUARTER"
)

// ContractTypes lists the valid contract types.
func ContractTypes() []ContractType {
	return []ContractType{Perpetual, CurrentQuarter, NextQuarter}
}

// ParseContractType validates a contract type name.
func ParseContractType(s string) (ContractType, error) {
	c := ContractType(strings.ToUpper(strings.TrimSpace(s)))
	if !slices.Contains(ContractTypes(), c) {
		return "", fmt.Errorf("invalid contract type %q: want PERPETUAL, CURRENT_QUARTER or NEXT_QUARTER", s)
	}
	return c, nil
}

// ValidateSymbol checks that s looks like an exchange symbol (upper-case
// letters and digits, as Binance writes them). It also keeps partition paths
// safe: a symbol is a name, never a path.
func ValidateSymbol(s string) error {
	if s == "" || len(s) > 40 {
		return fmt.Errorf("invalid symbol %q: want 1 to 40 upper-case letters or digits, e.g. BTCUSDT", s)
	}
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return fmt.Errorf("invalid symbol %q: want upper-case letters or digits only, e.g. BTCUSDT", s)
		}
	}
	return nil
}

// BasisKey names one basis series.
type BasisKey struct {
	Pair         string       `json:"pair"`
	ContractType ContractType `json:"contract_type"`
	Period       Period       `json:"period"`
}

// Validate checks every part of the key.
func (k BasisKey) Validate() error {
	if err := ValidateSymbol(k.Pair); err != nil {
		return fmt.Errorf("basis pair: %w", err)
	}
	if _, err := ParseContractType(string(k.ContractType)); err != nil {
		return err
	}
	if _, err := ParsePeriod(string(k.Period)); err != nil {
		return err
	}
	return nil
}

func (k BasisKey) String() string {
	return fmt.Sprintf("basis %s %s %s", k.Pair, k.ContractType, k.Period)
}

// DocumentedBasisRetention is how much history Binance documents for
// /futures/data/basis: the latest 30 days. The backfiller never takes it for
// a fence (a stored history_start younger than it is re-checked, since the
// documentation says more should be served); hints quote it.
const DocumentedBasisRetention = 30 * 24 * time.Hour
