package sla

import "time"

// Escalation reasons, one per level.
const (
	ReasonAtRisk      = "sla_at_risk"
	ReasonBreached    = "sla_breached"
	ReasonDutyManager = "duty_manager"
)

// Level is one rung of the escalation ladder: when it fires and why.
type Level struct {
	Level  int       `json:"level"`
	At     time.Time `json:"at"`
	Reason string    `json:"reason"`
}

// rungs are the ladder as percentages of the target.
var rungs = [...]struct {
	percent int64
	reason  string
}{
	{80, ReasonAtRisk},
	{100, ReasonBreached},
	{150, ReasonDutyManager},
}

// Ladder returns the escalation levels of a contact of priority whose SLA
// clock started at start: level 1 "sla_at_risk" at 80% of the target, level 2
// "sla_breached" at 100%, level 3 "duty_manager" at 150%, in ascending
// order. Business-clock priorities count only opening hours (a contact that
// arrives after hours starts at opening time); wall-clock ones count every
// second.
//
// paused is how long the clock has been stopped so far (waiting on the
// customer), measured in the priority's own clock — use Elapsed to measure a
// pause — and shifts every level by that much.
func (p Policy) Ladder(priority string, start time.Time, paused time.Duration) []Level {
	r := p.Rule(priority)
	if paused < 0 {
		paused = 0
	}
	out := make([]Level, len(rungs))
	for i, rung := range rungs {
		off := time.Duration(int64(r.Target)*rung.percent/100) + paused
		out[i] = Level{Level: i + 1, At: p.add(r.Clock, start, off), Reason: rung.reason}
	}
	return out
}

// Deadline is when priority's target is breached for a clock started at
// start and never paused (the 100% level).
func (p Policy) Deadline(priority string, start time.Time) time.Time {
	r := p.Rule(priority)
	return p.add(r.Clock, start, r.Target)
}

// Start is when priority's clock actually starts running for a contact that
// arrived at t: t itself on the wall clock, the next opening on a business
// clock.
func (p Policy) Start(priority string, t time.Time) time.Time {
	return p.add(p.Clock(priority), t, 0)
}

// add moves d along clock c from t. A calendar that never opens (zero time)
// falls back to the wall clock so no escalation is lost.
func (p Policy) add(c Clock, t time.Time, d time.Duration) time.Time {
	if c == Business {
		if at := p.calendar().AddBusiness(t, d); !at.IsZero() {
			return at
		}
	}
	return t.Add(d)
}

// Elapsed is how much of priority's clock runs between from and to: to-from
// on the wall clock, only the open time on a business clock. Use it to
// measure a pause (waiting on the customer) for Ladder.
func (p Policy) Elapsed(priority string, from, to time.Time) time.Duration {
	if !to.After(from) {
		return 0
	}
	if p.Clock(priority) != Business {
		return to.Sub(from)
	}
	cal := p.calendar()
	if at := cal.AddBusiness(from, 0); at.IsZero() || at.After(to) {
		return 0
	}
	// The calendar only answers "where do I land after d of open time", which
	// is non-decreasing in d; bisect for the largest d that lands by to.
	lo, hi := time.Duration(0), to.Sub(from)
	if !cal.AddBusiness(from, hi).After(to) {
		return hi
	}
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		if cal.AddBusiness(from, mid).After(to) {
			hi = mid
		} else {
			lo = mid
		}
	}
	return lo
}
