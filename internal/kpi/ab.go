package kpi

// compareArms builds the A/B section: AI − human for first-response p50
// (Mann–Whitney U on the first-response samples), FCR and night coverage
// (two-proportion z-tests). A figure one arm has no data for shows no
// difference and no p-value.
func compareArms(ai, human *tally) ABReport {
	fa, fh := ai.figures(), human.figures()
	return ABReport{
		FirstResponseP50: diff(float64(fa.FirstResponse.P50MS), float64(fh.FirstResponse.P50MS),
			fa.FirstResponse.Answered, fh.FirstResponse.Answered,
			"mann_whitney_u", func() float64 { return mannWhitneyHistP(ai.hist, human.hist) }),
		FCR:           rateDiff(Rate{fa.FCR.Rate, fa.FCR.Hits, fa.FCR.Total}, Rate{fh.FCR.Rate, fh.FCR.Hits, fh.FCR.Total}),
		NightCoverage: rateDiff(fa.NightCoverage, fh.NightCoverage),
	}
}

func rateDiff(a, h Rate) ABDiff {
	return diff(a.Rate, h.Rate, a.Total, h.Total, "two_proportion_z",
		func() float64 { return twoProportionP(a.Hits, a.Total, h.Hits, h.Total) })
}

func diff(ai, human float64, nAI, nHuman int, test string, p func() float64) ABDiff {
	d := ABDiff{AI: ai, Human: human, NAI: nAI, NHuman: nHuman, Test: test}
	if nAI == 0 || nHuman == 0 {
		return d // nothing to compare against: no difference, no p-value
	}
	dv, pv := ai-human, p()
	d.Diff, d.PValue, d.Significant = &dv, &pv, pv < Alpha
	return d
}
