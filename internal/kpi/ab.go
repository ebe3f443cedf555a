package kpi

// compareArms builds the A/B section: AI − human for first-response p50
// (Mann–Whitney U on the first-response samples), FCR and night coverage
// (two-proportion z-tests).
func compareArms(facts []contactFacts) ABReport {
	var ai, human []contactFacts
	for _, c := range facts {
		switch c.arm {
		case ArmAI:
			ai = append(ai, c)
		case ArmHuman:
			human = append(human, c)
		}
	}
	fa, fh := figures(ai), figures(human)
	latency := func(g []contactFacts) []int64 {
		var out []int64
		for _, c := range g {
			if c.answered {
				out = append(out, c.firstResponseMS)
			}
		}
		return out
	}
	return ABReport{
		FirstResponseP50: diff(float64(fa.FirstResponse.P50MS), float64(fh.FirstResponse.P50MS),
			fa.FirstResponse.Answered, fh.FirstResponse.Answered,
			"mann_whitney_u", mannWhitneyP(latency(ai), latency(human))),
		FCR:           rateDiff(fa.FCR, fh.FCR),
		NightCoverage: rateDiff(fa.NightCoverage, fh.NightCoverage),
	}
}

func rateDiff(a, h Rate) ABDiff {
	return diff(a.Rate, h.Rate, a.Total, h.Total, "two_proportion_z",
		twoProportionP(a.Hits, a.Total, h.Hits, h.Total))
}

func diff(ai, human float64, nAI, nHuman int, test string, p float64) ABDiff {
	return ABDiff{
		AI: ai, Human: human, Diff: ai - human,
		NAI: nAI, NHuman: nHuman,
		Test: test, PValue: p, Significant: p < Alpha,
	}
}
