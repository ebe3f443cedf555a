package bench

import (
	"context"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"
)

// job runs contact number n and returns its first-reply latency.
type job func(ctx context.Context, n int64) (time.Duration, error)

// stats is what one phase measured. Latencies are kept whole: at the rates a
// single instance sustains (tens to hundreds per second) a run of minutes is a
// few hundred kilobytes.
type stats struct {
	mu      sync.Mutex
	lat     []time.Duration
	errors  int
	elapsed time.Duration
}

func (s *stats) ok(d time.Duration) {
	s.mu.Lock()
	s.lat = append(s.lat, d)
	s.mu.Unlock()
}

// add folds another phase's measurements into s.
func (s *stats) add(o *stats) {
	o.mu.Lock()
	lat, errs, elapsed := o.lat, o.errors, o.elapsed
	o.mu.Unlock()
	s.mu.Lock()
	s.lat = append(s.lat, lat...)
	s.errors += errs
	s.elapsed += elapsed
	s.mu.Unlock()
}

func (s *stats) fail() {
	s.mu.Lock()
	s.errors++
	s.mu.Unlock()
}

// snapshot returns the count, error count and latency summary so far.
func (s *stats) snapshot() (int, int, summary) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.lat), s.errors, summarize(s.lat)
}

func (s *stats) perSecond() float64 {
	if s.elapsed <= 0 {
		return 0
	}
	return round3(float64(len(s.lat)) / s.elapsed.Seconds())
}

// runPhase starts contacts for o.Duration — paced by o.Rate when set — with at
// most o.Concurrency in flight, then waits for those in flight to get their
// reply (or time out). Elapsed covers the drain too, so throughput is what
// the server really completed. A cancelled ctx stops everything; work cut
// short by cancellation is not counted as an error.
func runPhase(ctx context.Context, o Options, label string, seq *atomic.Int64, run job) *stats {
	st := &stats{}
	start := time.Now()
	startCtx, stopStarting := context.WithDeadline(ctx, start.Add(o.Duration))
	defer stopStarting()

	var lim *rate.Limiter
	if o.Rate > 0 {
		// Burst 1: contacts go out evenly spaced, not in clumps.
		lim = rate.NewLimiter(rate.Limit(o.Rate), 1)
	}
	var wg sync.WaitGroup
	for range o.Concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				if lim != nil {
					if lim.Wait(startCtx) != nil {
						return // the window is over (or the run was cancelled)
					}
				} else if startCtx.Err() != nil {
					return
				}
				d, err := run(ctx, seq.Add(1))
				switch {
				case ctx.Err() != nil:
					return
				case err != nil:
					st.fail()
				default:
					st.ok(d)
				}
			}
		}()
	}

	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	progress(o.Progress, label, start, st, done)
	st.elapsed = time.Since(start)
	return st
}

// progress writes one line per second until done is closed.
func progress(w io.Writer, label string, start time.Time, st *stats, done <-chan struct{}) {
	if w == nil {
		<-done
		return
	}
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case <-done:
			return
		case now := <-tick.C:
			fmt.Fprintln(w, progressLine(label, now.Sub(start), st))
		}
	}
}

// progressLine renders e.g. "bench: 12s  n=540  45.0/s  p50=180ms p99=420ms  errors=0".
func progressLine(label string, since time.Duration, st *stats) string {
	n, errs, sum := st.snapshot()
	secs := since.Seconds()
	perS := 0.0
	if secs > 0 {
		perS = float64(n) / secs
	}
	return fmt.Sprintf("%s: %ds  n=%d  %.1f/s  p50=%.0fms p99=%.0fms  errors=%d",
		label, int(secs+0.5), n, perS, sum.p50, sum.p99, errs)
}
