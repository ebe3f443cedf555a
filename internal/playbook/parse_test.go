package playbook

import (
	"strings"
	"testing"
)

func TestDefaultParses(t *testing.T) {
	s, err := Parse(DefaultYAML())
	if err != nil {
		t.Fatal(err)
	}
	if s.Version == "" {
		t.Error("default set has no version")
	}
	if Default() != Default() {
		t.Error("Default is not parsed once")
	}
	got := s.Playbooks()
	if len(got) != len(Intents) {
		t.Fatalf("%d playbooks for %d intents", len(got), len(Intents))
	}
	for i, p := range got {
		if p.Intent != Intents[i] || p.Version != s.Version {
			t.Errorf("playbook %d: intent %q version %q", i, p.Intent, p.Version)
		}
	}
}

// edit replaces old with new in the default YAML exactly once.
func edit(t *testing.T, old, new string) []byte {
	t.Helper()
	src := string(DefaultYAML())
	if strings.Count(src, old) != 1 {
		t.Fatalf("%q occurs %d times in the default YAML", old, strings.Count(src, old))
	}
	return []byte(strings.Replace(src, old, new, 1))
}

const complaintBlock = `  - intent: complaint
    action: handoff
    ticket_kind: complaint
    negative_priority: P1
    handoff_when: [always]
    templates: *handoff
`

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		data func(t *testing.T) []byte
		want []string // every substring must appear in the error
	}{
		{"empty", func(*testing.T) []byte { return nil }, []string{"empty document"}},
		{"not yaml", func(*testing.T) []byte { return []byte("version: [") }, []string{"playbook:"}},
		{"unknown field", func(t *testing.T) []byte {
			return edit(t, "    ticket_kind: callback\n", "    ticket_kind: callback\n    priority: P1\n")
		}, []string{"field priority not found"}},
		{"no version", func(t *testing.T) []byte { return edit(t, `version: "2025.1"`, "") }, []string{"version is missing"}},
		{"unknown intent", func(t *testing.T) []byte { return edit(t, "intent: other\n", "intent: others\n") }, []string{`unknown intent "others"`, "playbook other: missing"}},
		{"duplicate intent", func(t *testing.T) []byte {
			return edit(t, complaintBlock, complaintBlock+strings.Replace(complaintBlock, "P1", "P2", 1))
		}, []string{"playbook complaint: defined twice"}},
		{"missing intent", func(t *testing.T) []byte { return edit(t, complaintBlock, "") }, []string{"playbook complaint: missing"}},
		{"unknown action", func(t *testing.T) []byte {
			return edit(t, "action: smalltalk\n", "action: chat\n")
		}, []string{`playbook smalltalk: action "chat" unknown`}},
		{"no ticket kind", func(t *testing.T) []byte {
			return edit(t, "    ticket_kind: sales\n", "")
		}, []string{"playbook place_order: ticket_kind is missing"}},
		{"bad priority", func(t *testing.T) []byte {
			return edit(t, "min_priority: P2\n", "min_priority: urgent\n")
		}, []string{`playbook human_agent: min_priority "urgent" unknown`}},
		{"bad negative priority", func(t *testing.T) []byte {
			return edit(t, complaintBlock, strings.Replace(complaintBlock, "P1", "P0", 1))
		}, []string{`playbook complaint: negative_priority "P0" unknown`}},
		{"unknown condition", func(t *testing.T) []byte {
			return edit(t, "{refund_over: 1000}", "{refund_above: 1000}")
		}, []string{`playbook refund_request: handoff_when "refund_above" unknown`}},
		{"refund without limit", func(t *testing.T) []byte {
			return edit(t, "{refund_over: 1000}", "refund_over")
		}, []string{"playbook refund_request: handoff_when refund_over needs a positive HKD limit"}},
		{"refund limit not a number", func(t *testing.T) []byte {
			return edit(t, "{refund_over: 1000}", "{refund_over: lots}")
		}, []string{"refund_over limit is not a number"}},
		{"condition map with two keys", func(t *testing.T) []byte {
			return edit(t, "{refund_over: 1000}", "{refund_over: 1000, negative: 1}")
		}, []string{"exactly one key"}},
		{"condition as a list", func(t *testing.T) []byte {
			return edit(t, "{refund_over: 1000}", "[refund_over]")
		}, []string{"a handoff condition is a name"}},
		{"confidence limit out of range", func(t *testing.T) []byte {
			return edit(t, "    ticket_kind: tracking\n    handoff_when: [low_confidence]", "    ticket_kind: tracking\n    handoff_when: [{low_confidence: 1.5}]")
		}, []string{"playbook order_status: handoff_when low_confidence limit 1.5 outside"}},
		{"condition twice", func(t *testing.T) []byte {
			return edit(t, "    ticket_kind: tracking\n    handoff_when: [low_confidence]", "    ticket_kind: tracking\n    handoff_when: [low_confidence, low_confidence]")
		}, []string{`playbook order_status: handoff_when "low_confidence" listed twice`}},
		{"answer without no_answer", func(t *testing.T) []byte {
			return edit(t, "    ticket_kind: sales\n    handoff_when: [no_answer, low_confidence]", "    ticket_kind: sales\n    handoff_when: [low_confidence]")
		}, []string{"playbook place_order: action answer needs handoff_when no_answer"}},
		{"missing slot for action", func(t *testing.T) []byte {
			return edit(t, "      ask_order: {phrase: ask_order_number}\n", "")
		}, []string{"playbook order_status: templates.ask_order is missing (needed by action ask_order)"}},
		{"handoff condition without handoff template", func(t *testing.T) []byte {
			return edit(t, "      handoff: {phrase: handoff}\n      ask_order:", "      ask_order:")
		}, []string{"playbook order_status: templates.handoff is missing"}},
		{"unknown slot", func(t *testing.T) []byte {
			return edit(t, "      ask_order: {phrase: ask_order_number}\n", "      ask_order: {phrase: ask_order_number}\n      goodbye: {phrase: survey_thanks}\n")
		}, []string{"playbook order_status: templates.goodbye: unknown slot"}},
		{"unknown phrase key", func(t *testing.T) []byte {
			return edit(t, "{phrase: ask_order_number}", "{phrase: ask_order}")
		}, []string{`playbook order_status: templates.ask_order: phrase key "ask_order" unknown`}},
		{"phrase and text", func(t *testing.T) []byte {
			return edit(t, "{phrase: ask_order_number}", "{phrase: ask_order_number, text: {en: hi}}")
		}, []string{"templates.ask_order: give either phrase or text, not both"}},
		{"empty template", func(t *testing.T) []byte {
			return edit(t, "{phrase: ask_order_number}", "{}")
		}, []string{"templates.ask_order: needs a phrase key or text per locale"}},
		{"locale missing", func(t *testing.T) []byte {
			return inlineSmalltalk(t, strings.Replace(smalltalkInline, `          zh-Hans: "您好！"`+"\n", "", 1))
		}, []string{"playbook smalltalk: templates.smalltalk: text.zh-Hans is missing"}},
		{"locale blank", func(t *testing.T) []byte {
			return inlineSmalltalk(t, strings.Replace(smalltalkInline, `zh-Hans: "您好！"`, `zh-Hans: "  "`, 1))
		}, []string{"text.zh-Hans is missing"}},
		{"unknown locale", func(t *testing.T) []byte {
			return inlineSmalltalk(t, strings.Replace(smalltalkInline, `          en: "Hi {order_id}"`, `          fr: "Salut"`+"\n"+`          en: "Hi {order_id}"`, 1))
		}, []string{"templates.smalltalk: text.fr: unknown locale"}},
		{"placeholders differ", func(t *testing.T) []byte {
			return inlineSmalltalk(t, strings.Replace(smalltalkInline, `yue-Hant: "你好 {order_id}"`, `yue-Hant: "你好 {order}"`, 1))
		}, []string{"playbook smalltalk: templates.smalltalk: text.yue-Hant placeholders {order} differ from en {order_id}"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Parse(tt.data(t))
			if err == nil {
				t.Fatalf("no error; set version %q", s.Version)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

func TestParseConditionLimits(t *testing.T) {
	s, err := Parse(edit(t, "    ticket_kind: tracking\n    handoff_when: [low_confidence]", "    ticket_kind: tracking\n    handoff_when: [{low_confidence: 0.6}]"))
	if err != nil {
		t.Fatal(err)
	}
	if got := s.For("order_status").HandoffWhen; len(got) != 1 || got[0] != (Condition{WhenLowConfidence, 0.6}) {
		t.Errorf("order_status conditions %+v", got)
	}
	if got := s.For("billing").HandoffWhen; len(got) != 2 || got[1] != (Condition{WhenLowConfidence, DefaultConfidenceFloor}) {
		t.Errorf("billing conditions %+v", got)
	}
	if got := s.For("refund_request").HandoffWhen; len(got) != 4 || got[1] != (Condition{WhenRefundOver, 1000}) {
		t.Errorf("refund conditions %+v", got)
	}
}

func TestForUnknownIntentIsOther(t *testing.T) {
	for _, in := range []string{"", "weather", "COMPLAINT"} {
		if got := Default().For(in).Intent; got != FallbackIntent {
			t.Errorf("For(%q) = %q", in, got)
		}
	}
	if got := Default().For("complaint").Intent; got != "complaint" {
		t.Errorf("For(complaint) = %q", got)
	}
}

// smalltalkInline is an inline smalltalk template for the error cases.
const smalltalkInline = `      smalltalk:
        text:
          yue-Hant: "你好 {order_id}"
          zh-Hant: "您好 {order_id}"
          zh-Hans: "您好！"
          en: "Hi {order_id}"
`

// inlineSmalltalk puts tpl in place of the default smalltalk template.
func inlineSmalltalk(t *testing.T, tpl string) []byte {
	return edit(t, "      smalltalk: {phrase: smalltalk}\n", tpl)
}
