// Package sweep runs grids of carry parameters with the float64 kernel:
// deterministic order, stable ids, parallel workers, streamed and resumable
// results, shards and their merge, and the analyses researchers read the
// next morning. See docs/sweep.md.
package sweep

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"go.yaml.in/yaml/v3"
)

// Axis is one grid field: its values in order, "" meaning off (null).
type Axis []string

// UnmarshalYAML reads a scalar, a list, null, or a range {from, to, step}.
func (a *Axis) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.ScalarNode:
		*a = Axis{scalar(n)}
	case yaml.SequenceNode:
		for _, c := range n.Content {
			if c.Kind != yaml.ScalarNode {
				return fmt.Errorf("line %d: a list of values holds scalars only", c.Line)
			}
			*a = append(*a, scalar(c))
		}
	case yaml.MappingNode:
		var r struct{ From, To, Step string }
		if err := n.Decode(&r); err != nil {
			return err
		}
		from, err1 := decimal.NewFromString(r.From)
		to, err2 := decimal.NewFromString(r.To)
		step, err3 := decimal.NewFromString(r.Step)
		if err1 != nil || err2 != nil || err3 != nil || !step.IsPositive() || to.LessThan(from) {
			return fmt.Errorf("line %d: a range is {from: a, to: b, step: s} with numbers a ≤ b and s > 0", n.Line)
		}
		for v := from; v.LessThanOrEqual(to); v = v.Add(step) {
			*a = append(*a, v.String())
			if len(*a) > 10_000 {
				return fmt.Errorf("line %d: a range of more than 10,000 values", n.Line)
			}
		}
	}
	return nil
}

func scalar(n *yaml.Node) string {
	if n.Tag == "!!null" {
		return ""
	}
	return strings.TrimSpace(n.Value)
}

// Grid is a sweep's grid file (docs/examples/sweep.yaml documents every
// field). Every parameter field is an Axis; unset fields take the engine's
// defaults.
type Grid struct {
	Symbols   Axis   `yaml:"symbols"`
	Periods   Axis   `yaml:"periods"`
	Contracts Axis   `yaml:"contracts"`
	From      string `yaml:"from"`
	To        string `yaml:"to"`

	Capital         Axis `yaml:"capital"`
	Leverage        Axis `yaml:"leverage"`
	SpotFee         Axis `yaml:"spot_fee"`
	PerpFee         Axis `yaml:"perp_fee"`
	Slippage        Axis `yaml:"slippage"`
	Maintenance     Axis `yaml:"maintenance"`
	RebalanceBelow  Axis `yaml:"rebalance_below"`
	OnDelivery      Axis `yaml:"on_delivery"`
	FundingLookback Axis `yaml:"funding_lookback"`
	FundingEnter    Axis `yaml:"funding_enter"`
	FundingExit     Axis `yaml:"funding_exit"`
	BasisEnter      Axis `yaml:"basis_enter"`
	BasisExit       Axis `yaml:"basis_exit"`
	MaxHold         Axis `yaml:"max_hold"`
	RiskFree        Axis `yaml:"risk_free"`
}

// ParamNames are the swept parameters in enumeration order (the last
// varies fastest).
var ParamNames = []string{"symbol", "period", "contract", "capital", "leverage", "spot_fee", "perp_fee", "slippage", "maintenance",
	"rebalance_below", "on_delivery", "funding_lookback", "funding_enter", "funding_exit", "basis_enter", "basis_exit", "max_hold", "risk_free"}

func (g *Grid) axes() []Axis {
	def := func(a Axis, v string) Axis {
		if len(a) == 0 {
			return Axis{v}
		}
		return a
	}
	return []Axis{g.Symbols, def(g.Periods, "1h"), def(g.Contracts, "PERPETUAL"), def(g.Capital, "10000"), def(g.Leverage, "1"),
		def(g.SpotFee, "0.001"), def(g.PerpFee, "0.0005"), def(g.Slippage, "0.0001"), def(g.Maintenance, "0.004"),
		def(g.RebalanceBelow, "0"), def(g.OnDelivery, "flat"), def(g.FundingLookback, "3"), def(g.FundingEnter, ""),
		def(g.FundingExit, ""), def(g.BasisEnter, ""), def(g.BasisExit, ""), def(g.MaxHold, ""), def(g.RiskFree, "0")}
}

// LoadGrid reads and checks a grid file.
func LoadGrid(path string) (*Grid, []byte, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("reading the grid %s: %w", path, err)
	}
	g, err := ParseGrid(raw)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(g.Symbols) == 0 {
		return nil, nil, fmt.Errorf("grid %s: symbols is required", path)
	}
	return g, raw, nil
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}

// ParseGrid reads a grid from its text (as a manifest stores it).
func ParseGrid(raw []byte) (*Grid, error) {
	var g Grid
	dec := yaml.NewDecoder(strings.NewReader(string(raw)))
	dec.KnownFields(true)
	if err := dec.Decode(&g); err != nil {
		return nil, fmt.Errorf("grid: %w", err)
	}
	if err := validateFields(&g); err != nil {
		return nil, fmt.Errorf("grid: %w", err)
	}
	return &g, nil
}

// ParseSplit reads a split as Split.String writes it ("" = none).
func ParseSplit(s string) (*Split, error) {
	if s == "" {
		return nil, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return &Split{At: t}, nil
	}
	var f float64
	if _, err := fmt.Sscan(s, &f); err != nil {
		return nil, fmt.Errorf("split %q: %w", s, err)
	}
	return &Split{Fraction: f}, nil
}
