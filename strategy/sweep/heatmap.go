package sweep

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/stat"
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
// (or the median) of the combinations with that x and y; metricOf is each
// combination's metric by index (NaN: null), placed on the grid by g.
func (a *Analysis) heatmap(g *layout, x, y string, metricOf []float64, better func(a, b float64) bool, o AnalysisOptions) error {
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
	xs, ys := g.s.values[fx], g.s.values[fy]
	z := make([][]float64, len(ys))
	for r := range z {
		z[r] = make([]float64, len(xs))
		for c := range z[r] {
			z[r][c] = math.NaN()
		}
	}
	if o.Aggregate != "median" {
		// The best of a cell is folded as the combinations come: no cell
		// holds its values.
		g.each(func(i, p int) {
			m := metricOf[i]
			if math.IsNaN(m) {
				return
			}
			if v := &z[g.valueAt(p, fy)][g.valueAt(p, fx)]; math.IsNaN(*v) || better(m, *v) {
				*v = m
			}
		})
	} else {
		cells := map[[2]int32][]float64{}
		g.each(func(i, p int) {
			if m := metricOf[i]; !math.IsNaN(m) {
				c := [2]int32{g.valueAt(p, fx), g.valueAt(p, fy)}
				cells[c] = append(cells[c], m)
			}
		})
		for c, vs := range cells {
			slices.Sort(vs)
			z[c[1]][c[0]] = stat.Quantile(0.5, stat.LinInterp, vs, nil)
		}
	}
	a.Heatmap = &Heatmap{Metric: a.Metric, X: x, Y: y, XValues: xs, YValues: ys, Z: z, Aggregate: o.Aggregate}
	return nil
}

// positions maps each value to its position in vs.
func positions(vs []string) map[string]int {
	m := make(map[string]int, len(vs))
	for i, v := range vs {
		m[v] = i
	}
	return m
}

// VaryingParams are the grid parameters with more than one value among
// the combinations, in ParamNames order: the axes a heatmap can take.
func VaryingParams(ex Expansion) []string {
	var out []string
	if ex.space == nil {
		return nil
	}
	for f, n := range ParamNames {
		if len(ex.values(f)) > 1 {
			out = append(out, n)
		}
	}
	return out
}
