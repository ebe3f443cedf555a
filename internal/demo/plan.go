package demo

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"sort"
)

// Visit is one planned customer contact of the demo day.
type Visit struct {
	// Seq is the position in the day, from 1.
	Seq int
	// Minute is the simulated time of day in minutes after midnight; the
	// visits are in this order.
	Minute   int
	Language Language
	Kind     Kind
	Text     string
	// Customer is a customer number; some customers come back during the day.
	Customer int
	// Work says whether an agent works the contact if the desk hands it off.
	Work bool
	// Score is the survey answer ("5", "4", "2") or "" when the customer
	// ignores the survey.
	Score string
	// Reply is the agent's message if the contact is worked.
	Reply string
}

// Clock is the simulated time of day, "HH:MM".
func (v Visit) Clock() string { return fmt.Sprintf("%02d:%02d", v.Minute/60, v.Minute%60) }

// ErrNoContacts is returned for a plan of fewer than one contact.
var ErrNoContacts = errors.New("demo: the number of contacts must be at least 1")

// ErrShare is returned for a worked or survey share outside [0, 1].
var ErrShare = errors.New("demo: shares must be between 0 and 1")

// Mix sets the shares of a plan.
type Mix struct {
	// WorkShare is the share of contacts an agent works if handed off.
	WorkShare float64
	// SurveyShare is the share of worked contacts whose customer answers the
	// survey.
	SurveyShare float64
}

// DefaultMix works most handoffs and answers most surveys, leaving some
// open in the queue for the console.
var DefaultMix = Mix{WorkShare: 0.75, SurveyShare: 0.8}

// Plan draws n visits for one day from seed. The same n, seed and mix give
// the same plan.
func Plan(n int, seed uint64, mix Mix) ([]Visit, error) {
	if n < 1 {
		return nil, ErrNoContacts
	}
	if mix.WorkShare < 0 || mix.WorkShare > 1 || mix.SurveyShare < 0 || mix.SurveyShare > 1 {
		return nil, ErrShare
	}
	r := rand.New(rand.NewPCG(seed, 0x6861726275726465)) // "harburde"
	customers := max(1, n*4/5)                           // one in five comes back
	vs := make([]Visit, n)
	for i := range vs {
		lang := demoLanguages[pick(r, languageWeights)]
		kind := demoKinds[pick(r, kindWeights[:])]
		texts := openers[kind][lang]
		v := Visit{
			Minute:   pick(r, hourWeights[:])*60 + r.IntN(60),
			Language: lang,
			Kind:     kind,
			Text:     texts[r.IntN(len(texts))],
			Customer: 1 + r.IntN(customers),
			Work:     r.Float64() < mix.WorkShare,
		}
		if r.Float64() < mix.SurveyShare {
			v.Score = surveyScores[pick(r, scoreWeights)]
		}
		replies := agentReplies[lang]
		v.Reply = replies[r.IntN(len(replies))]
		vs[i] = v
	}
	sort.SliceStable(vs, func(i, j int) bool { return vs[i].Minute < vs[j].Minute })
	for i := range vs {
		vs[i].Seq = i + 1
	}
	return vs, nil
}

// pick draws an index with the given weights (all positive).
func pick(r *rand.Rand, weights []int) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	x := r.IntN(total)
	for i, w := range weights {
		if x < w {
			return i
		}
		x -= w
	}
	return len(weights) - 1
}
