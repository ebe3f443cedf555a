package api

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/time/rate"
)

// minIdle is the shortest time a per-key limiter is kept after its last
// request. An evicted limiter comes back full, so a key is evicted only once
// its bucket would have refilled anyway (see keyedLimiter.idle).
const minIdle = time.Minute

// RateLimit limits each authenticated identity (c.GetString("identity"), set
// by auth; the client IP when absent) to perSecond requests a second with
// bursts of up to burst. Over the limit it answers 429 rate_limited with a
// Retry-After header in whole seconds. perSecond <= 0 turns it off (the
// handler then does nothing); burst < 1 means the rate rounded up. Mount it
// after auth.
//
// golang.org/x/time/rate provides the token bucket; only the per-key map
// and its eviction are ours, because no library keys limiters by identity.
func RateLimit(perSecond float64, burst int) gin.HandlerFunc {
	if perSecond <= 0 {
		return func(*gin.Context) {}
	}
	kl := newKeyedLimiter(perSecond, burst, time.Now)
	return kl.handle
}

// PublicRateLimit is RateLimit for public keys: one bucket per key and
// client address (c.ClientIP(), which honours X-Forwarded-For only from
// the server's trusted proxies), so one visitor's script cannot use up a
// shop's whole web chat and a public key cannot be abused from one place.
func PublicRateLimit(perSecond float64, burst int) gin.HandlerFunc {
	if perSecond <= 0 {
		return func(*gin.Context) {}
	}
	kl := newKeyedLimiter(perSecond, burst, time.Now)
	kl.keyOf = func(c *gin.Context) string { return c.GetString("identity") + "|" + c.ClientIP() }
	return kl.handle
}

// keyedLimiter is one token bucket per identity.
type keyedLimiter struct {
	limit     rate.Limit
	burst     int
	idle      time.Duration // evict a key unused for this long
	now       func() time.Time
	mu        sync.Mutex
	keys      map[string]*keyState
	lastSweep time.Time
	keyOf     func(*gin.Context) string // nil: the identity, else the client IP
}

type keyState struct {
	lim  *rate.Limiter
	seen time.Time
}

func newKeyedLimiter(perSecond float64, burst int, now func() time.Time) *keyedLimiter {
	if burst < 1 {
		burst = max(1, int(math.Ceil(perSecond)))
	}
	refill := time.Duration(float64(burst) / perSecond * float64(time.Second))
	return &keyedLimiter{limit: rate.Limit(perSecond), burst: burst, idle: max(refill, minIdle),
		now: now, keys: map[string]*keyState{}, lastSweep: now()}
}

// reserve takes a token for key and reports how long to wait when none is
// left (0: allowed).
func (k *keyedLimiter) reserve(key string) time.Duration {
	now := k.now()
	k.mu.Lock()
	defer k.mu.Unlock()
	if now.Sub(k.lastSweep) >= k.idle {
		k.sweep(now)
	}
	st := k.keys[key]
	if st == nil {
		st = &keyState{lim: rate.NewLimiter(k.limit, k.burst)}
		k.keys[key] = st
	}
	st.seen = now
	r := st.lim.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now) // a refused request does not consume the future token
		return d
	}
	return 0
}

// sweep drops limiters idle for k.idle: their buckets are full again, so a
// fresh one behaves the same. Called with k.mu held.
func (k *keyedLimiter) sweep(now time.Time) {
	for key, st := range k.keys {
		if now.Sub(st.seen) >= k.idle {
			delete(k.keys, key)
		}
	}
	k.lastSweep = now
}

// size is how many keys hold a limiter.
func (k *keyedLimiter) size() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	return len(k.keys)
}

func (k *keyedLimiter) handle(c *gin.Context) {
	var key string
	if k.keyOf != nil {
		key = k.keyOf(c)
	} else if key = c.GetString("identity"); key == "" {
		key = "ip:" + c.ClientIP()
	}
	wait := k.reserve(key)
	if wait <= 0 {
		return
	}
	secs := int64(math.Ceil(wait.Seconds()))
	c.Header("Retry-After", strconv.FormatInt(secs, 10))
	abort(c, http.StatusTooManyRequests, "rate_limited",
		fmt.Sprintf("too many requests for this API key; retry after %d s", secs))
}

// ParseRateLimit reads HARBORDESK_RATE_LIMIT: "" / "0" / "off" is off
// (0, 0); otherwise "<n>/s" or "<n>/m" (or a bare n per second), optionally
// followed by ",burst=<b>". Without a burst it is the per-second rate
// rounded up (at least 1).
func ParseRateLimit(s string) (perSecond float64, burst int, err error) {
	s = strings.TrimSpace(s)
	if s == "" || s == "0" || strings.EqualFold(s, "off") {
		return 0, 0, nil
	}
	bad := func() (float64, int, error) {
		return 0, 0, fmt.Errorf("want <n>/s or <n>/m with an optional ,burst=<b> (for example 50/s,burst=100), or off")
	}
	ratePart, burstPart, hasBurst := strings.Cut(s, ",")
	num, unit, hasUnit := strings.Cut(strings.TrimSpace(ratePart), "/")
	n, perr := strconv.ParseFloat(strings.TrimSpace(num), 64)
	if perr != nil || n <= 0 || math.IsInf(n, 0) || math.IsNaN(n) {
		return bad()
	}
	switch u := strings.TrimSpace(unit); {
	case !hasUnit, u == "s":
		perSecond = n
	case u == "m":
		perSecond = n / 60
	default:
		return bad()
	}
	burst = max(1, int(math.Ceil(perSecond)))
	if hasBurst {
		v, ok := strings.CutPrefix(strings.TrimSpace(burstPart), "burst=")
		b, berr := strconv.Atoi(v)
		if !ok || berr != nil || b < 1 {
			return bad()
		}
		burst = b
	}
	return perSecond, burst, nil
}
