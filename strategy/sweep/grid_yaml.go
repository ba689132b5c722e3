package sweep

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/carry-research/carry/strategy"
)

// gridFields are a Grid's own fields, which YAML decodes as a struct.
type gridFields Grid

// UnmarshalYAML reads the grid's own fields as a struct and each engine
// parameter's axis by its name in strategy.ParamTable; a field that is
// neither is refused as YAML's strict decoding refuses it.
func (g *Grid) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.MappingNode {
		return gridTypeError(n.Decode((*gridFields)(g))) // YAML's own error
	}
	table := strategy.ParamTable()
	isParam := func(name string) bool {
		return slices.ContainsFunc(table, func(p strategy.Param) bool { return p.Name == name })
	}
	own := &yaml.Node{Kind: yaml.MappingNode, Tag: n.Tag, Line: n.Line, Column: n.Column}
	g.Params = map[string]Axis{}
	var errs []string
	definedAt := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if line, ok := definedAt[k.Value]; ok {
			errs = append(errs, fmt.Sprintf("line %d: mapping key %#v already defined at line %d", k.Line, k.Value, line))
			continue
		}
		definedAt[k.Value] = k.Line
		switch k.Value {
		case "symbols", "periods", "contracts", "prices", "spot", "from", "to":
			own.Content = append(own.Content, k, v)
			continue
		}
		if !isParam(k.Value) {
			if slices.Contains(bookOnly(), k.Value) {
				// A book's field: the grid lacks universe: (book_grid.go).
				errs = append(errs, fmt.Sprintf("line %d: field %s is a portfolio parameter; a grid sweeps portfolios only with a universe: field", k.Line, k.Value))
				continue
			}
			errs = append(errs, fmt.Sprintf("line %d: field %s not found in type sweep.Grid", k.Line, k.Value))
			continue
		}
		var a Axis
		if err := v.Decode(&a); err != nil {
			return err
		}
		g.Params[k.Value] = a
	}
	if err := gridTypeError(own.Decode((*gridFields)(g))); err != nil {
		var te *yaml.TypeError
		if !errors.As(err, &te) {
			return err
		}
		errs = append(errs, te.Errors...)
	}
	if len(errs) > 0 {
		return &yaml.TypeError{Errors: errs}
	}
	return nil
}

// gridTypeError names the type YAML could not decode into as the file's:
// sweep.Grid.
func gridTypeError(err error) error {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return err
	}
	named := &yaml.TypeError{}
	for _, e := range te.Errors {
		named.Errors = append(named.Errors, strings.ReplaceAll(e, "sweep.gridFields", "sweep.Grid"))
	}
	return named
}
