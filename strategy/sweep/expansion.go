package sweep

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/strategy"
	"github.com/carry-research/carry/strategy/backtest"
)

// MaxCombinations is the most listed combinations (the product of the
// fields' value counts, refused and duplicate ones included) a grid may
// have: a sweep of that many runs, finalizes and is analyzed within 24 GiB
// (BENCHMARKS.md).
const MaxCombinations = 5_000_000

// Combination is one point of the grid.
type Combination struct {
	Index    int               // position in the grid's deterministic order
	ID       string            // hash of the parameters: stable across runs and shards
	Values   map[string]string // parameter → value ("" = off)
	Spec     backtest.Spec
	Params   strategy.Params
	RiskFree float64
}

// Expansion is a grid's combinations — computed on demand from their
// position in the grid, never all held — and what was left out.
type Expansion struct {
	// Combinations lists every combination. Only Expand fills it, for
	// small grids; sweeps walk the grid with Each.
	Combinations []Combination
	Invalid      int // combinations the engine refuses (e.g. exit above entry, 1/L ≤ m)
	Duplicates   int // combinations equal to an earlier one (a rule's exit with the rule off)
	Reasons      map[string]int

	space *space
}

// Plan reads the grid and counts its combinations in deterministic order
// (fields as ParamNames, each field's values as listed, the last field
// fastest) without holding them; cancelling ctx stops the count.
func (g *Grid) Plan(ctx context.Context, now time.Time) (Expansion, error) {
	var from, to time.Time
	var err error
	if g.From != "" {
		if from, err = data.ParseDate(g.From); err != nil {
			return Expansion{}, fmt.Errorf("grid from: %w", err)
		}
	}
	if g.To != "" {
		if to, err = data.ParseDate(g.To); err != nil {
			return Expansion{}, fmt.Errorf("grid to: %w", err)
		}
	}
	axes := g.axes()
	total := 1
	for i, a := range axes {
		if len(a) == 0 {
			return Expansion{}, fmt.Errorf("grid: %s has no values", ParamNames[i])
		}
		total *= len(a)
		if total > MaxCombinations {
			return Expansion{}, fmt.Errorf("grid: more than %s combinations (the product of the fields' value counts): split the grid into several sweeps", thousands(MaxCombinations))
		}
	}
	s := newSpace(axes, from, to)
	if err := s.countAll(ctx); err != nil {
		return Expansion{}, fmt.Errorf("counting the grid's combinations: %w", err)
	}
	return Expansion{Invalid: s.invalid, Duplicates: s.duplicates, Reasons: s.reasons, space: s}, nil
}

// Expand is Plan with every combination listed in Combinations: for small
// grids (each combination holds about 1 KB).
func (g *Grid) Expand(now time.Time) (Expansion, error) {
	ex, err := g.Plan(context.Background(), now)
	if err != nil {
		return ex, err
	}
	ex.Combinations = make([]Combination, 0, ex.Len())
	err = ex.Each(context.Background(), 0, 1, func(c Combination) error {
		ex.Combinations = append(ex.Combinations, c)
		return nil
	})
	return ex, err
}

// Len is the number of combinations.
func (ex Expansion) Len() int {
	if ex.space == nil {
		return 0
	}
	return ex.space.count
}

// Each calls fn with the combinations whose index ≡ shard (mod shards), in
// order, building each when it is reached.
func (ex Expansion) Each(ctx context.Context, shard, shards int, fn func(Combination) error) error {
	s, err := ex.planned()
	if err != nil {
		return err
	}
	if shards < 1 || shard < 0 || shard >= shards {
		return fmt.Errorf("shard %d/%d: want 0 ≤ shard < shards", shard, shards)
	}
	for c := range s.chunks() {
		if err := s.walk(ctx, c, func(index int, _ []int, t *tuple, p *strategy.Params) error {
			if index%shards != shard {
				return nil
			}
			return fn(s.combination(t, p, index))
		}); err != nil {
			return err
		}
	}
	return nil
}

var errFound = errors.New("found")

// At builds the combination of the given index, walking only the chunk of
// the grid that holds it.
func (ex Expansion) At(ctx context.Context, index int) (Combination, error) {
	s, err := ex.planned()
	if err != nil {
		return Combination{}, err
	}
	if index < 0 || index >= s.count {
		return Combination{}, fmt.Errorf("combination %d: the grid has %d (0 to %d)", index, s.count, s.count-1)
	}
	c := sort.Search(s.chunks(), func(c int) bool { return s.chunkFirst[c+1] > index })
	var found Combination
	err = s.walk(ctx, c, func(i int, _ []int, t *tuple, p *strategy.Params) error {
		if i < index {
			return nil
		}
		found = s.combination(t, p, i)
		return errFound
	})
	if errors.Is(err, errFound) {
		return found, nil
	}
	if err == nil {
		err = fmt.Errorf("combination %d not found in its chunk", index)
	}
	return Combination{}, err
}

// values are parameter f's values among the combinations, in the order of
// their first occurrence.
func (ex Expansion) values(f int) []string { return ex.space.values[f] }

func (ex Expansion) planned() (*space, error) {
	if ex.space == nil {
		return nil, errors.New("sweep: an Expansion comes from Grid.Plan or Grid.Expand")
	}
	return ex.space, nil
}

// thousands writes n with comma separators: 5,000,000.
func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
