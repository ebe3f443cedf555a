package sla

import (
	"fmt"
	"strings"
	"time"
)

// EnvVar is the environment variable ParsePolicy reads its syntax from.
const EnvVar = "HARBORDESK_SLA"

// MinTarget is the shortest accepted target; tests use a few seconds.
const MinTarget = time.Second

// ParseError is a malformed HARBORDESK_SLA; Part is the offending entry.
type ParseError struct {
	Part   string
	Reason string
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("%s: %q: %s", EnvVar, e.Part, e.Reason)
}

// ParsePolicy parses HARBORDESK_SLA, a comma-separated list of
// PRIORITY=DURATION[@CLOCK] such as "P1=10m,P2=30m,P3=4h@business,P4=24h".
// Durations use Go syntax (3s, 90m, 4h30m) and must be at least 1s; CLOCK is
// "wall" or "business". Priorities not listed keep DefaultPolicy's rule, and
// a listed priority without a clock keeps its default clock (P1, P2 wall;
// P3, P4 business). An empty string is DefaultPolicy.
func ParsePolicy(s string) (Policy, error) {
	p := DefaultPolicy()
	if strings.TrimSpace(s) == "" {
		return p, nil
	}
	var seen [len(Priorities)]bool
	for _, raw := range strings.Split(s, ",") {
		part := strings.TrimSpace(raw)
		key, val, ok := strings.Cut(part, "=")
		if !ok {
			return Policy{}, &ParseError{part, "want PRIORITY=DURATION, e.g. P1=10m"}
		}
		i, ok := strictIndex(key)
		if !ok {
			return Policy{}, &ParseError{part, "priority must be P1, P2, P3 or P4"}
		}
		if seen[i] {
			return Policy{}, &ParseError{part, "priority given twice"}
		}
		seen[i] = true
		durText, clockText, hasClock := strings.Cut(strings.TrimSpace(val), "@")
		d, err := time.ParseDuration(strings.TrimSpace(durText))
		if err != nil {
			return Policy{}, &ParseError{part, "invalid duration (want e.g. 30s, 10m, 4h)"}
		}
		if d < MinTarget {
			return Policy{}, &ParseError{part, "duration must be at least 1s"}
		}
		p.Rules[i].Target = d
		if hasClock {
			switch c := Clock(strings.ToLower(strings.TrimSpace(clockText))); c {
			case Wall, Business:
				p.Rules[i].Clock = c
			default:
				return Policy{}, &ParseError{part, `clock must be "wall" or "business"`}
			}
		}
	}
	return p, nil
}

func strictIndex(key string) (int, bool) {
	key = strings.TrimSpace(key)
	for i, p := range Priorities {
		if strings.EqualFold(key, p) {
			return i, true
		}
	}
	return 0, false
}
