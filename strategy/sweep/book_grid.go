package sweep

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/strategy"
	"github.com/carry-research/carry/strategy/portfolio"
)

// AllHistory is a book grid's universe of every perpetual with data in
// the window, delisted ones included (book.UniverseSpec.AllHistory).
const AllHistory = "all-history"

// BookGrid is a portfolio sweep's grid file: a grid with a universe:
// field (docs/sweep.md, "Portfolio grids"). Its axes are the market's
// choices (periods, prices, spot), the book's parameters
// (portfolio.BookParamTable) and the pair's that a book uses
// (portfolio.BookPairParams, read as strategy.ParamTable reads them).
type BookGrid struct {
	// Universe is the symbols, or nil with AllHistory.
	Universe   []string
	AllHistory bool
	From, To   string
	// Axes are every field's values by name (bookFieldNames); unset
	// fields are absent and take their defaults.
	Axes map[string]Axis
}

// IsBookGrid says whether a grid file's text is a portfolio grid: a
// mapping with a universe: field. Text that is not YAML is not one (the
// single-pair parser reports it).
func IsBookGrid(raw []byte) bool {
	var n yaml.Node
	if yaml.Unmarshal(raw, &n) != nil || len(n.Content) == 0 || n.Content[0].Kind != yaml.MappingNode {
		return false
	}
	m := n.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == "universe" {
			return true
		}
	}
	return false
}

// bookMarketNames are a book grid's market fields, slowest first: each
// value of them loads a universe.
func bookMarketNames() []string { return []string{"periods", "prices", "spot"} }

// BookParamNames are a book grid's fields in enumeration order (the last
// varies fastest): the market's, the book's decisions, the band, the
// pair's. Combinations that differ only after the decisions share a plan.
var BookParamNames = bookFieldNames()

func bookFieldNames() []string {
	names := bookMarketNames()
	for _, b := range portfolio.BookParamTable() {
		names = append(names, b.Name)
	}
	return append(names, portfolio.BookPairParams()...)
}

// singlePairOnly are the single-pair grid's fields that mean nothing for
// a book.
func singlePairOnly() []string {
	names := []string{"symbols", "contracts"}
	for _, p := range strategy.ParamTable() {
		if !slices.Contains(portfolio.BookPairParams(), p.Name) {
			names = append(names, p.Name)
		}
	}
	return names
}

// bookOnly are the book's fields, which a single-pair grid refuses by
// name.
func bookOnly() []string {
	names := []string{"universe"}
	for _, b := range portfolio.BookParamTable() {
		names = append(names, b.Name)
	}
	return names
}

// ParseBookGrid reads a portfolio grid from its text. A field of the
// single-pair grid that means nothing for a book is refused by name, as
// is a field neither grid knows.
func ParseBookGrid(raw []byte) (*BookGrid, error) {
	var n yaml.Node
	if err := yaml.Unmarshal(raw, &n); err != nil {
		return nil, fmt.Errorf("grid: %w", err)
	}
	if len(n.Content) == 0 || n.Content[0].Kind != yaml.MappingNode {
		return nil, errors.New("grid: a grid is a mapping of fields")
	}
	m := n.Content[0]
	g := &BookGrid{Axes: map[string]Axis{}}
	var errs []string
	seen := map[string]int{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if line, ok := seen[k.Value]; ok {
			errs = append(errs, fmt.Sprintf("line %d: field %s already defined at line %d", k.Line, k.Value, line))
			continue
		}
		seen[k.Value] = k.Line
		switch name := k.Value; {
		case name == "universe":
			if err := g.readUniverse(v); err != nil {
				errs = append(errs, fmt.Sprintf("line %d: universe: %v", k.Line, err))
			}
		case name == "from" || name == "to":
			if v.Kind != yaml.ScalarNode {
				errs = append(errs, fmt.Sprintf("line %d: %s is one date", k.Line, name))
				continue
			}
			if name == "from" {
				g.From = scalar(v)
			} else {
				g.To = scalar(v)
			}
		case slices.Contains(BookParamNames, name):
			var a Axis
			if err := v.Decode(&a); err != nil {
				errs = append(errs, fmt.Sprintf("line %d: %s: %v", k.Line, name, err))
				continue
			}
			g.Axes[name] = a
		case slices.Contains(singlePairOnly(), name):
			errs = append(errs, fmt.Sprintf("line %d: field %s is a single-pair parameter; a portfolio grid (one with universe:) takes %s", k.Line, name, strings.Join(BookParamNames, ", ")))
		default:
			errs = append(errs, fmt.Sprintf("line %d: field %s not found in a portfolio grid (its fields: universe, from, to, %s)", k.Line, name, strings.Join(BookParamNames, ", ")))
		}
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("grid: %s", strings.Join(errs, "; "))
	}
	if !g.AllHistory && len(g.Universe) == 0 {
		return nil, errors.New("grid: universe has no symbol: list symbols or write all-history")
	}
	return g, nil
}

// readUniverse reads universe: all-history, or symbols as a list or
// separated by commas (upper-cased, repeats dropped, sorted).
func (g *BookGrid) readUniverse(v *yaml.Node) error {
	var texts []string
	switch v.Kind {
	case yaml.ScalarNode:
		if strings.EqualFold(strings.TrimSpace(v.Value), AllHistory) {
			g.AllHistory = true
			return nil
		}
		texts = strings.Split(v.Value, ",")
	case yaml.SequenceNode:
		for _, c := range v.Content {
			if c.Kind != yaml.ScalarNode {
				return errors.New("a list of symbols holds scalars only")
			}
			texts = append(texts, c.Value)
		}
	default:
		return fmt.Errorf("want symbols or %s", AllHistory)
	}
	for _, t := range texts {
		sym := strings.ToUpper(strings.TrimSpace(t))
		if sym == "" {
			continue
		}
		if strings.EqualFold(sym, AllHistory) {
			return fmt.Errorf("%s stands alone, not in a list of symbols", AllHistory)
		}
		if err := data.ValidateSymbol(sym); err != nil {
			return err
		}
		g.Universe = append(g.Universe, sym)
	}
	slices.Sort(g.Universe)
	g.Universe = slices.Compact(g.Universe)
	return nil
}

// universeName is the universe as results and ids write it.
func (g *BookGrid) universeName() string {
	if g.AllHistory {
		return AllHistory
	}
	return strings.Join(g.Universe, ",")
}

// axes are the grid's fields in BookParamNames order, unset ones holding
// their default.
func (g *BookGrid) axes() []Axis {
	defaults := map[string]string{"periods": "1h", "prices": sourceDefaults["prices"], "spot": sourceDefaults["spot"]}
	for _, b := range portfolio.BookParamTable() {
		defaults[b.Name] = b.Default()
	}
	for _, p := range strategy.ParamTable() {
		defaults[p.Name] = p.Default()
	}
	out := make([]Axis, len(BookParamNames))
	for i, name := range BookParamNames {
		if a := g.Axes[name]; len(a) > 0 {
			out[i] = a
		} else {
			out[i] = Axis{defaults[name]}
		}
	}
	return out
}
