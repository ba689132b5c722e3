package sweep

import (
	"net/http"
	"time"

	"github.com/carry-research/carry/backfill/binancetest"
	"github.com/carry-research/carry/internal/sim"
)

func simServer(c sim.Config) http.RoundTripper {
	srv := binancetest.NewUnstarted(sim.Market(c), binancetest.Options{Now: func() time.Time { return c.End }, BasisRetention: time.Duration(c.Days+1) * 24 * time.Hour})
	return srv.Transport()
}
