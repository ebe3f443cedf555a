package kpi

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

// contactFacts is what one contact contributes to the figures.
type contactFacts struct {
	received          time.Time
	arm, lang, chanel string
	afterHours        bool
	answered          bool
	firstResponseMS   int64
	botFirst          bool
	handedOff         bool
	resolved          bool
	reopened          bool
	slaBreaches       int
	score             int // 0 when not scored
}

// knownKind reports whether k is one of the Kind* constants.
func knownKind(k string) bool {
	switch k {
	case KindReceived, KindFirstReply, KindHandoff, KindFirstHumanReply,
		KindResolved, KindReopened, KindCSAT, KindSLABreach:
		return true
	}
	return false
}

// foldContacts groups events by contact and folds each group. It returns the
// contacts in a deterministic order (received time, then ContactID) and the
// number of ignored events.
func foldContacts(events []Event) ([]contactFacts, int) {
	byID := map[string][]Event{}
	ignored := 0
	for _, e := range events {
		if !knownKind(e.Kind) {
			ignored++
			continue
		}
		byID[e.ContactID] = append(byID[e.ContactID], e)
	}
	type keyed struct {
		id string
		f  contactFacts
	}
	out := make([]keyed, 0, len(byID))
	for id, evs := range byID {
		f, ok := foldContact(evs)
		if !ok {
			ignored += len(evs)
			continue
		}
		out = append(out, keyed{id, f})
	}
	slices.SortFunc(out, func(a, b keyed) int {
		if c := a.f.received.Compare(b.f.received); c != 0 {
			return c
		}
		return cmp.Compare(a.id, b.id)
	})
	facts := make([]contactFacts, len(out))
	for i, k := range out {
		facts[i] = k.f
	}
	return facts, ignored
}

// foldContact folds the events of one contact; ok is false without a
// received event.
func foldContact(evs []Event) (f contactFacts, ok bool) {
	slices.SortStableFunc(evs, func(a, b Event) int { return a.At.Compare(b.At) })
	var recv *Event
	for i := range evs {
		if evs[i].Kind == KindReceived {
			recv = &evs[i]
			break
		}
	}
	if recv == nil {
		return f, false
	}
	f.received = recv.At
	f.afterHours = recv.AfterHours
	f.arm = group(recv.Arm, evs, func(e Event) string { return e.Arm })
	f.lang = group(recv.Language, evs, func(e Event) string { return e.Language })
	f.chanel = group(recv.Channel, evs, func(e Event) string { return e.Channel })
	for _, e := range evs {
		switch e.Kind {
		case KindFirstReply, KindFirstHumanReply:
			if f.answered {
				continue // events are in time order: the first one wins
			}
			f.answered = true
			f.firstResponseMS = max(e.At.Sub(f.received).Milliseconds(), 0)
			f.botFirst = e.Kind == KindFirstReply && e.Bot
		case KindHandoff:
			f.handedOff = true
		case KindResolved:
			f.resolved = true
		case KindReopened:
			f.reopened = true
		case KindSLABreach:
			f.slaBreaches++
		case KindCSAT:
			if e.Score >= 1 && e.Score <= 5 {
				f.score = e.Score // the last valid score wins
			}
		}
	}
	return f, true
}

// group is the dimension value of a contact: the received event's value, else
// the first non-empty value on any event, else Unknown; lower-cased.
func group(fromReceived string, evs []Event, get func(Event) string) string {
	v := strings.TrimSpace(fromReceived)
	for i := 0; v == "" && i < len(evs); i++ {
		v = strings.TrimSpace(get(evs[i]))
	}
	if v == "" {
		return Unknown
	}
	return strings.ToLower(v)
}
