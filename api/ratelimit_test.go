package api

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
)

func TestParseRateLimit(t *testing.T) {
	cases := []struct {
		in        string
		perSecond float64
		burst     int
		wantErr   bool
	}{
		{"", 0, 0, false},
		{"0", 0, 0, false},
		{"off", 0, 0, false},
		{"OFF", 0, 0, false},
		{"50/s,burst=100", 50, 100, false},
		{" 50 / s , burst=100 ", 50, 100, false},
		{"50/s", 50, 50, false},
		{"50", 50, 50, false},
		{"2.5/s", 2.5, 3, false},
		{"120/m", 2, 2, false},
		{"30/m", 0.5, 1, false},
		{"30/m,burst=5", 0.5, 5, false},
		{"fast", 0, 0, true},
		{"-5/s", 0, 0, true},
		{"0/s", 0, 0, true},
		{"NaN/s", 0, 0, true},
		{"Inf/s", 0, 0, true},
		{"50/h", 0, 0, true},
		{"50/s,burst=0", 0, 0, true},
		{"50/s,burst=x", 0, 0, true},
		{"50/s,bust=10", 0, 0, true},
	}
	for _, c := range cases {
		r, b, err := ParseRateLimit(c.in)
		if (err != nil) != c.wantErr {
			t.Errorf("ParseRateLimit(%q) err = %v, want error %v", c.in, err, c.wantErr)
			continue
		}
		if r != c.perSecond || b != c.burst {
			t.Errorf("ParseRateLimit(%q) = %v, %d; want %v, %d", c.in, r, b, c.perSecond, c.burst)
		}
	}
}

// clock is a manual clock for the limiter.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func TestKeyedLimiter(t *testing.T) {
	type step struct {
		key      string
		advance  time.Duration
		wantWait time.Duration // 0: allowed
	}
	cases := []struct {
		name      string
		perSecond float64
		burst     int
		steps     []step
	}{
		{"burst then refused", 1, 2, []step{{"a", 0, 0}, {"a", 0, 0}, {"a", 0, time.Second}}},
		{"refill after wait", 2, 1, []step{{"a", 0, 0}, {"a", 0, 500 * time.Millisecond}, {"a", 500 * time.Millisecond, 0}}},
		{"refusal does not consume", 1, 1, []step{{"a", 0, 0}, {"a", 0, time.Second}, {"a", 0, time.Second}, {"a", time.Second, 0}}},
		{"keys are independent", 1, 1, []step{{"a", 0, 0}, {"a", 0, time.Second}, {"b", 0, 0}, {"b", 0, time.Second}}},
		{"default burst is the rate", 3, 0, []step{{"a", 0, 0}, {"a", 0, 0}, {"a", 0, 0}, {"a", 0, time.Second / 3}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			clk := &clock{t: time.Unix(1_700_000_000, 0)}
			kl := newKeyedLimiter(c.perSecond, c.burst, clk.now)
			for i, s := range c.steps {
				clk.advance(s.advance)
				if got := kl.reserve(s.key); got.Round(time.Millisecond) != s.wantWait.Round(time.Millisecond) {
					t.Fatalf("step %d (%s): wait %s, want %s", i, s.key, got, s.wantWait)
				}
			}
		})
	}
}

func TestKeyedLimiterEvictsIdleKeys(t *testing.T) {
	clk := &clock{t: time.Unix(1_700_000_000, 0)}
	// 1/s with burst 600 refills in 10 min: idle keys live that long, not minIdle.
	kl := newKeyedLimiter(1, 600, clk.now)
	if kl.idle != 10*time.Minute {
		t.Fatalf("idle = %s, want the refill time 10m", kl.idle)
	}
	kl.reserve("a")
	kl.reserve("b")
	clk.advance(5 * time.Minute)
	kl.reserve("b")
	clk.advance(5 * time.Minute) // a idle 10m, b idle 5m
	kl.reserve("c")
	if n := kl.size(); n != 2 {
		t.Fatalf("after sweep %d keys, want 2 (b, c)", n)
	}
	if _, ok := kl.keys["a"]; ok {
		t.Fatal("idle key a kept")
	}
	// Fast limits still keep keys for at least minIdle.
	kl = newKeyedLimiter(100, 10, clk.now)
	if kl.idle != minIdle {
		t.Fatalf("idle = %s, want %s", kl.idle, minIdle)
	}
	kl.reserve("a")
	clk.advance(minIdle - time.Second)
	kl.reserve("b")
	if n := kl.size(); n != 2 {
		t.Fatalf("%d keys, want 2 before minIdle", n)
	}
	clk.advance(time.Second)
	kl.reserve("b")
	if n := kl.size(); n != 1 {
		t.Fatalf("%d keys, want 1 after a's minIdle", n)
	}
}

// limitedRouter mounts RateLimit after a stand-in for auth that sets the
// identity from a header, as auth does from the API key.
func limitedRouter(mw gin.HandlerFunc) *gin.Engine {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	setIdentity := func(c *gin.Context) {
		if id := c.GetHeader("X-Test-Identity"); id != "" {
			c.Set("identity", id)
		}
	}
	r.GET("/x", setIdentity, mw, func(c *gin.Context) { c.String(http.StatusOK, "ok") })
	return r
}

func TestRateLimitMiddleware(t *testing.T) {
	type req struct {
		identity string
		want     int
	}
	cases := []struct {
		name      string
		perSecond float64
		burst     int
		reqs      []req
	}{
		{"off passes everything", 0, 0, []req{{"a", 200}, {"a", 200}, {"a", 200}, {"a", 200}}},
		{"per identity", 0.001, 2, []req{{"a", 200}, {"a", 200}, {"a", 429}, {"b", 200}, {"b", 200}, {"b", 429}, {"a", 429}}},
		{"no identity falls back to the client address", 0.001, 1, []req{{"", 200}, {"", 429}, {"a", 200}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := limitedRouter(RateLimit(c.perSecond, c.burst))
			for i, q := range c.reqs {
				rq := httptest.NewRequest("GET", "/x", nil)
				if q.identity != "" {
					rq.Header.Set("X-Test-Identity", q.identity)
				}
				w := httptest.NewRecorder()
				r.ServeHTTP(w, rq)
				if w.Code != q.want {
					t.Fatalf("request %d (%q) = %d, want %d", i, q.identity, w.Code, q.want)
				}
				if w.Code != http.StatusTooManyRequests {
					continue
				}
				var body errorBody
				if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil || body.Error.Code != "rate_limited" || body.Error.Message == "" {
					t.Fatalf("429 body %q is not the contract error shape", w.Body.String())
				}
				if ra := w.Header().Get("Retry-After"); ra == "" || ra == "0" || strings.HasPrefix(ra, "-") {
					t.Fatalf("Retry-After = %q", ra)
				}
			}
		})
	}
}

func TestRateLimitRetryAfterRoundsUp(t *testing.T) {
	// 1 request per 2.5 s: the second one must wait 2.5 s → "3".
	r := limitedRouter(RateLimit(0.4, 1))
	var last *httptest.ResponseRecorder
	for i := 0; i < 2; i++ {
		last = httptest.NewRecorder()
		rq := httptest.NewRequest("GET", "/x", nil)
		rq.Header.Set("X-Test-Identity", "k")
		r.ServeHTTP(last, rq)
	}
	if last.Code != 429 || last.Header().Get("Retry-After") != "3" {
		t.Fatalf("second request = %d Retry-After %q, want 429 and 3", last.Code, last.Header().Get("Retry-After"))
	}
}

func BenchmarkRateLimitAllowed(b *testing.B) {
	kl := newKeyedLimiter(1e9, 1<<30, time.Now)
	keys := []string{"a", "b", "c", "d", "e", "f", "g", "h"}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			kl.reserve(keys[i%len(keys)])
			i++
		}
	})
}
