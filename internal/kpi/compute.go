package kpi

import (
	"slices"
	"time"
)

// NightCoverageWindow is how soon an after-hours contact must be answered to
// count as covered.
const NightCoverageWindow = 30 * time.Second

// Compute folds events into a Report. by lists the splits (see ParseBy); nil
// or empty gives DefaultBy. Unknown split names are ignored here; validate
// user input with ParseBy first.
func Compute(events []Event, by []string) Report {
	if len(by) == 0 {
		by = DefaultBy
	}
	facts, ignored := foldContacts(events)
	r := Report{Figures: figures(facts), Baseline: BusinessCase}
	r.Counts.IgnoredEvents = ignored
	if slices.Contains(by, ByLanguage) {
		r.ByLanguage = split(facts, func(f contactFacts) string { return f.lang })
	}
	if slices.Contains(by, ByChannel) {
		r.ByChannel = split(facts, func(f contactFacts) string { return f.chanel })
	}
	if slices.Contains(by, ByArm) {
		r.ByArm = split(facts, func(f contactFacts) string { return f.arm })
		for _, arm := range []string{ArmAI, ArmHuman} {
			if _, ok := r.ByArm[arm]; !ok {
				r.ByArm[arm] = figures(nil)
			}
		}
	}
	switch {
	case slices.Contains(by, ByHour):
		r.Trend = trend(facts, hourStart)
	case slices.Contains(by, ByDay):
		r.Trend = trend(facts, dayStart)
	}
	r.AB = compareArms(facts)
	return r
}

// figures computes the figures of one group of contacts.
func figures(facts []contactFacts) Figures {
	var (
		f         Figures
		latencies []int64
		fcrHits   int
		nightHits int
		scoreSum  int
		satisfied int
	)
	f.Contacts = len(facts)
	for _, c := range facts {
		f.Counts.Received++
		if c.answered {
			f.Counts.Answered++
			latencies = append(latencies, c.firstResponseMS)
		}
		if c.botFirst {
			f.Counts.BotFirst++
		}
		if c.afterHours {
			f.Counts.AfterHours++
			if c.answered && c.firstResponseMS <= NightCoverageWindow.Milliseconds() {
				nightHits++
			}
		}
		if c.handedOff {
			f.Counts.HandedOff++
		}
		if c.resolved {
			f.Counts.Resolved++
			if !c.reopened {
				fcrHits++
			}
		}
		if c.reopened {
			f.Counts.Reopened++
		}
		f.SLABreaches += c.slaBreaches
		if c.score > 0 {
			f.CSAT.Count++
			scoreSum += c.score
			if c.score >= 4 {
				satisfied++
			}
		}
	}
	slices.Sort(latencies)
	f.FirstResponse = Latency{
		P50MS:    nearestRank(latencies, 0.5),
		P90MS:    nearestRank(latencies, 0.9),
		Answered: len(latencies),
	}
	f.FCR = Rate{Rate: ratio(fcrHits, f.Counts.Resolved), Hits: fcrHits, Total: f.Counts.Resolved}
	f.NightCoverage = Rate{Rate: ratio(nightHits, f.Counts.AfterHours), Hits: nightHits, Total: f.Counts.AfterHours}
	f.HandoffRate = Rate{Rate: ratio(f.Counts.HandedOff, f.Contacts), Hits: f.Counts.HandedOff, Total: f.Contacts}
	if f.CSAT.Count > 0 {
		f.CSAT.Mean = float64(scoreSum) / float64(f.CSAT.Count)
		f.CSAT.Satisfied = ratio(satisfied, f.CSAT.Count)
	}
	return f
}

// split computes the figures per group value.
func split(facts []contactFacts, key func(contactFacts) string) map[string]Figures {
	groups := map[string][]contactFacts{}
	for _, c := range facts {
		k := key(c)
		groups[k] = append(groups[k], c)
	}
	out := make(map[string]Figures, len(groups))
	for k, g := range groups {
		out[k] = figures(g)
	}
	return out
}

// trend computes the figures per time bucket, oldest first. facts are sorted
// by received time, so buckets come out in order.
func trend(facts []contactFacts, start func(time.Time) time.Time) []TrendPoint {
	out := []TrendPoint{}
	for i := 0; i < len(facts); {
		s := start(facts[i].received)
		j := i
		for j < len(facts) && start(facts[j].received).Equal(s) {
			j++
		}
		out = append(out, TrendPoint{Start: s, Figures: figures(facts[i:j])})
		i = j
	}
	return out
}

// hourStart is the start of t's hour in t's location.
func hourStart(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), 0, 0, 0, t.Location())
}

// dayStart is the start of t's day in t's location; pass times in
// Asia/Hong_Kong to get Hong Kong days.
func dayStart(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
}
