package binance

import "time"

// sendWindow paces a limit counted over a rolling window that no header
// reports (fundingRate and fundingInfo's 500 per 5 minutes) on carry's own
// log of send times: a request may go when fewer than allow sends lie in
// the trailing window, else when the oldest of those that must leave has
// left. A token bucket has to keep its burst plus rate × window under the
// limit for every alignment, and so spends most of a window's allowance
// slowly; the log spends it at once and is still exact.
type sendWindow struct {
	limit  int // the documented limit, or one read from the exchange
	margin int // kept free of limit: for requests the exchange counts that we did not see
	window time.Duration
	// slack lengthens the window we count over: the exchange counts
	// arrivals, which latency jitter can bring closer together than sends.
	slack time.Duration
	// learnt is a lower limit a 429 revealed (0: none): see learn.
	learnt int
	// allow is how many sends the trailing window may hold now: the
	// limit less the margin, halved by unexplained 429s.
	allow int
	sent  []time.Time // ascending, only those still in the window
}

func newSendWindow(limit, margin int, window time.Duration) *sendWindow {
	if margin <= 0 {
		margin = max(1, limit/20)
	}
	w := &sendWindow{limit: limit, margin: margin, window: window, slack: window / 100}
	w.allow = w.full()
	return w
}

// full is the allowance before any halving: the limit in force less the
// margin, scaled to it when the limit was learnt.
func (w *sendWindow) full() int {
	if w.learnt > 0 {
		return max(1, w.learnt-max(1, (w.learnt*w.margin+w.limit-1)/w.limit))
	}
	return max(1, w.limit-w.margin)
}

// halve sets the allowance to full halved n times, not below a twentieth
// of the limit. A learnt limit is known, and is never halved.
func (w *sendWindow) halve(n int) {
	full := w.full()
	if w.learnt > 0 {
		w.allow = full
		return
	}
	w.allow = max(full>>n, min(full, max(1, w.limit/20)))
}

// prune drops the sends that have left the window at now.
func (w *sendWindow) prune(now time.Time) {
	cut := now.Add(-w.window - w.slack)
	i := 0
	for i < len(w.sent) && !w.sent[i].After(cut) {
		i++
	}
	w.sent = w.sent[i:]
}

// wait is how long from now until a request may be sent: zero when fewer
// than allow sends lie in the window.
func (w *sendWindow) wait(now time.Time) time.Duration {
	w.prune(now)
	n := len(w.sent)
	if n < w.allow {
		return 0
	}
	// Sends 0 … n−allow must leave for the window to hold allow−1.
	return w.sent[n-w.allow].Add(w.window + w.slack).Sub(now)
}

// record logs a send at now (never before the last one: the caller holds
// the limiter's lock and reads the clock under it).
func (w *sendWindow) record(now time.Time) { w.sent = append(w.sent, now) }

// inWindow counts the sends in the trailing window at now.
func (w *sendWindow) inWindow(now time.Time) int {
	w.prune(now)
	return len(w.sent)
}

// learn takes a 429 answering a send of this window, while the weight
// pool had room under its stated limit, as the exchange's word that its limit is lower than the
// one in force: it refused while our log held n sends (that one included),
// so it allows at most n−1 (fewer if another client of the IP shares it).
// Only a count of at least half the allowance is believed: fewer is no
// limit of this kind (the caller backs off instead). It reports whether
// the limit was learnt.
func (w *sendWindow) learn(now time.Time) bool {
	n := w.inWindow(now) - 1
	if n < w.full()/2 || n >= w.limitInForce() {
		return false
	}
	w.learnt = max(n, max(1, w.limit/20))
	w.allow = w.full()
	return true
}

func (w *sendWindow) limitInForce() int {
	if w.learnt > 0 {
		return w.learnt
	}
	return w.limit
}
