package lake

import (
	"path/filepath"
	"strings"

	"github.com/carry-research/carry/data"
)

// KlinesPath is the partition file of a kline series:
// klines/kind=<kind>/symbol=<symbol>/[contract_type=<type>/]interval=<iv>/data.parquet,
// the contract type for continuous klines only.
func (l *Lake) KlinesPath(k data.KlineKey) string {
	parts := []string{l.root, DatasetKlines, "kind=" + string(k.Kind), "symbol=" + k.Symbol}
	if k.ContractType != "" {
		parts = append(parts, "contract_type="+string(k.ContractType))
	}
	parts = append(parts, "interval="+string(k.Interval), seriesFileName)
	return filepath.Join(parts...)
}

// KlineKeys lists the kline series in the lake, sorted by path. A directory
// that does not name a valid key in its place (a contract type on a kind
// other than continuous, an unknown interval) is not a series.
func (l *Lake) KlineKeys() ([]data.KlineKey, error) {
	base := filepath.Join(l.root, DatasetKlines)
	var matches []string
	for _, tail := range [][]string{
		{"interval=*", seriesFileName},
		{"contract_type=*", "interval=*", seriesFileName},
	} {
		m, err := globParallel(filepath.Join(base, "kind=*", "symbol=*"), tail...)
		if err != nil {
			return nil, err
		}
		matches = append(matches, m...)
	}
	var keys []data.KlineKey
	for _, m := range matches {
		k, ok := klineKeyOfPath(base, m)
		if ok && k.Validate() == nil && l.KlinesPath(k) == m {
			keys = append(keys, k)
		}
	}
	return keys, nil
}

// klineKeyOfPath reads a key from a partition file's path under base.
func klineKeyOfPath(base, path string) (data.KlineKey, bool) {
	var k data.KlineKey
	rel, err := filepath.Rel(base, filepath.Dir(path))
	if err != nil {
		return k, false
	}
	parts := strings.Split(filepath.ToSlash(rel), "/")
	var kind, ct, iv string
	switch len(parts) {
	case 3:
		if !cut(parts[0], "kind=", &kind) || !cut(parts[1], "symbol=", &k.Symbol) || !cut(parts[2], "interval=", &iv) {
			return k, false
		}
	case 4:
		if !cut(parts[0], "kind=", &kind) || !cut(parts[1], "symbol=", &k.Symbol) || !cut(parts[2], "contract_type=", &ct) || !cut(parts[3], "interval=", &iv) {
			return k, false
		}
	default:
		return k, false
	}
	k.Kind, k.ContractType, k.Interval = data.KlineKind(kind), data.ContractType(ct), data.Interval(iv)
	return k, true
}

// klineFooterKey is the key as the footer repeats it (carry.series): the
// partition columns by name, contract_type for continuous klines only.
func klineFooterKey(k data.KlineKey) map[string]string {
	m := map[string]string{"kind": string(k.Kind), "symbol": k.Symbol, "interval": string(k.Interval)}
	if k.ContractType != "" {
		m["contract_type"] = string(k.ContractType)
	}
	return m
}
