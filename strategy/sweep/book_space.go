package sweep

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"time"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/strategy"
	"github.com/carry-research/carry/strategy/backtest"
	"github.com/carry-research/carry/strategy/portfolio"
)

// MaxBookCombinations is the most combinations a portfolio grid may
// have: each is a portfolio run (milliseconds to seconds), and the
// expansion holds each valid one's position (8 bytes).
const MaxBookCombinations = 1_000_000

// BookMarket is what a book grid's market fields choose: each distinct
// one loads its universe once.
type BookMarket struct {
	Period data.Period
	Prices backtest.PriceSource
	Spot   backtest.SpotSource
}

// BookCombination is one point of a portfolio grid.
type BookCombination struct {
	Index    int               // among the valid combinations, in grid order
	ID       string            // hash of the universe, the parameters and the window
	Values   map[string]string // field → canonical value ("" = off)
	Market   BookMarket
	Params   portfolio.Params
	RiskFree float64
}

// bookValue is one distinct value of a field, read.
type bookValue struct {
	canon  string
	book   portfolio.BookValue // a book parameter's
	pair   strategy.Value      // a pair parameter's
	period data.Period
	prices backtest.PriceSource
	spot   backtest.SpotSource
}

// BookExpansion is a portfolio grid's combinations, in mixed radix over
// BookParamNames (the last fastest), built on demand from their
// position; it holds the positions of the valid ones.
type BookExpansion struct {
	Invalid    int            // combinations portfolio.Params.Validate refuses
	Duplicates int            // listed values equal to an earlier one of their field (1d and 24h)
	Reasons    map[string]int // why combinations were refused

	grid     *BookGrid
	from, to time.Time
	window   string
	fields   [][]bookValue // per field, its distinct values
	size     int           // product of the fields' value counts
	perGroup int           // positions sharing one plan: the product after the decisions
	perMkt   int           // positions sharing one market
	valid    []int         // the valid combinations' positions, in order
}

// decisionFields is how many fields decide a plan: the market's and the
// book's decisions (BookParamTable lists them first).
func decisionFields() int {
	n := len(bookMarketNames())
	for _, b := range portfolio.BookParamTable() {
		if b.Decides {
			n++
		}
	}
	return n
}

// PlanBook reads a portfolio grid's values and lists its valid
// combinations. A value that does not read fails the grid, naming its
// field; combinations the model refuses (an inverse-vol book without a
// volatility window, 1/L ≤ m) are counted in Invalid.
func (g *BookGrid) PlanBook() (*BookExpansion, error) {
	ex := &BookExpansion{grid: g, Reasons: map[string]int{}}
	var err error
	if g.From != "" {
		if ex.from, err = data.ParseDate(g.From); err != nil {
			return nil, fmt.Errorf("grid from: %w", err)
		}
	}
	if g.To != "" {
		if ex.to, err = data.ParseDate(g.To); err != nil {
			return nil, fmt.Errorf("grid to: %w", err)
		}
	}
	if !ex.from.IsZero() && !ex.to.IsZero() && !ex.from.Before(ex.to) {
		return nil, fmt.Errorf("grid: from %s is not before to %s", g.From, g.To)
	}
	ex.window = "universe=" + g.universeName() + ";from=" + stamp(ex.from) + ";to=" + stamp(ex.to)
	listed := 1
	ex.size = 1
	for f, a := range g.axes() {
		vals, err := readBookField(BookParamNames[f], a)
		if err != nil {
			return nil, fmt.Errorf("grid: %w", err)
		}
		ex.fields = append(ex.fields, vals)
		listed *= len(a)
		ex.size *= len(vals)
		if listed > MaxBookCombinations {
			return nil, fmt.Errorf("grid: more than %s portfolio combinations: split the grid into several sweeps", thousands(MaxBookCombinations))
		}
	}
	ex.Duplicates = listed - ex.size
	ex.perGroup, ex.perMkt = 1, 1
	for f := range ex.fields {
		if f >= decisionFields() {
			ex.perGroup *= len(ex.fields[f])
		}
		if f >= len(bookMarketNames()) {
			ex.perMkt *= len(ex.fields[f])
		}
	}
	pos := make([]int, len(ex.fields))
	for at := range ex.size {
		ex.decode(at, pos)
		if _, _, err := ex.params(pos); err != nil {
			ex.Invalid++
			ex.Reasons[firstLine(err.Error())]++
			continue
		}
		ex.valid = append(ex.valid, at)
	}
	return ex, nil
}

// readBookField reads a field's values, keeping the first of each
// canonical form.
func readBookField(name string, a Axis) ([]bookValue, error) {
	var out []bookValue
	var seen []string
	for _, text := range a {
		v, err := readBookValue(name, text)
		if err != nil {
			return nil, err
		}
		if slices.Contains(seen, v.canon) {
			continue
		}
		seen = append(seen, v.canon)
		out = append(out, v)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s has no values", name)
	}
	return out, nil
}

func readBookValue(name, text string) (bookValue, error) {
	var v bookValue
	var err error
	switch name {
	case "periods":
		if v.period, err = data.ParsePeriod(text); err != nil {
			return v, fmt.Errorf("periods %q: %w", text, err)
		}
		v.canon = string(v.period)
		return v, nil
	case "prices":
		if v.prices, err = backtest.ParsePriceSource(text); err != nil {
			return v, fmt.Errorf("prices %q: %w", text, err)
		}
		v.canon = string(v.prices)
		return v, nil
	case "spot":
		if v.spot, err = backtest.ParseSpotSource(text); err != nil {
			return v, fmt.Errorf("spot %q: %w", text, err)
		}
		v.canon = string(v.spot)
		return v, nil
	}
	for _, b := range portfolio.BookParamTable() {
		if b.Name == name {
			if v.book, err = b.Read(text); err != nil {
				return v, err
			}
			v.canon = v.book.Canon
			return v, nil
		}
	}
	for _, p := range strategy.ParamTable() {
		if p.Name == name {
			if err := p.Check(text, strategy.FromGrid); err != nil {
				return v, err
			}
			if v.pair, err = p.Read(text, strategy.FromGrid); err != nil {
				return v, err
			}
			v.canon = v.pair.Canon
			return v, nil
		}
	}
	return v, fmt.Errorf("no field %s", name)
}

// Len is the number of valid combinations.
func (ex *BookExpansion) Len() int { return len(ex.valid) }

// decode sets pos to position at's value of each field.
func (ex *BookExpansion) decode(at int, pos []int) {
	for f := len(ex.fields) - 1; f >= 0; f-- {
		n := len(ex.fields[f])
		pos[f] = at % n
		at /= n
	}
}

// params builds the book's parameters, risk-free rate and market at pos,
// or says why the model refuses them.
func (ex *BookExpansion) params(pos []int) (portfolio.Params, BookMarket, error) {
	p := portfolio.DefaultParams()
	st := strategy.Settings{Params: p.Pair}
	var m BookMarket
	for f, k := range pos {
		v := ex.fields[f][k]
		switch BookParamNames[f] {
		case "periods":
			m.Period = v.period
		case "prices":
			m.Prices = v.prices
		case "spot":
			m.Spot = v.spot
		}
		v.book.Apply(&p)
		v.pair.Apply(&st)
	}
	p.Pair = st.Params
	if err := (backtest.Spec{Prices: m.Prices, Spot: m.Spot}).CheckSources(); err != nil {
		return p, m, err
	}
	return p, m, p.Validate()
}

// riskFree is the risk-free rate at pos.
func (ex *BookExpansion) riskFree(pos []int) float64 {
	st := strategy.Settings{}
	for f, k := range pos {
		ex.fields[f][k].pair.Apply(&st)
	}
	return st.RiskFree
}

// At builds the index-th valid combination.
func (ex *BookExpansion) At(index int) (BookCombination, error) {
	if index < 0 || index >= len(ex.valid) {
		return BookCombination{}, fmt.Errorf("combination %d: the grid has %d", index, len(ex.valid))
	}
	pos := make([]int, len(ex.fields))
	ex.decode(ex.valid[index], pos)
	p, m, err := ex.params(pos)
	if err != nil {
		return BookCombination{}, err
	}
	values := make(map[string]string, len(pos))
	for f, k := range pos {
		values[BookParamNames[f]] = ex.fields[f][k].canon
	}
	return BookCombination{Index: index, ID: ex.id(pos), Values: values, Market: m, Params: p, RiskFree: ex.riskFree(pos)}, nil
}

// Each calls fn with every valid combination in order.
func (ex *BookExpansion) Each(fn func(BookCombination) error) error {
	for i := range ex.valid {
		c, err := ex.At(i)
		if err != nil {
			return err
		}
		if err := fn(c); err != nil {
			return err
		}
	}
	return nil
}

// id is the first 8 bytes, in hex, of SHA-256 over "name=value;" of
// every field in BookParamNames order, then the universe and the window.
func (ex *BookExpansion) id(pos []int) string {
	buf := make([]byte, 0, 512)
	for f, k := range pos {
		buf = append(append(append(append(buf, BookParamNames[f]...), '='), ex.fields[f][k].canon...), ';')
	}
	sum := sha256.Sum256(append(buf, ex.window...))
	return hex.EncodeToString(sum[:8])
}

// group is the plan a valid combination's position shares with its
// neighbours: its market and decisions.
func (ex *BookExpansion) group(at int) int { return at / ex.perGroup }

// market is the market number of a position.
func (ex *BookExpansion) market(at int) int { return at / ex.perMkt }

// groups are the valid combinations' indexes by plan, in order: each
// group's runs share one portfolio.Plan and one portfolio.Prepared.
func (ex *BookExpansion) groups() [][2]int {
	var out [][2]int
	for i, at := range ex.valid {
		if i == 0 || ex.group(at) != ex.group(ex.valid[i-1]) {
			out = append(out, [2]int{i, i + 1})
		} else {
			out[len(out)-1][1] = i + 1
		}
	}
	return out
}

// varying are the fields with more than one value.
func (ex *BookExpansion) varying() []string {
	var out []string
	for f, vals := range ex.fields {
		if len(vals) > 1 {
			out = append(out, BookParamNames[f])
		}
	}
	return out
}
