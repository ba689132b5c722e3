package sim

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/carry-research/carry/backfill/binancesim"
	"github.com/carry-research/carry/data"
)

// Exchange is a simulated market served as Binance serves it: the REST API
// and the public archive (data.binance.vision), both on one handler — the
// archive's paths all start with /data/, which REST has none of — so one
// base URL is at once --base-url, --spot-base-url and --archive-url.
type Exchange struct {
	Config  Config
	Market  *binancesim.Market
	REST    *binancesim.Server
	Archive *binancesim.Archive
}

// NewExchange generates the market and publishes its klines (all but the
// continuous ones, which the real archive lacks too) and funding in the
// archive. Both clocks stop at End: the archive then holds every month
// published by End — monthly files until the month before last, daily
// files since — and REST the rest, so a backfill with --source auto takes
// whole months from the archive and the last days from REST.
func NewExchange(c Config) (*Exchange, error) {
	m := Market(c)
	now := func() time.Time { return c.End }
	rest := binancesim.NewUnstarted(m, binancesim.Options{Now: now, BasisRetention: time.Duration(c.Days+1) * 24 * time.Hour})
	arch := binancesim.NewArchive(binancesim.ArchiveOptions{Now: now})
	end := c.End.UTC()
	dailyFrom := time.Date(end.Year(), end.Month()-1, 1, 0, 0, 0, 0, time.UTC)
	// Zipping the files takes time: the series are published at once.
	var keys []data.KlineKey
	for _, p := range c.Pairs {
		for _, k := range KlineKeys(p.Symbol) {
			if k.Kind != data.KlineContinuous {
				keys = append(keys, k)
			}
		}
	}
	for _, p := range c.UniversePairs {
		keys = append(keys, universeKeys(p.Symbol)...)
	}
	pairs := append(c.Pairs[:len(c.Pairs):len(c.Pairs)], c.UniversePairs...)
	errs := make([]error, len(keys))
	inParallel(len(keys)+len(pairs), func(i int) {
		if i >= len(keys) {
			p := pairs[i-len(keys)]
			arch.PublishFunding(m, p.Symbol, p.IntervalHours)
			return
		}
		if _, err := arch.PublishKlines(m, keys[i], dailyFrom); err != nil {
			errs[i] = fmt.Errorf("publishing the simulated market's archive: %w", err)
		}
	})
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return &Exchange{Config: c, Market: m, REST: rest, Archive: arch}, nil
}

// ServeHTTP answers the archive's paths from the archive and the rest
// from REST.
func (e *Exchange) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if isArchivePath(r.URL.Path) {
		e.Archive.ServeHTTP(w, r)
		return
	}
	e.REST.ServeHTTP(w, r)
}

func isArchivePath(p string) bool { return strings.HasPrefix(p, "/data/") }

// Transport calls the exchange in-process, without a listener.
func (e *Exchange) Transport() http.RoundTripper { return inProcess{e} }

type inProcess struct{ e *Exchange }

func (t inProcess) RoundTrip(req *http.Request) (*http.Response, error) {
	if !isArchivePath(req.URL.Path) {
		return t.e.REST.Transport().RoundTrip(req)
	}
	if err := req.Context().Err(); err != nil {
		return nil, err
	}
	rec := httptest.NewRecorder()
	t.e.Archive.ServeHTTP(rec, req)
	res := rec.Result()
	res.Request = req
	return res, nil
}
