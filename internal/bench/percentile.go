package bench

import (
	"math"
	"slices"
	"time"
)

// Percentile returns the p-th percentile (0 < p <= 100) of sorted by the
// nearest-rank method: the smallest sample with at least p% of the samples at
// or below it. It returns 0 for no samples. sorted must be ascending.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	rank = min(max(rank, 1), len(sorted))
	return sorted[rank-1]
}

// summary is the latency part of a phase's result, in milliseconds.
type summary struct{ p50, p90, p99 float64 }

// summarize sorts a copy of lat and reads the percentiles off it.
func summarize(lat []time.Duration) summary {
	s := slices.Clone(lat)
	slices.Sort(s)
	return summary{ms(Percentile(s, 50)), ms(Percentile(s, 90)), ms(Percentile(s, 99))}
}

// ms converts to milliseconds rounded to 0.1 ms, the precision worth printing.
func ms(d time.Duration) float64 { return round1(float64(d) / float64(time.Millisecond)) }

func round1(f float64) float64 { return math.Round(f*10) / 10 }

func round3(f float64) float64 { return math.Round(f*1000) / 1000 }
