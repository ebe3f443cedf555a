package bench

import (
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	ms := func(v ...int) []time.Duration {
		out := make([]time.Duration, len(v))
		for i, x := range v {
			out[i] = time.Duration(x) * time.Millisecond
		}
		return out
	}
	hundred := make([]int, 100)
	for i := range hundred {
		hundred[i] = i + 1
	}
	cases := []struct {
		name   string
		sorted []time.Duration
		p      float64
		want   time.Duration
	}{
		{"empty", nil, 50, 0},
		{"single p50", ms(7), 50, 7 * time.Millisecond},
		{"single p99", ms(7), 99, 7 * time.Millisecond},
		{"two p50 is the lower", ms(1, 2), 50, 1 * time.Millisecond},
		{"two p51 is the upper", ms(1, 2), 51, 2 * time.Millisecond},
		{"ten p90", ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 90, 9 * time.Millisecond},
		{"ten p99 is the max", ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 99, 10 * time.Millisecond},
		{"hundred p50", ms(hundred...), 50, 50 * time.Millisecond},
		{"hundred p99", ms(hundred...), 99, 99 * time.Millisecond},
		{"hundred p100", ms(hundred...), 100, 100 * time.Millisecond},
		{"p0 clamps to the min", ms(3, 4, 5), 0, 3 * time.Millisecond},
		{"above 100 clamps to the max", ms(3, 4, 5), 150, 5 * time.Millisecond},
		{"one slow outlier in a hundred shows at p100 only", append(ms(hundred[:99]...), time.Second), 99, 99 * time.Millisecond},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Percentile(c.sorted, c.p); got != c.want {
				t.Fatalf("Percentile(%v, %v) = %v, want %v", c.sorted, c.p, got, c.want)
			}
		})
	}
}

func TestSummarizeDoesNotReorderInput(t *testing.T) {
	in := []time.Duration{30 * time.Millisecond, 10 * time.Millisecond, 20 * time.Millisecond}
	s := summarize(in)
	if s.p50 != 20 || s.p90 != 30 || s.p99 != 30 {
		t.Fatalf("summary = %+v, want p50=20 p90=30 p99=30", s)
	}
	if in[0] != 30*time.Millisecond {
		t.Fatalf("summarize sorted its input in place: %v", in)
	}
}

func TestMsRoundsToTenthOfMillisecond(t *testing.T) {
	if got := ms(1234567 * time.Nanosecond); got != 1.2 {
		t.Fatalf("ms = %v, want 1.2", got)
	}
}
