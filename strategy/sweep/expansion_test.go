package sweep

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// Grids whose lazy expansion must equal the old eager one: duplicates by
// rule, by equal canonical values (0.0001 = 0.00010, 7d = 168h, btcusdt =
// BTCUSDT) and by repeated values; combinations refused for every reason
// the old expansion met, in every field order.
var equivalenceGrids = map[string]string{
	"test grid": testGrid,
	"kill grid": killGrid,
	"equal values": `
symbols: [btcusdt, BTCUSDT]
contracts: [perpetual, PERPETUAL]
slippage: [0.0001, 0.00010, 0.0005]
max_hold: [null, 7d, 168h]
funding_enter: [null, 0.05, 0.050]
funding_exit: [0, 0.00, 0.02]
risk_free: [0, 0.0]
`,
	"refused when read": `
symbols: [BTCUSDT, "BTC-USDT"]
periods: [1h, 7x]
leverage: [1, abc]
funding_lookback: [3, x]
funding_enter: [0.10, null, oops]
funding_exit: [0.05, null, nope]
max_hold: [null, soon, 0h]
risk_free: [0, bad]
`,
	"refused by the engine": `
symbols: [BTCUSDT]
from: 2026-08-01
to: 2026-09-01T00:00:00Z
leverage: [1, 300]
maintenance: [0.004, 0.6]
rebalance_below: [0, 0.003]
on_delivery: [flat, hold]
funding_lookback: [3, 0]
funding_enter: [0.10, null]
funding_exit: [0.05, null, 0.2]
basis_enter: [null, 0.1]
basis_exit: [0.2, 0, null]
`,
	"ranges and window": `
symbols: [ETHUSDT]
contracts: [PERPETUAL, CURRENT_QUARTER]
from: 2026-06-01
capital: {from: 1000, to: 3000, step: 1000}
spot_fee: {from: 0.0005, to: 0.0015, step: 0.0005}
perp_fee: [0.0002, 0.0005]
funding_enter: {from: 0, to: 0.2, step: 0.05}
funding_exit: {from: -0.05, to: 0.1, step: 0.05}
`,
}

func plan(t *testing.T, text string) (Expansion, eagerExpansion) {
	t.Helper()
	g, err := ParseGrid([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	lazy, err := g.Plan(context.Background(), end)
	if err != nil {
		t.Fatal(err)
	}
	eager, err := eagerExpand(g)
	if err != nil {
		t.Fatal(err)
	}
	return lazy, eager
}

// TestExpansionByIndexEqualsEagerExpansion holds the lazy expansion to the
// old eager one: the same combinations (index, id, values, spec,
// parameters) in the same order, the same counts of refused and duplicate
// combinations and the same reasons; At and the shards agree with it.
func TestExpansionByIndexEqualsEagerExpansion(t *testing.T) {
	for name, text := range equivalenceGrids {
		t.Run(name, func(t *testing.T) {
			lazy, eager := plan(t, text)
			if lazy.Len() != len(eager.Combinations) || lazy.Invalid != eager.Invalid || lazy.Duplicates != eager.Duplicates {
				t.Fatalf("lazy: %d combinations, %d invalid, %d duplicates; eager: %d, %d, %d",
					lazy.Len(), lazy.Invalid, lazy.Duplicates, len(eager.Combinations), eager.Invalid, eager.Duplicates)
			}
			if !reflect.DeepEqual(lazy.Reasons, eager.Reasons) {
				t.Errorf("reasons:\nlazy  %v\neager %v", lazy.Reasons, eager.Reasons)
			}
			var got []Combination
			if err := lazy.Each(context.Background(), 0, 1, func(c Combination) error { got = append(got, c); return nil }); err != nil {
				t.Fatal(err)
			}
			for i, want := range eager.Combinations {
				if !reflect.DeepEqual(got[i], want) {
					t.Fatalf("combination %d:\nlazy  %+v\neager %+v", i, got[i], want)
				}
			}
			for f, p := range ParamNames {
				var want []string
				for _, c := range eager.Combinations {
					if !slices.Contains(want, c.Values[p]) {
						want = append(want, c.Values[p])
					}
				}
				if !slices.Equal(lazy.values(f), want) {
					t.Errorf("%s values %q, want %q (first occurrence order)", p, lazy.values(f), want)
				}
			}
			for _, i := range []int{0, len(got) / 3, len(got) / 2, len(got) - 1} {
				if len(got) == 0 {
					break
				}
				c, err := lazy.At(context.Background(), i)
				if err != nil || !reflect.DeepEqual(c, eager.Combinations[i]) {
					t.Errorf("At(%d) = %+v, %v", i, c.ID, err)
				}
			}
			const shards = 3
			for s := range shards {
				var ids []string
				lazy.Each(context.Background(), s, shards, func(c Combination) error { ids = append(ids, c.ID); return nil })
				var want []string
				for _, c := range eager.Combinations {
					if c.Index%shards == s {
						want = append(want, c.ID)
					}
				}
				if !slices.Equal(ids, want) {
					t.Errorf("shard %d/%d: %d ids, want %d", s, shards, len(ids), len(want))
				}
			}
		})
	}
	// The refused grids meet every reason the old expansion gave.
	for _, name := range []string{"refused when read", "refused by the engine"} {
		lazy, _ := plan(t, equivalenceGrids[name])
		if lazy.Len() == 0 || len(lazy.Reasons) < 7 {
			t.Errorf("%s: %d combinations, %d reasons %v", name, lazy.Len(), len(lazy.Reasons), lazy.Reasons)
		}
	}
}

// TestDuplicatesCountedWithoutWalkingThem: a grid near the cap whose rule
// is off lists one combination per exit value, all but one duplicates;
// they are counted arithmetically, not walked.
func TestDuplicatesCountedWithoutWalkingThem(t *testing.T) {
	text := "symbols: [BTCUSDT]\nfunding_exit: {from: 0, to: 0.9999, step: 0.0001}\nslippage: {from: 0.0001, to: 0.049, step: 0.0001}\n"
	g, _ := ParseGrid([]byte(text))
	ex, err := g.Plan(context.Background(), end)
	if err != nil {
		t.Fatal(err)
	}
	// 10,000 exits × 490 slippages; the rule is off, so one combination
	// per slippage.
	if ex.Len() != 490 || ex.Duplicates != 10_000*490-490 || ex.Invalid != 0 || ex.space.size != 490 {
		t.Errorf("%d combinations, %d duplicates, %d invalid, %d positions walked", ex.Len(), ex.Duplicates, ex.Invalid, ex.space.size)
	}
	for i := range 12 { // 10,000 × 502
		g.Params["slippage"] = append(g.Params["slippage"], fmt.Sprintf("0.06%02d", i))
	}
	if _, err := g.Plan(context.Background(), end); err == nil || !strings.Contains(err.Error(), "more than 5,000,000 combinations") {
		t.Errorf("a grid over the cap: %v", err)
	}
}

// countdownContext is cancelled once its Err has been asked n times: a
// walk stops after a known amount of work, with no clock involved.
type countdownContext struct {
	context.Context
	left, afterCancel atomic.Int64
}

func newCountdown(n int64) *countdownContext {
	c := &countdownContext{Context: context.Background()}
	c.left.Store(n)
	return c
}

func (c *countdownContext) Err() error {
	if c.left.Add(-1) < 0 {
		c.afterCancel.Add(1)
		return context.Canceled
	}
	return nil
}

// nearCapGrid lists 4,900,000 combinations, all distinct.
const nearCapGrid = "symbols: [BTCUSDT, ETHUSDT]\nleverage: {from: 1, to: 7, step: 1}\n" +
	"funding_enter: [0.02, 0.04, 0.06, 0.08, 0.10, 0.12, 0.14, 0.16, 0.18, 0.20]\n" +
	"funding_exit: {from: -0.02, to: 0.10, step: 0.02}\nslippage: {from: 0.00001, to: 0.05, step: 0.00001}\n"

// TestCancelledExpansionStopsWithinBoundedSteps: counting a grid near the
// cap stops once its context is cancelled, each worker at its next look
// (every checkEvery positions), and returns context.Canceled and nothing
// else.
func TestCancelledExpansionStopsWithinBoundedSteps(t *testing.T) {
	g, err := ParseGrid([]byte(nearCapGrid))
	if err != nil {
		t.Fatal(err)
	}
	ctx := newCountdown(20)
	ex, err := g.Plan(ctx, end)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if ex.Len() != 0 || ex.Combinations != nil || ex.space != nil {
		t.Errorf("a cancelled count returned an expansion of %d combinations", ex.Len())
	}
	// Each worker looks once more, sees the cancellation and stops; the
	// pool looks once per worker before taking a chunk.
	if n := ctx.afterCancel.Load(); n > 4*int64(runtime.GOMAXPROCS(0)) {
		t.Errorf("the context was asked %d times after its cancellation", n)
	}
	// The same grid counts in full (on one worker's share of the chunks
	// it would take seconds: only the arithmetic is checked here).
	if s := newSpace(g.axes(), time.Time{}, time.Time{}); s.size != 4_900_000 {
		t.Errorf("%d positions, want 4,900,000", s.size)
	}
}
