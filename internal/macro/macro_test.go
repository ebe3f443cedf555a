package macro

import (
	"errors"
	"strings"
	"testing"
)

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		m    Macro
		want string // "" = valid; else a fragment of the error
	}{
		{"ok", Macro{Title: "Refund", Text: map[string]string{"en": "Hi {customer_name}, refund done.", "yue-Hant": "{customer_name} 你好"}}, ""},
		{"no title", Macro{Text: map[string]string{"en": "x"}}, "title is required"},
		{"no text", Macro{Title: "t"}, "at least one locale"},
		{"unknown locale", Macro{Title: "t", Text: map[string]string{"fr": "x"}}, `unknown locale "fr"`},
		{"unknown placeholder", Macro{Title: "t", Text: map[string]string{"en": "Hi {name}"}}, "unknown placeholder {name}"},
		{"empty text", Macro{Title: "t", Text: map[string]string{"en": "  "}}, "text.en is required"},
		{"control chars", Macro{Title: "t\x00", Text: map[string]string{"en": "x"}}, "control characters"},
		{"bad utf8", Macro{Title: "t", Text: map[string]string{"en": "\xff"}}, "not valid UTF-8"},
		{"too long", Macro{Title: "t", Text: map[string]string{"en": strings.Repeat("字", MaxTextRunes+1)}}, "over 4000"},
		{"newlines fine", Macro{Title: "t", Text: map[string]string{"zh-Hans": "您好\n{agent_name}"}}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.m.Validate()
			if tc.want == "" {
				if err != nil {
					t.Fatalf("want valid, got %v", err)
				}
				return
			}
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("want error with %q, got %v", tc.want, err)
			}
		})
	}
}

func TestPickAndRender(t *testing.T) {
	m := Macro{Title: "r", Text: map[string]string{"en": "Hi {customer_name}, ticket {ticket_id}. {agent_name}", "zh-Hant": "{customer_name}你好，工單{ticket_id}"}}
	for _, tc := range []struct{ locale, wantLoc string }{
		{"zh-Hant", "zh-Hant"}, {"yue-Hant", "zh-Hant"}, {"en", "en"}, {"zh-Hans", "zh-Hant"}, {"yue-Hans", "zh-Hant"},
	} {
		if _, got := m.Pick(tc.locale); got != tc.wantLoc {
			t.Errorf("Pick(%s) = %s, want %s", tc.locale, got, tc.wantLoc)
		}
	}
	text, loc := m.Pick("en")
	got := Render(text, loc, map[string]string{"ticket_id": "tk_1", "agent_name": "Mei"})
	if got != "Hi customer, ticket tk_1. Mei" {
		t.Fatalf("render: %q", got)
	}
	text, loc = m.Pick("yue-Hant")
	if got := Render(text, loc, map[string]string{"customer_name": "陳先生"}); got != "陳先生你好，工單" {
		t.Fatalf("render zh: %q", got)
	}
}
