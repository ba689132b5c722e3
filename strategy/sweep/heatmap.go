package sweep

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sort"

	"gonum.org/v1/gonum/stat"

	"github.com/carry-research/carry/strategy"
)

// heatAxes are the heatmap's parameters: the options', else the first two
// that vary among the combinations; "" when nothing varies enough.
func heatAxes(ex Expansion, o AnalysisOptions) (x, y string) {
	var varying []string
	for f, n := range ParamNames {
		if len(ex.values(f)) > 1 {
			varying = append(varying, n)
		}
	}
	x, y = o.HeatX, o.HeatY
	if x == "" && len(varying) > 0 {
		x = varying[0]
	}
	if y == "" && len(varying) > 1 {
		y = varying[1]
	}
	return x, y
}

// Heatmap is a metric over two grid parameters: each cell the best (or the
// median) of the combinations with that pair of values.
type Heatmap struct {
	Metric    string
	X, Y      string   // grid parameters
	XValues   []string // X's values, in grid order
	YValues   []string
	Z         [][]float64 // Z[y][x]; NaN where no combination has a value
	Aggregate string      // "best" or "median" over the other parameters
}

// heatmap computes the metric over parameters x and y, each cell the best
// (or the median) of the rows with that x and y.
func (a *Analysis) heatmap(ctx context.Context, ex Expansion, x, y string, rows []indexedMetric, better func(a, b float64) bool, o AnalysisOptions) error {
	if x == "" || y == "" {
		return nil // nothing varies in two dimensions
	}
	for _, p := range []string{x, y} {
		if _, ok := columnOf[p]; !ok {
			return fmt.Errorf("heatmap axis %q: want a grid parameter (%v)", p, ParamNames)
		}
	}
	a.HeatX, a.HeatY = x, y
	fx, fy := slices.Index(ParamNames, x), slices.Index(ParamNames, y)
	xs, ys := ex.values(fx), ex.values(fy)
	cellOf, err := heatCells(ctx, ex.space, rows, fx, fy)
	if err != nil {
		return fmt.Errorf("placing the rows on the heatmap: %w", err)
	}
	z := make([][]float64, len(ys))
	for r := range z {
		z[r] = make([]float64, len(xs))
		for c := range z[r] {
			z[r][c] = math.NaN()
		}
	}
	if o.Aggregate != "median" {
		// The best of a cell is folded as the rows come: no cell holds its
		// values (a row costs the heatmap 8 bytes beside its metric).
		for k, r := range rows {
			c := cellOf[k]
			if v := &z[c[1]][c[0]]; math.IsNaN(*v) || better(r.metric, *v) {
				*v = r.metric
			}
		}
	} else {
		cells := map[[2]int32][]float64{}
		for k, r := range rows {
			cells[cellOf[k]] = append(cells[cellOf[k]], r.metric)
		}
		for c, vs := range cells {
			slices.Sort(vs)
			z[c[1]][c[0]] = stat.Quantile(0.5, stat.LinInterp, vs, nil)
		}
	}
	a.Heatmap = &Heatmap{Metric: a.Metric, X: x, Y: y, XValues: xs, YValues: ys, Z: z, Aggregate: o.Aggregate}
	return nil
}

// heatCells finds each row's cell — the positions of its combination's
// values of fields fx and fy among their values — walking the grid's chunks
// on all cores, each chunk with the rows whose index falls in it.
func heatCells(ctx context.Context, s *space, rows []indexedMetric, fx, fy int) ([][2]int32, error) {
	xi, yi := positions(s.values[fx]), positions(s.values[fy])
	byIndex := make([]int32, len(rows)) // rows in index order
	for k := range byIndex {
		byIndex[k] = int32(k)
		if i := rows[k].index; i < 0 || i >= s.count {
			return nil, fmt.Errorf("row for combination %d: the grid has %d", i, s.count)
		}
	}
	slices.SortStableFunc(byIndex, func(a, b int32) int { return rows[a].index - rows[b].index })
	cellOf := make([][2]int32, len(rows))
	err := forEachChunk(ctx, s.chunks(), runtime.GOMAXPROCS(0), nil, func(ctx context.Context, _, c int) error {
		j := sort.Search(len(byIndex), func(j int) bool { return rows[byIndex[j]].index >= s.chunkFirst[c] })
		if j == len(byIndex) || rows[byIndex[j]].index >= s.chunkFirst[c+1] {
			return nil // no row in this chunk
		}
		err := s.walk(ctx, c, func(index int, _ []int, t *tuple, _ *strategy.Params) error {
			for ; j < len(byIndex) && rows[byIndex[j]].index == index; j++ {
				cellOf[byIndex[j]] = [2]int32{int32(xi[t[fx].canon]), int32(yi[t[fy].canon])}
			}
			if j == len(byIndex) || rows[byIndex[j]].index >= s.chunkFirst[c+1] {
				return errFound // the chunk's rows are placed
			}
			return nil
		})
		if err == errFound {
			return nil
		}
		return err
	})
	return cellOf, err
}

// positions maps each value to its position in vs.
func positions(vs []string) map[string]int {
	m := make(map[string]int, len(vs))
	for i, v := range vs {
		m[v] = i
	}
	return m
}
