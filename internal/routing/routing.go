// Package routing decides who gets a new handoff: an online agent who speaks
// its language and is under their max_open, least loaded first, and among
// equally loaded agents the one assigned longest ago (round-robin). Pure:
// the caller reads the candidates and records the choice.
package routing

import (
	"slices"
	"time"
)

// Candidate is one agent as routing sees them.
type Candidate struct {
	Login        string
	Languages    []string
	Presence     string
	Open         int // handoffs assigned to or claimed by them, unresolved
	MaxOpen      int
	LastAssigned time.Time
}

// Eligible reports whether c may take a handoff in language (empty: any).
func Eligible(c Candidate, language string) bool {
	if c.Presence != "online" || c.Open >= c.MaxOpen {
		return false
	}
	return language == "" || slices.Contains(c.Languages, language)
}

// Pick chooses the agent for a handoff in language, skipping the logins in
// exclude (agents who already let this handoff time out). ok is false when
// nobody is eligible: the handoff waits in the open queue.
func Pick(cands []Candidate, language string, exclude []string) (login string, ok bool) {
	var best *Candidate
	for i := range cands {
		c := &cands[i]
		if !Eligible(*c, language) || slices.Contains(exclude, c.Login) {
			continue
		}
		if best == nil || before(c, best) {
			best = c
		}
	}
	if best == nil {
		return "", false
	}
	return best.Login, true
}

func before(a, b *Candidate) bool {
	if a.Open != b.Open {
		return a.Open < b.Open
	}
	if !a.LastAssigned.Equal(b.LastAssigned) {
		return a.LastAssigned.Before(b.LastAssigned)
	}
	return a.Login < b.Login
}
