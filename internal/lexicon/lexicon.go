package lexicon

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"
)

// Entry is one slang term and what it means for customer service.
type Entry struct {
	Term       string   `yaml:"term" json:"term"`
	Meaning    string   `yaml:"meaning" json:"meaning"`
	Normalized string   `yaml:"normalized,omitempty" json:"normalized,omitempty"`
	Signals    []string `yaml:"signals,omitempty,flow" json:"signals,omitempty"`
	Intent     string   `yaml:"intent,omitempty" json:"intent,omitempty"`
	Sentiment  float64  `yaml:"sentiment,omitempty" json:"sentiment,omitempty"`
	Example    string   `yaml:"example,omitempty" json:"example,omitempty"`
}

// Lexicon is a versioned set of entries. Build one with Default or Parse;
// a parsed Lexicon is immutable and safe for concurrent use.
type Lexicon struct {
	Version string  `yaml:"version" json:"version"`
	Entries []Entry `yaml:"entries" json:"entries"`

	index *index
}

// KnownSignals are the signal names an entry may carry.
var KnownSignals = []string{
	"negative", "urge", "thanks", "stalling", "immediate", "anger", "threat",
	"damaged", "refund", "complaint", "compensation", "place_order", "payday",
	"human", "late", "delivery", "billing", "account", "appointment", "hours",
	"return", "tech", "greeting", "positive",
}

// KnownIntents are the intent labels of the understanding result (CONTRACT.md).
var KnownIntents = []string{
	"business_hours", "return_policy", "order_status", "damaged_item",
	"refund_request", "complaint", "appointment_change", "tech_support",
	"billing", "account_inquiry", "place_order", "human_agent", "smalltalk", "other",
}

// ErrInvalid wraps every validation failure returned by Parse.
var ErrInvalid = errors.New("invalid lexicon")

//go:embed default.yaml
var defaultYAML []byte

var (
	defaultOnce sync.Once
	defaultLex  *Lexicon
)

// Default returns the embedded lexicon. It is parsed once.
func Default() *Lexicon {
	defaultOnce.Do(func() {
		l, err := Parse(defaultYAML)
		if err != nil {
			panic("lexicon: embedded default.yaml: " + err.Error()) // caught by TestDefault
		}
		defaultLex = l
	})
	return defaultLex
}

// Parse reads a lexicon in YAML or JSON (JSON is valid YAML) and validates it:
// every entry needs a term and a meaning, signals and intents must be known,
// and no two entries may share a term (also across Traditional/Simplified).
func Parse(data []byte) (*Lexicon, error) {
	var l Lexicon
	trimmed := strings.TrimSpace(string(data))
	if trimmed == "" {
		return nil, fmt.Errorf("%w: empty document", ErrInvalid)
	}
	var err error
	if strings.HasPrefix(trimmed, "{") {
		err = json.Unmarshal(data, &l)
	} else {
		err = yaml.Unmarshal(data, &l)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	if err := l.validate(); err != nil {
		return nil, err
	}
	l.index = buildIndex(l.Entries)
	return &l, nil
}

func (l *Lexicon) validate() error {
	if strings.TrimSpace(l.Version) == "" {
		return fmt.Errorf("%w: missing version", ErrInvalid)
	}
	if len(l.Entries) == 0 {
		return fmt.Errorf("%w: no entries", ErrInvalid)
	}
	signals := toSet(KnownSignals)
	intents := toSet(KnownIntents)
	seen := map[string]int{}
	for i, e := range l.Entries {
		if strings.TrimSpace(e.Term) == "" {
			return fmt.Errorf("%w: entry %d: empty term", ErrInvalid, i+1)
		}
		if strings.TrimSpace(e.Meaning) == "" {
			return fmt.Errorf("%w: entry %d (%q): empty meaning", ErrInvalid, i+1, e.Term)
		}
		for _, s := range e.Signals {
			if !signals[s] {
				return fmt.Errorf("%w: entry %d (%q): unknown signal %q", ErrInvalid, i+1, e.Term, s)
			}
		}
		if e.Intent != "" && !intents[e.Intent] {
			return fmt.Errorf("%w: entry %d (%q): unknown intent %q", ErrInvalid, i+1, e.Term, e.Intent)
		}
		if e.Sentiment < -1 || e.Sentiment > 1 {
			return fmt.Errorf("%w: entry %d (%q): sentiment %v outside [-1,1]", ErrInvalid, i+1, e.Term, e.Sentiment)
		}
		for _, v := range variants(e.Term) {
			if j, dup := seen[v]; dup && j != i {
				return fmt.Errorf("%w: entry %d (%q): duplicate of entry %d (%q)", ErrInvalid, i+1, e.Term, j+1, l.Entries[j].Term)
			}
			seen[v] = i
		}
	}
	return nil
}

func toSet(xs []string) map[string]bool {
	m := make(map[string]bool, len(xs))
	for _, x := range xs {
		m[x] = true
	}
	return m
}

// Marshal renders the lexicon as YAML, the format Parse reads back.
func (l *Lexicon) Marshal() ([]byte, error) {
	return yaml.Marshal(l)
}
