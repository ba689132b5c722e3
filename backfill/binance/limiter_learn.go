package binance

import (
	"net/http"
	"strconv"
	"time"

	"golang.org/x/time/rate"
)

// calm is how long without a 429 undoes one halving of the rates, and ends
// the one-request-at-a-time sending a 429 starts.
const calm = time.Minute

// maxHalvings reaches the rates' floor of 1/20 of the limit (2^5 = 32 > 20);
// more would only make the way back longer.
const maxHalvings = 5

// done ends a send: it learns from the answer (nil when none came), frees
// the send slot, and reports a ban that began.
func (l *Limiter) done(t turn, resp *http.Response) {
	var ban time.Time
	l.mu.Lock()
	if resp != nil {
		ban = l.learnLocked(time.Now(), t, resp)
	}
	l.releaseSlotLocked()
	l.mu.Unlock()
	if !ban.IsZero() && l.onBan != nil {
		l.onBan(ban)
	}
}

// learnLocked updates the limiter from an answer. It returns the ban's end
// when the answer started or lengthened one, zero otherwise.
func (l *Limiter) learnLocked(now time.Time, t turn, resp *http.Response) (ban time.Time) {
	switch resp.StatusCode {
	case http.StatusTeapot:
		until := now.Add(retryAfter(resp, 2*time.Minute))
		if !until.After(l.bannedUntil) {
			return time.Time{}
		}
		l.bannedUntil = until
		broadcast(&l.holdBegan)
		l.logger.Error("Binance banned this IP (HTTP 418); no more requests until the ban ends", "until", until.UTC().Format(time.RFC3339))
		return until
	case http.StatusTooManyRequests:
		d := retryAfter(resp, time.Second)
		l.holdLocked(now.Add(d))
		l.oneAtATimeUntil = now.Add(calm)
		l.recoverAt = now.Add(calm)
		if t.backoffs < l.backoffs {
			// Sent before the current back-off began: the same event.
			l.logger.Debug("a request already on its way was answered 429 too", "retry_after", d)
			return time.Time{}
		}
		l.backoffs++
		switch l.explainLocked(now, t, resp) {
		case fundingLimitLearnt:
			l.logger.Warn("rate limited (HTTP 429) on a funding request with request weight to spare: the exchange allows fewer funding requests than documented; keeping to that for the rest of the run",
				"retry_after", d, "funding_limit", l.funding.learnt, "per", l.limits.FundingWindow)
		case statedWeightLimit:
			l.logger.Warn("rate limited (HTTP 429) although the request weight stayed within the limit exchangeInfo stated (another client on this IP?): holding requests, then one at a time, at full rate",
				"retry_after", d)
		default:
			l.halvings = min(l.halvings+1, maxHalvings)
			l.setRatesLocked(now)
			l.logger.Warn("rate limited (HTTP 429): holding requests, then one at a time at reduced rates", "retry_after", d, "slowdowns", l.backoffs)
		}
		return time.Time{}
	}
	if p := t.pool; p != nil && p.limit > 0 {
		used, err := strconv.Atoi(resp.Header.Get("X-MBX-USED-WEIGHT-1m"))
		if err == nil && used >= p.holdAt(l.limits.InFlight) {
			// Resume a fiftieth of a window after our clock's boundary: the
			// exchange's clock may run a little behind ours.
			next := now.Truncate(l.limits.WeightWindow).Add(l.limits.WeightWindow + l.limits.WeightWindow/50)
			if next.After(p.holdUntil) {
				p.holdUntil = next
				broadcast(&l.holdBegan)
			}
			l.logger.Debug("request weight near the limit: holding until the next window", "used_weight", used, "limit", p.limit, "until", next)
		}
	}
	return time.Time{}
}

// holdLocked holds every request not yet sent until until, waking those
// waiting for their tokens so that they wait for the hold instead.
func (l *Limiter) holdLocked(until time.Time) {
	if until.After(l.holdUntil) {
		l.holdUntil = until
		broadcast(&l.holdBegan)
	}
}

// recoverLocked undoes one halving of the rates for each calm period that
// has passed without a 429.
func (l *Limiter) recoverLocked(now time.Time) {
	if l.halvings == 0 || now.Before(l.recoverAt) {
		return
	}
	for l.halvings > 0 && !now.Before(l.recoverAt) {
		l.halvings--
		l.recoverAt = l.recoverAt.Add(calm)
	}
	l.setRatesLocked(now)
	l.logger.Info("no 429 for a while: rates raised again", "halvings", l.halvings)
}

// setRatesLocked sets every bucket to its rate halved l.halvings times,
// but not below 1/20 of its limit, and the funding window's allowance
// likewise. Limits that are known — stated by exchangeInfo, or learnt
// from a 429 — are not halved: the rates are for limits only assumed.
func (l *Limiter) setRatesLocked(now time.Time) {
	scale := float64(int(1) << l.halvings)
	for _, p := range l.pools {
		if p.stated {
			p.bucket.SetLimitAt(now, p.rate)
			continue
		}
		floor := rate.Limit(float64(p.limit) / 20 / l.limits.WeightWindow.Seconds())
		p.bucket.SetLimitAt(now, max(p.rate/rate.Limit(scale), min(floor, p.rate)))
	}
	l.funding.halve(l.halvings)
}

// explanation is what a 429 is taken to mean.
type explanation int

const (
	unexplained        explanation = iota
	fundingLimitLearnt             // the funding window's limit is lower than assumed
	statedWeightLimit              // the weight pool was within a limit exchangeInfo stated
)

// explainLocked reads a 429 (the first of a back-off). The answer's
// X-MBX-USED-WEIGHT-1m tells whether the weight pool had room, when its
// limit is the stated one (an assumed limit may be higher than the
// exchange's, and "room" then means nothing): a funding request refused
// with room was refused by the funding limit, which the log then
// measures; a request of any other kind was not over the weight limit,
// so halving the rate would only slow the run. Anything else is
// unexplained: the assumed rates are halved, as before.
func (l *Limiter) explainLocked(now time.Time, t turn, resp *http.Response) explanation {
	p := t.pool
	used, err := strconv.Atoi(resp.Header.Get("X-MBX-USED-WEIGHT-1m"))
	if err != nil || p == nil || p.limit <= 0 || used >= p.holdAt(l.limits.InFlight) {
		return unexplained
	}
	if t.funding && p.stated && l.funding.learn(now) {
		return fundingLimitLearnt
	}
	if p.stated {
		return statedWeightLimit
	}
	return unexplained
}
