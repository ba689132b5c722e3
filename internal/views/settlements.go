package views

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/shopspring/decimal"
)

// Settlement is one row of a backtest run's ledger.csv, in the shape of
// the settlement object of the funding API carry's answers are modelled
// on: every field a string (ids as decimal strings, amounts as decimal
// strings, settled_at RFC 3339).
type Settlement struct {
	ID         int    `json:"id,string"`
	Symbol     string `json:"symbol"`
	PositionID int    `json:"position_id,string"`
	// FundingRate is the exchange's rate as the ledger has it.
	FundingRate string `json:"funding_rate"`
	// PositionSize and Payment are computed by the backtest: rounded to
	// AmountPlaces decimals.
	PositionSize string    `json:"position_size"`
	Payment      string    `json:"payment"`
	SettledAt    time.Time `json:"settled_at"`
}

// ErrNoRun is wrapped when a run directory has no ledger.
var ErrNoRun = errors.New("no backtest run there (no ledger.csv)")

// Settlements reads a run's ledger, newest first, at most limit.
func Settlements(runDir string, limit int) ([]Settlement, error) {
	path := filepath.Join(runDir, "ledger.csv")
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%s: %w", runDir, ErrNoRun)
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	for _, need := range []string{"id", "symbol", "position_id", "funding_rate", "position_size", "payment", "settled_at"} {
		if _, ok := col[need]; !ok {
			return nil, fmt.Errorf("%s: no column %s: not a carry ledger", path, need)
		}
	}
	// Only the newest limit rows are kept: a ring, oldest overwritten.
	ring := make([]Settlement, 0, min(limit, 1024))
	line := 1
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		line++
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		id, err1 := strconv.Atoi(rec[col["id"]])
		pos, err2 := strconv.Atoi(rec[col["position_id"]])
		at, err3 := time.Parse(time.RFC3339, rec[col["settled_at"]])
		rate, err4 := decimal.NewFromString(rec[col["funding_rate"]])
		size, err5 := decimal.NewFromString(rec[col["position_size"]])
		payment, err6 := decimal.NewFromString(rec[col["payment"]])
		if err := errors.Join(err1, err2, err3, err4, err5, err6); err != nil {
			return nil, fmt.Errorf("%s line %d: %w", path, line, err)
		}
		s := Settlement{ID: id, Symbol: rec[col["symbol"]], PositionID: pos, FundingRate: rate.String(),
			PositionSize: size.Round(AmountPlaces).String(), Payment: payment.Round(AmountPlaces).String(), SettledAt: at}
		if len(ring) < limit {
			ring = append(ring, s)
		} else if limit > 0 {
			ring[(line-2)%limit] = s
		}
	}
	// Newest first: the ring's last written slot, backwards.
	out := make([]Settlement, 0, len(ring))
	for i := range ring {
		out = append(out, ring[((line-2-i)%len(ring)+len(ring))%len(ring)])
	}
	return out, nil
}
