package bench

import (
	"math"
	"testing"
	"time"
)

func TestWindowForSkipsTheWarmUp(t *testing.T) {
	for _, c := range []struct {
		d, from time.Duration
	}{
		{300 * time.Millisecond, 30 * time.Millisecond},
		{10 * time.Second, time.Second},
		{40 * time.Second, time.Second}, // the warm-up is at most a second
	} {
		if w := windowFor(c.d); w.from != c.from || w.to != c.d {
			t.Errorf("windowFor(%v) = %+v, want from %v to %v", c.d, w, c.from, c.d)
		}
	}
	w := windowFor(10 * time.Second)
	for end, want := range map[time.Duration]bool{
		500 * time.Millisecond:   false, // ramp
		time.Second:              true,
		5 * time.Second:          true,
		10 * time.Second:         true,
		10200 * time.Millisecond: false, // drain
	} {
		if w.holds(end) != want {
			t.Errorf("holds(%v) = %v, want %v", end, !want, want)
		}
	}
	if got := w.length(12 * time.Second); got != 9*time.Second {
		t.Errorf("length after a drained phase = %v, want 9s", got)
	}
	if got := w.length(4 * time.Second); got != 3*time.Second {
		t.Errorf("length of a phase cancelled at 4s = %v, want 3s", got)
	}
	if got := w.length(500 * time.Millisecond); got != 0 {
		t.Errorf("length of a phase cancelled in its warm-up = %v, want 0", got)
	}
}

// simulate runs a closed loop of c clients for d with a fixed latency lat —
// each client starts again on each reply until d, the clients spread over
// one latency as real replies of varying latency spread them — and returns
// the stats runPhase would have gathered.
func simulate(c int, lat, d time.Duration) *stats {
	st := &stats{}
	w := windowFor(d)
	var last time.Duration
	for i := range c {
		for t0 := time.Duration(i) * lat / time.Duration(c); t0 < d; t0 += lat {
			st.ok(lat, t0+lat, w)
			last = max(last, t0+lat)
		}
	}
	st.elapsed = last
	st.window = w.length(last)
	return st
}

func TestSteadyRateIsTheSustainedThroughput(t *testing.T) {
	// 16 in flight at 0.3 s and at 0.5 s: 53.3/s and 32/s, a ratio of 0.6.
	fast, slow := simulate(16, 300*time.Millisecond, 10*time.Second), simulate(16, 500*time.Millisecond, 10*time.Second)
	for _, c := range []struct {
		st   *stats
		want float64
	}{{fast, 16 / 0.3}, {slow, 16 / 0.5}} {
		if got := c.st.perSecond(); math.Abs(got-c.want) > 0.02*c.want {
			t.Errorf("perSecond = %v, want %.1f within 2%%", got, c.want)
		}
	}
	if r := slow.perSecond() / fast.perSecond(); math.Abs(r-0.6) > 0.01 {
		t.Errorf("ratio = %.3f, want 0.600: the slower side must not pay for its longer drain", r)
	}
	// Every reply over the whole run, drain included, is what this replaces:
	// it puts the same pair at 0.59 (about 2% low).
	naive := func(st *stats) float64 { return float64(len(st.lat)) / st.elapsed.Seconds() }
	if r := naive(slow) / naive(fast); r > 0.595 {
		t.Errorf("naive ratio = %.3f; the test no longer shows the drain bias", r)
	}
}

func TestPerSecondFallsBackWithoutASteadyWindow(t *testing.T) {
	// Replies slower than the load window: none completes inside it.
	st := simulate(2, 2*time.Second, time.Second)
	if st.steady != 0 {
		t.Fatalf("steady = %d, want 0", st.steady)
	}
	if got, want := st.perSecond(), round3(float64(len(st.lat))/st.elapsed.Seconds()); got != want || got == 0 {
		t.Fatalf("perSecond = %v, want %v (every reply over the whole run)", got, want)
	}
	if (&stats{}).perSecond() != 0 {
		t.Fatal("an empty phase has a rate")
	}
}
