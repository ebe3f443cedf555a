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
	// steady counts the replies that completed inside the steady window —
	// after the warm-up, before the load window closed — and window is that
	// window's length, both summed over phases: throughput is steady/window
	// (see perSecond).
	steady int
	window time.Duration
}

// ok records one reply with latency d that completed at offset end into
// its phase; w is the phase's steady window.
func (s *stats) ok(d, end time.Duration, w steadyWindow) {
	s.mu.Lock()
	s.lat = append(s.lat, d)
	if w.holds(end) {
		s.steady++
	}
	s.mu.Unlock()
}

// steadyWindow is the part of a phase whose completions measure throughput:
// from the end of the warm-up to the end of the load window. Neither the
// ramp (nothing in flight yet) nor the drain (no new contacts start) is in
// it. Dividing every reply by the whole phase instead, as `bench` once did,
// charges each phase its drain — about one first-reply latency — and so
// under-states the slower side of a --baseline comparison more than the
// faster one: with 10 s slices and 0.3 s against 0.5 s of latency, 2%.
type steadyWindow struct{ from, to time.Duration }

// windowFor is the steady window of a load window of length d: its first
// tenth (at most a second) is warm-up.
func windowFor(d time.Duration) steadyWindow {
	return steadyWindow{from: min(d/10, time.Second), to: d}
}

func (w steadyWindow) holds(end time.Duration) bool { return end >= w.from && end <= w.to }

// length is the window's length for a phase that ran for elapsed (shorter
// than the load window when the run was cancelled).
func (w steadyWindow) length(elapsed time.Duration) time.Duration {
	return max(min(elapsed, w.to)-w.from, 0)
}

// add folds another phase's measurements into s.
func (s *stats) add(o *stats) {
	o.mu.Lock()
	lat, errs, elapsed := o.lat, o.errors, o.elapsed
	steady, window := o.steady, o.window
	o.mu.Unlock()
	s.mu.Lock()
	s.lat = append(s.lat, lat...)
	s.errors += errs
	s.elapsed += elapsed
	s.steady += steady
	s.window += window
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

// perSecond is the sustained throughput: replies completed in the steady
// windows per second of them. A run too short to have one (no reply inside
// it) falls back to every reply over the whole time, drain included.
func (s *stats) perSecond() float64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.window > 0 && s.steady > 0:
		return round3(float64(s.steady) / s.window.Seconds())
	case s.elapsed > 0:
		return round3(float64(len(s.lat)) / s.elapsed.Seconds())
	}
	return 0
}

// runPhase starts contacts for o.Duration — paced by o.Rate when set — with at
// most o.Concurrency in flight, then waits for those in flight to get their
// reply (or time out). Elapsed (the seconds reported) covers the drain too;
// throughput counts only the replies of the steady window (windowFor), so
// neither the ramp nor the drain weighs on it. A cancelled ctx stops
// everything; work cut short by cancellation is not counted as an error.
func runPhase(ctx context.Context, o Options, label string, seq *atomic.Int64, run job) *stats {
	st := &stats{}
	w := windowFor(o.Duration)
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
					st.ok(d, time.Since(start), w)
				}
			}
		}()
	}

	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	progress(o.Progress, label, start, st, done)
	st.mu.Lock()
	st.elapsed = time.Since(start)
	st.window = w.length(st.elapsed)
	st.mu.Unlock()
	if o.Progress != nil {
		fmt.Fprintf(o.Progress, "%s: done  n=%d  steady %.1f/s\n", label, len(st.lat), st.perSecond())
	}
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
