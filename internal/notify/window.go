package notify

import "time"

// window admits at most limit events in any span of length per: a sliding
// log of the last limit send times.
//
// Hand-rolled rather than golang.org/x/time/rate: a token bucket with burst
// B and rate B/min admits up to 2B events in some 60-second span (a full
// bucket plus a minute of refill), and DingTalk throttles a robot for ten
// minutes once it sees more than 20 in a minute. A sliding log is exact.
// Not safe for concurrent use; DingTalk guards it with its mutex.
type window struct {
	limit        int
	per          time.Duration
	sent         []time.Time // ascending, only the last limit sends
	blockedUntil time.Time
}

func newWindow(limit int, per time.Duration) *window {
	return &window{limit: limit, per: per}
}

// take records a send at now and returns ok, or returns how long until a send
// would be admitted.
func (w *window) take(now time.Time) (wait time.Duration, ok bool) {
	if now.Before(w.blockedUntil) {
		return w.blockedUntil.Sub(now), false
	}
	for len(w.sent) > 0 && !w.sent[0].Add(w.per).After(now) {
		w.sent = w.sent[1:]
	}
	if len(w.sent) >= w.limit {
		return w.sent[0].Add(w.per).Sub(now), false
	}
	w.sent = append(w.sent, now)
	return 0, true
}

// block refuses every send until t (the partner throttled us anyway,
// e.g. another replica shares the robot).
func (w *window) block(until time.Time) {
	if until.After(w.blockedUntil) {
		w.blockedUntil = until
	}
}
