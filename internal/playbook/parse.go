package playbook

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/harbordesk/harbordesk/internal/priority"
	"github.com/harbordesk/harbordesk/internal/profile"
)

// file is the YAML document.
type file struct {
	Version   string      `yaml:"version"`
	Playbooks []entryYAML `yaml:"playbooks"`
}

type entryYAML struct {
	Intent           string              `yaml:"intent"`
	Action           string              `yaml:"action"`
	TicketKind       string              `yaml:"ticket_kind"`
	MinPriority      string              `yaml:"min_priority"`
	NegativePriority string              `yaml:"negative_priority"`
	HandoffWhen      []Condition         `yaml:"handoff_when"`
	Templates        map[string]Template `yaml:"templates"`
}

// UnmarshalYAML reads a condition written as a bare name ("negative") or a
// one-entry map with its limit ("refund_over: 1000").
func (c *Condition) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.ScalarNode:
		c.Kind = n.Value
		if c.Kind == WhenLowConfidence {
			c.Limit = DefaultConfidenceFloor
		}
		return nil
	case yaml.MappingNode:
		if len(n.Content) != 2 {
			return fmt.Errorf("line %d: a handoff condition with a limit has exactly one key", n.Line)
		}
		c.Kind = n.Content[0].Value
		if err := n.Content[1].Decode(&c.Limit); err != nil {
			return fmt.Errorf("line %d: %s limit is not a number", n.Line, c.Kind)
		}
		return nil
	}
	return fmt.Errorf("line %d: a handoff condition is a name or a name: limit", n.Line)
}

// Parse reads and validates a playbook set. Every intent of Intents must be
// covered exactly once; errors name the intent and field at fault.
func Parse(data []byte) (*Set, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var f file
	if err := dec.Decode(&f); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("playbook: empty document")
		}
		return nil, fmt.Errorf("playbook: %w", err)
	}
	if strings.TrimSpace(f.Version) == "" {
		return nil, errors.New("playbook: version is missing")
	}
	s := &Set{Version: f.Version, byIntent: make(map[string]Playbook, len(Intents))}
	var errs []error
	for i, e := range f.Playbooks {
		p := Playbook{Version: f.Version, Intent: e.Intent, Action: e.Action, TicketKind: e.TicketKind,
			MinPriority: e.MinPriority, NegativePriority: e.NegativePriority,
			HandoffWhen: e.HandoffWhen, Templates: e.Templates}
		if !slices.Contains(Intents, e.Intent) {
			errs = append(errs, fmt.Errorf("playbook #%d: unknown intent %q", i+1, e.Intent))
			continue
		}
		if _, dup := s.byIntent[e.Intent]; dup {
			errs = append(errs, fmt.Errorf("playbook %s: defined twice", e.Intent))
			continue
		}
		if err := p.validate(); err != nil {
			errs = append(errs, err)
		}
		s.byIntent[e.Intent] = p
	}
	for _, in := range Intents {
		if _, ok := s.byIntent[in]; !ok {
			errs = append(errs, fmt.Errorf("playbook %s: missing", in))
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return s, nil
}

// needs lists the template slots each action uses.
var needs = map[string][]string{
	ActionAnswer:      nil,
	ActionAskOrder:    {SlotAskOrder, SlotOrderStatus, SlotOrderMissing},
	ActionLookupOrder: {SlotOrderStatus, SlotOrderMissing},
	ActionHandoff:     {SlotHandoff},
	ActionSmalltalk:   {SlotSmalltalk},
}

func (p Playbook) validate() error {
	var errs []error
	bad := func(format string, a ...any) {
		errs = append(errs, fmt.Errorf("playbook %s: "+format, append([]any{p.Intent}, a...)...))
	}
	slots, ok := needs[p.Action]
	if !ok {
		bad("action %q unknown (want one of %s)", p.Action, strings.Join(Actions, ", "))
	}
	if strings.TrimSpace(p.TicketKind) == "" {
		bad("ticket_kind is missing")
	}
	for field, v := range map[string]string{"min_priority": p.MinPriority, "negative_priority": p.NegativePriority} {
		if v != "" && !priority.Level(v).Valid() {
			bad("%s %q unknown (want P1..P4)", field, v)
		}
	}
	seen := map[string]bool{}
	for _, c := range p.HandoffWhen {
		switch {
		case !slices.Contains(Conditions, c.Kind):
			bad("handoff_when %q unknown (want one of %s)", c.Kind, strings.Join(Conditions, ", "))
		case seen[c.Kind]:
			bad("handoff_when %q listed twice", c.Kind)
		case c.Kind == WhenRefundOver && c.Limit <= 0:
			bad("handoff_when refund_over needs a positive HKD limit")
		case c.Kind == WhenLowConfidence && (c.Limit <= 0 || c.Limit > 1):
			bad("handoff_when low_confidence limit %v outside (0, 1]", c.Limit)
		}
		seen[c.Kind] = true
	}
	if p.Action == ActionAnswer && !seen[WhenNoAnswer] {
		// The bot never guesses: an answer playbook must say what happens
		// when the knowledge base has nothing.
		bad("action answer needs handoff_when no_answer")
	}
	if len(p.HandoffWhen) > 0 && !slices.Contains(slots, SlotHandoff) {
		slots = append(slots, SlotHandoff)
	}
	for _, slot := range slots {
		if _, ok := p.Templates[slot]; !ok {
			bad("templates.%s is missing (needed by action %s)", slot, p.Action)
		}
	}
	for _, slot := range sortedKeys(p.Templates) {
		if !slices.Contains(Slots, slot) {
			bad("templates.%s: unknown slot (want one of %s)", slot, strings.Join(Slots, ", "))
			continue
		}
		if err := p.Templates[slot].validate(); err != nil {
			bad("templates.%s: %v", slot, err)
		}
	}
	return errors.Join(errs...)
}

func (t Template) validate() error {
	switch {
	case t.Phrase != "" && len(t.Texts) > 0:
		return errors.New("give either phrase or text, not both")
	case t.Phrase != "":
		if !profile.Known(t.Phrase) {
			return fmt.Errorf("phrase key %q unknown (want a profile text: %s)", t.Phrase, strings.Join(profile.Keys, ", "))
		}
		return nil
	case len(t.Texts) == 0:
		return errors.New("needs a phrase key or text per locale")
	}
	var errs []error
	for _, loc := range sortedKeys(t.Texts) {
		if !slices.Contains(Locales, loc) {
			errs = append(errs, fmt.Errorf("text.%s: unknown locale (want %s)", loc, strings.Join(Locales, ", ")))
		}
	}
	want := placeholders(t.Texts["en"])
	for _, loc := range Locales {
		txt, ok := t.Texts[loc]
		if !ok || strings.TrimSpace(txt) == "" {
			errs = append(errs, fmt.Errorf("text.%s is missing", loc))
			continue
		}
		if got := placeholders(txt); got != want {
			errs = append(errs, fmt.Errorf("text.%s placeholders {%s} differ from en {%s}", loc, got, want))
		}
	}
	return errors.Join(errs...)
}

// placeholders returns the sorted, comma-joined {names} of s.
func placeholders(s string) string {
	var out []string
	for {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			break
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			break
		}
		out = append(out, s[i+1:i+j])
		s = s[i+j+1:]
	}
	slices.Sort(out)
	return strings.Join(slices.Compact(out), ",")
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}
