package kpi

import "math"

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
	return sorted[nearestRankIndex(n, p)-1]
}

// nearestRankIndex is the 1-based rank ceil(p·n) clamped to [1, n].
func nearestRankIndex(n int, p float64) int {
	return min(max(int(math.Ceil(p*float64(n))), 1), n)
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
	ha, hb := map[int64]int{}, map[int64]int{}
	for _, v := range a {
		ha[v]++
	}
	for _, v := range b {
		hb[v]++
	}
	return mannWhitneyHistP(ha, hb)
}

// mannWhitneyHistP is mannWhitneyP on histograms (value → count): tied
// values share their mean rank, so a histogram gives the same U as the
// samples it counts.
func mannWhitneyHistP(a, b map[int64]int) float64 {
	_, n1 := sortedKeys(a)
	_, n2 := sortedKeys(b)
	if n1 == 0 || n2 == 0 {
		return 1
	}
	both := make(map[int64]int, len(a)+len(b))
	for v, c := range a {
		both[v] += c
	}
	for v, c := range b {
		both[v] += c
	}
	values, n := sortedKeys(both)
	var rankA, tieSum float64
	below := 0
	for _, v := range values {
		t := both[v]
		// Ranks below+1..below+t share their mean.
		mean := float64(2*below+t+1) / 2
		ft := float64(t)
		tieSum += ft*ft*ft - ft
		rankA += float64(max(a[v], 0)) * mean
		below += t
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
