package binancesim

import (
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"time"
)

// FaultKind is a way the fake misbehaves on one request. Faults that alter
// a page's rows are transient: the server never alters the answer to the
// same query twice, as a client asking again would find on the real
// exchange.
type FaultKind string

// The faults the fake can inject.
const (
	NoFault         FaultKind = ""
	TooManyRequests FaultKind = "429"        // 429 with Retry-After
	Banned          FaultKind = "418"        // 418: IP banned for RetryAfter
	ServerError     FaultKind = "5xx"        // 500/502/503/504 with an HTML or JSON body
	DropConnection  FaultKind = "drop"       // connection closed without a response
	Garbage         FaultKind = "garbage"    // 200 with an HTML page for a body
	Truncated       FaultKind = "truncated"  // 200 with the JSON cut short
	Slow            FaultKind = "slow"       // the normal answer after Delay
	DuplicateRows   FaultKind = "duplicate"  // rows repeated in the page
	MissingRows     FaultKind = "missing"    // rows dropped from inside the page
	OutOfWindow     FaultKind = "outside"    // a row outside startTime/endTime added
	WrongSymbol     FaultKind = "wrong"      // a row of another symbol added
	Unparsable      FaultKind = "unparsable" // a number that is not one
	Shuffled        FaultKind = "shuffled"   // rows out of order

	// Misbehaviours of a broken or hostile server: unlike the data faults
	// above they are not transient, so a plan that injects them always
	// (Always) models a server that keeps doing it.
	NullBody    FaultKind = "null"     // 200 with the body null instead of a list
	ForeignRows FaultKind = "foreign"  // every row renamed to another symbol
	PastEnd     FaultKind = "past-end" // a full page of rows stamped after endTime
	SameRow     FaultKind = "same-row" // a full page of one row stamped at startTime
)

// AllFaults lists every fault kind.
func AllFaults() []FaultKind {
	return []FaultKind{TooManyRequests, Banned, ServerError, DropConnection, Garbage, Truncated, Slow,
		DuplicateRows, MissingRows, OutOfWindow, WrongSymbol, Unparsable, Shuffled}
}

// Misbehaviours lists the kinds of a broken server (see NullBody).
func Misbehaviours() []FaultKind { return []FaultKind{NullBody, ForeignRows, PastEnd, SameRow} }

// Fault is what to do to one request.
type Fault struct {
	Kind       FaultKind
	RetryAfter time.Duration // for 429 and 418 (default 1s and 2m)
	Delay      time.Duration // for Slow
	Status     int           // for ServerError (default 503)
}

// FaultPlan chooses a fault for the n-th request (0-based) the fake
// receives. It is called under the server's lock, in arrival order.
type FaultPlan func(n int, r *http.Request) Fault

// Once injects f into the first request whose path ends with pathSuffix
// ("" matches any) and whose number is at least after.
func Once(f Fault, pathSuffix string, after int) FaultPlan {
	var mu sync.Mutex
	done := false
	return func(n int, r *http.Request) Fault {
		mu.Lock()
		defer mu.Unlock()
		if done || n < after || !strings.HasSuffix(r.URL.Path, pathSuffix) {
			return Fault{}
		}
		done = true
		return f
	}
}

// Always injects f into every request whose path ends with pathSuffix.
func Always(f Fault, pathSuffix string) FaultPlan {
	return func(n int, r *http.Request) Fault {
		if strings.HasSuffix(r.URL.Path, pathSuffix) {
			return f
		}
		return Fault{}
	}
}

// EveryNth injects f into every n-th request (n ≥ 2), starting with request
// offset.
//
// A query it has faulted once is answered truly when asked again, whatever
// its number: a client retrying a transient fault gets a fresh chance, as
// from a real server, instead of meeting the fault on every retry because
// its workers' requests happen to arrive in step with n.
func EveryNth(f Fault, n, offset int) FaultPlan {
	var mu sync.Mutex
	faulted := map[string]bool{}
	return func(i int, r *http.Request) Fault {
		if i < offset || (i-offset)%n != 0 {
			return Fault{}
		}
		mu.Lock()
		defer mu.Unlock()
		q := r.URL.Path + "?" + r.URL.RawQuery
		if faulted[q] {
			return Fault{}
		}
		faulted[q] = true
		return f
	}
}

// Random injects one of kinds into each request with probability p, from a
// seeded source. (The server never alters the data of one query twice; see
// FaultKind.)
func Random(seed uint64, p float64, kinds ...FaultKind) FaultPlan {
	var mu sync.Mutex
	rng := rand.New(rand.NewPCG(seed, 0xfa17))
	return func(n int, r *http.Request) Fault {
		mu.Lock()
		defer mu.Unlock()
		if rng.Float64() >= p || len(kinds) == 0 {
			return Fault{}
		}
		return Fault{Kind: kinds[rng.IntN(len(kinds))], RetryAfter: time.Second, Delay: 50 * time.Millisecond}
	}
}

// Chain tries plans in order and returns the first fault any of them gives.
func Chain(plans ...FaultPlan) FaultPlan {
	return func(n int, r *http.Request) Fault {
		for _, p := range plans {
			if p == nil {
				continue
			}
			if f := p(n, r); f.Kind != NoFault {
				return f
			}
		}
		return Fault{}
	}
}

func (k FaultKind) altersData() bool {
	switch k {
	case DuplicateRows, MissingRows, OutOfWindow, WrongSymbol, Unparsable, Shuffled:
		return true
	}
	return false
}
