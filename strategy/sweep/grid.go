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

	"go.yaml.in/yaml/v3"

	"github.com/carry-research/carry/strategy"
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
		// Each bound may carry a rate's unit (5bp, 0.5%: strategy.ReadRate);
		// the values listed are the exact fractions.
		from, err1 := strategy.ReadRate(r.From)
		to, err2 := strategy.ReadRate(r.To)
		step, err3 := strategy.ReadRate(r.Step)
		if err1 != nil || err2 != nil || err3 != nil || !step.IsPositive() || to.LessThan(from) {
			return fmt.Errorf("line %d: a range is {from: a, to: b, step: s} with numbers a ≤ b and s > 0 (rates may be written 5bp or 0.5%%)", n.Line)
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
// field): the markets, the window, and an axis per engine parameter.
// Unset fields take the engine's defaults.
type Grid struct {
	Symbols   Axis `yaml:"symbols"`
	Periods   Axis `yaml:"periods"`
	Contracts Axis `yaml:"contracts"`
	// Prices and Spot choose what prices the legs (backtest.PriceSource:
	// auto, basis, klines; backtest.SpotSource: index, spot): market
	// axes, like periods and contracts.
	Prices Axis   `yaml:"prices"`
	Spot   Axis   `yaml:"spot"`
	From   string `yaml:"from"`
	To     string `yaml:"to"`

	// Params are the engine parameters' axes by name (strategy.ParamTable:
	// capital, spot_fee, …), each a field of the file.
	Params map[string]Axis `yaml:"-"`
}

// axes are the grid's fields in ParamNames order, unset ones holding their
// default: the market's, then the engine's (strategy.DefaultSettings).
func (g *Grid) axes() []Axis {
	def := func(a Axis, v string) Axis {
		if len(a) == 0 {
			return Axis{v}
		}
		return a
	}
	axes := []Axis{g.Symbols, def(g.Periods, "1h"), def(g.Contracts, "PERPETUAL"),
		def(g.Prices, sourceDefaults["prices"]), def(g.Spot, sourceDefaults["spot"])}
	for _, p := range strategy.ParamTable() {
		axes = append(axes, def(g.Params[p.Name], p.Default()))
	}
	return axes
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
