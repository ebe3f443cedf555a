package sla

import (
	"strings"
	"time"

	"github.com/harbordesk/harbordesk/internal/hkcal"
)

// Clock says which time an SLA target is measured in.
type Clock string

const (
	// Wall counts every second, around the clock (P1 at 11 pm is still P1).
	Wall Clock = "wall"
	// Business counts only the desk's opening hours: a contact that arrives
	// after hours starts its clock when the desk opens.
	Business Clock = "business"
)

// Calendar is the business calendar a Business clock runs on.
// hkcal.ServiceDesk satisfies it.
type Calendar interface {
	IsOpen(t time.Time) bool
	NextOpen(t time.Time) time.Time
	AddBusiness(t time.Time, d time.Duration) time.Time
}

// Rule is the first-human-response target of one priority.
type Rule struct {
	Target time.Duration `json:"target"`
	Clock  Clock         `json:"clock"`
}

// Priorities are the ticket priorities, most urgent first.
var Priorities = [4]string{"P1", "P2", "P3", "P4"}

// Policy holds one Rule per priority (index 0 is P1). It is a plain value
// that serialises to JSON, so a workflow can carry it in its input; the
// Calendar is not serialised and a nil Calendar means hkcal.ServiceDesk.
type Policy struct {
	Rules    [4]Rule  `json:"rules"`
	Calendar Calendar `json:"-"`
}

// DefaultPolicy is P1=10m and P2=30m on the wall clock, P3=4h and P4=24h in
// business hours of hkcal.ServiceDesk.
func DefaultPolicy() Policy {
	return Policy{Rules: [4]Rule{
		{Target: 10 * time.Minute, Clock: Wall},
		{Target: 30 * time.Minute, Clock: Wall},
		{Target: 4 * time.Hour, Clock: Business},
		{Target: 24 * time.Hour, Clock: Business},
	}}
}

// WithCalendar returns a copy of p whose business clocks run on cal.
func (p Policy) WithCalendar(cal Calendar) Policy {
	p.Calendar = cal
	return p
}

func (p Policy) calendar() Calendar {
	if p.Calendar == nil {
		return hkcal.ServiceDesk
	}
	return p.Calendar
}

// index maps "P1".."P4" (any case) to 0..3. Anything else is treated as the
// lowest priority, P4, so an unknown priority still gets a clock and
// escalates rather than being dropped.
func index(priority string) int {
	for i, p := range Priorities {
		if strings.EqualFold(strings.TrimSpace(priority), p) {
			return i
		}
	}
	return len(Priorities) - 1
}

// Rule returns the rule for priority (unknown priorities get P4's).
func (p Policy) Rule(priority string) Rule { return p.Rules[index(priority)] }

// Target returns the first-human-response target of priority.
func (p Policy) Target(priority string) time.Duration { return p.Rule(priority).Target }

// Clock returns which clock priority's target is measured in.
func (p Policy) Clock(priority string) Clock { return p.Rule(priority).Clock }

// String renders p in the HARBORDESK_SLA syntax, every priority explicit;
// ParsePolicy(p.String()) == p.
func (p Policy) String() string {
	parts := make([]string, len(p.Rules))
	for i, r := range p.Rules {
		parts[i] = Priorities[i] + "=" + formatDuration(r.Target) + "@" + string(r.Clock)
	}
	return strings.Join(parts, ",")
}

// formatDuration prints 4h rather than time.Duration's 4h0m0s.
func formatDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// NotifyImmediately reports whether a new contact must reach a supervisor at
// once rather than waiting for the first escalation level: P1 (threats,
// strongly negative signals) and VIP customers.
func NotifyImmediately(priority string, vip bool) bool {
	return vip || strings.EqualFold(strings.TrimSpace(priority), "P1")
}
