package api

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/carry-research/carry/internal/views"
)

// TestAnswersAreWhatEncodingJSONWrites: the answers assembled from the
// cache's encoded views are byte for byte what json.Marshal writes for the
// views read from the lake.
func TestAnswersAreWhatEncodingJSONWrites(t *testing.T) {
	l, reports := testLake(t)
	h := New(l, reports, nil, WithClock(clock))
	check := func(url string, want any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(want)
		if status, _, body := get(t, h, "GET", url); status != 200 || string(body) != string(b)+"\n" {
			t.Errorf("%s: %d\n%s\nwant\n%s", url, status, body, b)
		}
	}
	rates, err := views.Rates(l, clock())
	check("/api/v1/funding-rates", map[string]any{"rates": rates}, err)
	rate, err := views.RateOf(l, "BTCUSDT", clock())
	check("/api/v1/funding-rates/BTCUSDT", rate, err)
	tbl, err := views.Basis(l, clock())
	check("/api/v1/futures/basis", tbl.Answer(), err)
	for _, n := range []int{1, 2, 3, 1000} {
		events, err := views.History(l, "BTCUSDT", n)
		check(fmt.Sprintf("/api/v1/funding-rates/BTCUSDT/history?limit=%d", n), map[string]any{"symbol": "BTCUSDT", "rates": events}, err)
	}
}
