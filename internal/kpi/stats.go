package kpi

import (
	"math"
	"slices"
)

// The statistics below are hand-rolled because they are a few lines each and
// the usual Go statistics modules (gonum) would add a large dependency for
// two tests and a percentile.

// nearestRank is the p-quantile (0 < p ≤ 1) of sorted by the nearest-rank
// method: the ceil(p·n)-th smallest value. 0 for an empty slice.
func nearestRank(sorted []int64, p float64) int64 {
	n := len(sorted)
	if n == 0 {
		return 0
	}
	r := int(math.Ceil(p * float64(n)))
	r = min(max(r, 1), n)
	return sorted[r-1]
}

// twoProportionP is the two-sided p-value of the pooled two-proportion z-test
// of x1/n1 against x2/n2. It is 1 when either sample is empty or the pooled
// proportion is 0 or 1 (no variance, no evidence of a difference).
func twoProportionP(x1, n1, x2, n2 int) float64 {
	if n1 == 0 || n2 == 0 {
		return 1
	}
	p1, p2 := float64(x1)/float64(n1), float64(x2)/float64(n2)
	pool := float64(x1+x2) / float64(n1+n2)
	se := math.Sqrt(pool * (1 - pool) * (1/float64(n1) + 1/float64(n2)))
	if se == 0 {
		return 1
	}
	z := (p1 - p2) / se
	return clampP(math.Erfc(math.Abs(z) / math.Sqrt2))
}

// mannWhitneyP is the two-sided p-value of the Mann–Whitney U test of a
// against b, normal approximation with tie correction and continuity
// correction (as scipy.stats.mannwhitneyu(method="asymptotic")). It is 1 when
// either sample is empty or all values are tied.
func mannWhitneyP(a, b []int64) float64 {
	n1, n2 := len(a), len(b)
	if n1 == 0 || n2 == 0 {
		return 1
	}
	type obs struct {
		v     int64
		fromA bool
	}
	all := make([]obs, 0, n1+n2)
	for _, v := range a {
		all = append(all, obs{v, true})
	}
	for _, v := range b {
		all = append(all, obs{v, false})
	}
	slices.SortFunc(all, func(x, y obs) int {
		switch {
		case x.v < y.v:
			return -1
		case x.v > y.v:
			return 1
		}
		return 0
	})
	n := n1 + n2
	var rankA, tieSum float64
	for i := 0; i < n; {
		j := i
		for j < n && all[j].v == all[i].v {
			j++
		}
		// Ranks i+1..j share their mean.
		mean := float64(i+1+j) / 2
		t := float64(j - i)
		tieSum += t*t*t - t
		for k := i; k < j; k++ {
			if all[k].fromA {
				rankA += mean
			}
		}
		i = j
	}
	fn1, fn2, fn := float64(n1), float64(n2), float64(n)
	u := rankA - fn1*(fn1+1)/2
	mu := fn1 * fn2 / 2
	variance := fn1 * fn2 / 12 * ((fn + 1) - tieSum/(fn*(fn-1)))
	if variance <= 0 {
		return 1
	}
	z := (math.Abs(u-mu) - 0.5) / math.Sqrt(variance)
	if z < 0 {
		z = 0
	}
	return clampP(math.Erfc(z / math.Sqrt2))
}

func clampP(p float64) float64 {
	if math.IsNaN(p) {
		return 1
	}
	return min(max(p, 0), 1)
}

// ratio is hits/total, 0 for an empty total.
func ratio(hits, total int) float64 {
	if total == 0 {
		return 0
	}
	return float64(hits) / float64(total)
}
