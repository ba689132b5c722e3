package binance

import (
	"context"
	"fmt"
	"time"
)

// turn is a request's leave to be sent.
type turn struct {
	// backoffs is how many back-offs had begun when the request was sent:
	// a 429 answering a request sent before the latest one began belongs
	// to that back-off and does not slow the limiter again.
	backoffs int
	// pool is the weight pool the request counts against.
	pool *weightPool
	// funding: the request is in the funding window's log.
	funding bool
}

// admit waits until the request may be sent: no hold or ban, a free send
// slot, its tokens, and a place in the funding window if it needs one. A hold that begins during a wait sends it back to the
// start, and the hold and ban are checked once more after the last wait,
// immediately before the send. Only the context's end, or a ban, stops it.
func (l *Limiter) admit(ctx context.Context, p *weightPool, weight int, funding bool) (turn, error) {
	for {
		if err := l.takeSlot(ctx, p); err != nil {
			return turn{}, err
		}
		got, err := l.takeTokens(ctx, p, weight, funding)
		if err != nil {
			l.releaseSlot()
			return turn{}, err
		}
		if !got {
			l.releaseSlot()
			continue
		}
		l.mu.Lock()
		now := time.Now()
		if err := l.bannedLocked(now); err != nil {
			l.releaseSlotLocked()
			l.mu.Unlock()
			return turn{}, err
		}
		if now.Before(l.holdUntil) || now.Before(p.holdUntil) || (funding && l.funding.wait(now) > 0) {
			// A hold began, or another request took the funding window's
			// last place, after the tokens came: they are spent, which
			// only ever errs on the slow side.
			l.releaseSlotLocked()
			l.mu.Unlock()
			continue
		}
		if funding {
			// Logged under the same lock as the check: the log never
			// holds more than the allowance.
			l.funding.record(now)
		}
		t := turn{backoffs: l.backoffs, pool: p, funding: funding}
		l.mu.Unlock()
		return t, nil
	}
}

// takeSlot waits until no hold or ban is in force and a send slot is free
// (any number, but one at a time after a 429), and takes the slot.
func (l *Limiter) takeSlot(ctx context.Context, p *weightPool) error {
	for {
		l.mu.Lock()
		now := time.Now()
		l.recoverLocked(now)
		if err := l.bannedLocked(now); err != nil {
			l.mu.Unlock()
			return err
		}
		var wait time.Duration
		switch {
		case now.Before(l.holdUntil) || now.Before(p.holdUntil):
			until := l.holdUntil
			if p.holdUntil.After(until) {
				until = p.holdUntil
			}
			wait = until.Sub(now)
		case now.Before(l.oneAtATimeUntil) && l.inFlight > 0:
			wait = l.oneAtATimeUntil.Sub(now) // or until the send in flight ends
		default:
			l.inFlight++
			l.mu.Unlock()
			return nil
		}
		held, freed := l.holdBegan, l.slotFreed
		l.mu.Unlock()
		if _, err := sleep(ctx, wait, held, freed); err != nil {
			return err
		}
	}
}

// takeTokens waits for a place in the funding window (if the request
// needs one), then reserves the request's tokens and waits for them. It
// reports false, having given the tokens back, when a hold or ban began
// meanwhile. The funding place is taken only in admit, under the lock,
// right before the send: waiting for it first keeps weight tokens from
// being spent by a request that then waits minutes.
func (l *Limiter) takeTokens(ctx context.Context, p *weightPool, weight int, funding bool) (bool, error) {
	l.mu.Lock()
	now := time.Now()
	held := l.holdBegan
	holding := now.Before(l.holdUntil) || now.Before(p.holdUntil) || l.bannedLocked(now) != nil
	var windowWait time.Duration
	if funding {
		windowWait = l.funding.wait(now)
	}
	l.mu.Unlock()
	if holding { // began since the slot was taken
		return false, nil
	}
	if windowWait > 0 {
		woke, err := sleep(ctx, windowWait, held, nil)
		if err != nil || woke {
			return false, err
		}
		now = time.Now()
	}
	r := p.bucket.ReserveN(now, weight)
	if !r.OK() {
		return false, fmt.Errorf("a request of weight %d is more than a bucket ever holds", weight)
	}
	delay := r.DelayFrom(now)
	if delay <= 0 {
		return true, nil
	}
	woke, err := sleep(ctx, delay, held, nil)
	if err != nil || woke {
		r.CancelAt(time.Now())
		return false, err
	}
	return true, nil
}

// sleep waits for d, for a wake channel to be closed (woke), or for ctx to
// end (its error). Unlike rate.Limiter.Wait it never gives up in advance
// because ctx has a deadline that d would pass: the deadline may be the
// caller's guess of how long an answer takes, not of how long a turn does.
func sleep(ctx context.Context, d time.Duration, wake, wakeToo <-chan struct{}) (woke bool, err error) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false, ctx.Err()
	case <-t.C:
		return false, nil
	case <-wake:
		return true, nil
	case <-wakeToo:
		return true, nil
	}
}

func (l *Limiter) releaseSlot() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.releaseSlotLocked()
}

func (l *Limiter) releaseSlotLocked() {
	l.inFlight--
	broadcast(&l.slotFreed)
}

// broadcast wakes everyone waiting on *ch and gives later waiters a new one.
func broadcast(ch *chan struct{}) {
	close(*ch)
	*ch = make(chan struct{})
}

func (l *Limiter) bannedLocked(now time.Time) error {
	if now.Before(l.bannedUntil) {
		return &BannedError{Until: l.bannedUntil}
	}
	return nil
}
