package sweep

import (
	"net/http"
	"time"

	"github.com/carry-research/carry/backfill/binancesim"
	"github.com/carry-research/carry/internal/sim"
)

func simServer(c sim.Config) http.RoundTripper {
	srv := binancesim.NewUnstarted(sim.Market(c), binancesim.Options{Now: func() time.Time { return c.End }, BasisRetention: time.Duration(c.Days+1) * 24 * time.Hour})
	return srv.Transport()
}
