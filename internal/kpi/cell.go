package kpi

import (
	"cmp"
	"slices"
	"time"
)

// Cell aggregates the contacts that share an arm, language and channel, a
// time bucket (zero unless a trend is asked for) and a first-response time.
// It is the unit the store hands over after aggregating in PostgreSQL, and
// Compute folds its events into one cell per contact, so both paths share
// FromCells and give the same figures on the same data.
type Cell struct {
	Arm, Language, Channel string
	Bucket                 time.Time
	// FirstResponseMS is the first-response time of the cell's Answers
	// answered contacts (the store keeps it quantized, see Quantize). A
	// cell may carry only counts (Answers 0) or only answers (Contacts 0).
	FirstResponseMS int64
	Answers         int

	Contacts    int // contacts received
	BotFirst    int // first reply written by the bot
	AfterHours  int // received after hours
	NightHits   int // after hours and answered within NightCoverageWindow
	HandedOff   int
	Resolved    int
	FCRHits     int // resolved and never reopened
	Reopened    int
	SLABreaches int
	Scored      int // contacts with a valid CSAT score
	ScoreSum    int
	Satisfied   int // scores 4 or 5
}

// QuantizeBits is how many leading bits of a first-response time the store
// keeps: times below 2^QuantizeBits ms are exact, longer ones are rounded
// down by less than 1/2^(QuantizeBits-1) (6.25%), which bounds the
// histogram rows a 30-day window reads (32 per doubling of the time, per
// group and day; see Quantize).
const QuantizeBits = 5

// Quantize rounds ms down to its QuantizeBits leading bits. The SQL function
// kpi_quantize_ms (migration 00011) is the same integer arithmetic.
func Quantize(ms int64) int64 {
	if ms < 0 {
		return 0
	}
	s := 0
	for ms>>s >= 1<<QuantizeBits {
		s++
	}
	return ms >> s << s
}

// cellOf is the cell of one contact's facts.
func cellOf(f contactFacts, bucket time.Time) Cell {
	c := Cell{Arm: f.arm, Language: f.lang, Channel: f.chanel, Bucket: bucket, Contacts: 1,
		SLABreaches: f.slaBreaches}
	if f.answered {
		c.FirstResponseMS, c.Answers = f.firstResponseMS, 1
	}
	b := func(v bool) int {
		if v {
			return 1
		}
		return 0
	}
	c.BotFirst = b(f.botFirst)
	c.AfterHours = b(f.afterHours)
	c.NightHits = b(f.afterHours && f.answered && f.firstResponseMS <= NightCoverageWindow.Milliseconds())
	c.HandedOff = b(f.handedOff)
	c.Resolved = b(f.resolved)
	c.FCRHits = b(f.resolved && !f.reopened)
	c.Reopened = b(f.reopened)
	if f.score > 0 {
		c.Scored, c.ScoreSum, c.Satisfied = 1, f.score, b(f.score >= 4)
	}
	return c
}

// tally accumulates cells into one group's figures: additive counts plus the
// first-response histogram (time → contacts).
type tally struct {
	c    Cell
	hist map[int64]int
}

func (g *tally) add(c Cell) {
	if g.hist == nil {
		g.hist = map[int64]int{}
	}
	g.c.Contacts += c.Contacts
	g.c.BotFirst += c.BotFirst
	g.c.AfterHours += c.AfterHours
	g.c.NightHits += c.NightHits
	g.c.HandedOff += c.HandedOff
	g.c.Resolved += c.Resolved
	g.c.FCRHits += c.FCRHits
	g.c.Reopened += c.Reopened
	g.c.SLABreaches += c.SLABreaches
	g.c.Scored += c.Scored
	g.c.ScoreSum += c.ScoreSum
	g.c.Satisfied += c.Satisfied
	if c.Answers > 0 {
		g.hist[c.FirstResponseMS] += c.Answers
	}
}

func (g *tally) answered() int {
	n := 0
	for _, k := range g.hist {
		n += k
	}
	return n
}

// figures computes the figures of the group.
func (g *tally) figures() Figures {
	c := g.c
	var f Figures
	f.Contacts = c.Contacts
	f.Counts = Counts{Received: c.Contacts, Answered: g.answered(), BotFirst: c.BotFirst,
		AfterHours: c.AfterHours, HandedOff: c.HandedOff, Resolved: c.Resolved, Reopened: c.Reopened}
	f.FirstResponse = Latency{
		P50MS:    histRank(g.hist, 0.5),
		P90MS:    histRank(g.hist, 0.9),
		Answered: f.Counts.Answered,
	}
	f.FCR = FCR{Rate: ratio(c.FCRHits, c.Resolved), Hits: c.FCRHits, Total: c.Resolved,
		Open: c.Contacts - c.Resolved}
	f.NightCoverage = Rate{Rate: ratio(c.NightHits, c.AfterHours), Hits: c.NightHits, Total: c.AfterHours}
	f.HandoffRate = Rate{Rate: ratio(c.HandedOff, c.Contacts), Hits: c.HandedOff, Total: c.Contacts}
	f.SLABreaches = c.SLABreaches
	f.CSAT.Count = c.Scored
	if c.Scored > 0 {
		f.CSAT.Mean = float64(c.ScoreSum) / float64(c.Scored)
		f.CSAT.Satisfied = ratio(c.Satisfied, c.Scored)
	}
	return f
}

// FromCells builds a Report from aggregated cells. by lists the splits as
// in Compute; with hour or day in by, the cells' Bucket gives the trend.
func FromCells(cells []Cell, by []string) Report {
	if len(by) == 0 {
		by = DefaultBy
	}
	var all tally
	lang, chanel, arm := map[string]*tally{}, map[string]*tally{}, map[string]*tally{}
	buckets := map[time.Time]*tally{}
	into := func(m map[string]*tally, k string, c Cell) {
		g := m[k]
		if g == nil {
			g = &tally{}
			m[k] = g
		}
		g.add(c)
	}
	trend := slices.Contains(by, ByHour) || slices.Contains(by, ByDay)
	var starts []time.Time
	for _, c := range cells {
		all.add(c)
		into(lang, c.Language, c)
		into(chanel, c.Channel, c)
		into(arm, c.Arm, c)
		if trend {
			g := buckets[c.Bucket]
			if g == nil {
				g = &tally{}
				buckets[c.Bucket] = g
				starts = append(starts, c.Bucket)
			}
			g.add(c)
		}
	}
	r := Report{Figures: all.figures(), Baseline: BusinessCase}
	split := func(m map[string]*tally) map[string]Figures {
		out := make(map[string]Figures, len(m))
		for k, g := range m {
			out[k] = g.figures()
		}
		return out
	}
	if slices.Contains(by, ByLanguage) {
		r.ByLanguage = split(lang)
	}
	if slices.Contains(by, ByChannel) {
		r.ByChannel = split(chanel)
	}
	if slices.Contains(by, ByArm) {
		r.ByArm = split(arm)
		for _, a := range []string{ArmAI, ArmHuman} {
			if _, ok := r.ByArm[a]; !ok {
				r.ByArm[a] = (&tally{}).figures()
			}
		}
	}
	if trend {
		slices.SortFunc(starts, func(a, b time.Time) int { return a.Compare(b) })
		r.Trend = make([]TrendPoint, 0, len(starts))
		for _, s := range starts {
			r.Trend = append(r.Trend, TrendPoint{Start: s, Figures: buckets[s].figures()})
		}
	}
	ai, human := arm[ArmAI], arm[ArmHuman]
	if ai == nil {
		ai = &tally{}
	}
	if human == nil {
		human = &tally{}
	}
	r.AB = compareArms(ai, human)
	return r
}

// histRank is the nearest-rank p-quantile of a histogram (value → count).
func histRank(hist map[int64]int, p float64) int64 {
	keys, n := sortedKeys(hist)
	if n == 0 {
		return 0
	}
	r := nearestRankIndex(n, p)
	seen := 0
	for _, k := range keys {
		seen += hist[k]
		if seen >= r {
			return k
		}
	}
	return keys[len(keys)-1]
}

func sortedKeys(hist map[int64]int) ([]int64, int) {
	keys := make([]int64, 0, len(hist))
	n := 0
	for k, c := range hist {
		if c > 0 {
			keys = append(keys, k)
			n += c
		}
	}
	slices.SortFunc(keys, cmp.Compare[int64])
	return keys, n
}
