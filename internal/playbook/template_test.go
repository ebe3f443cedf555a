package playbook

import (
	"strings"
	"testing"
	"unicode"

	"github.com/longbridgeapp/opencc"

	"github.com/harbordesk/harbordesk/internal/profile"
)

// TestLocaleCoverage: every template the default playbooks can select
// renders to a non-empty, brace-free text in every reply locale.
func TestLocaleCoverage(t *testing.T) {
	args := map[string]string{"order_id": "HH12345678", "status": "shipped", "tracking": "SF1"}
	for _, p := range Default().Playbooks() {
		for slot := range p.Templates {
			for _, loc := range append([]string{"yue-Hans"}, Locales...) {
				got, ok := p.Render(profile.Default(), slot, loc, args)
				if !ok || strings.TrimSpace(got) == "" || strings.ContainsAny(got, "{}") {
					t.Errorf("%s %s %s: %q", p.Intent, slot, loc, got)
				}
			}
		}
		if _, ok := p.Render(profile.Default(), "nope", "en", nil); ok {
			t.Errorf("%s: unknown slot rendered", p.Intent)
		}
	}
}

func TestRender(t *testing.T) {
	smalltalk := Default().For("smalltalk")
	missing := Default().For("order_status")
	inline := Playbook{Templates: map[string]Template{SlotSmalltalk: {Texts: map[string]string{
		"yue-Hant": "有咩可以幫到你？{business_name}", "en": "How can I help? {order_id}"}}}}
	tests := []struct {
		name      string
		p         Playbook
		slot, loc string
		args      map[string]string
		want, not []string
	}{
		{"profile text yue", smalltalk, SlotSmalltalk, "yue-Hant", nil, []string{"有咩可以幫到你"}, nil},
		{"profile text yue-Hans converted", smalltalk, SlotSmalltalk, "yue-Hans", nil, []string{"有咩可以帮到你"}, []string{"幫"}},
		{"profile placeholder", missing, SlotOrderMissing, "zh-Hant", map[string]string{"order_id": "HH1"}, []string{"訂單 HH1"}, nil},
		{"profile missing arg removed", missing, SlotOrderMissing, "en", nil, []string{"find order  just"}, []string{"{"}},
		{"inline with the profile's placeholders", inline, SlotSmalltalk, "yue-Hans", nil, []string{"有咩可以帮到你？Harbour Home & Tech"}, nil},
		{"inline missing locale: the profile's locales", inline, SlotSmalltalk, "zh-Hant", nil, []string{"有咩可以幫到你"}, nil},
		{"inline en with args", inline, SlotSmalltalk, "en", map[string]string{"order_id": "X1"}, []string{"How can I help? X1"}, nil},
		{"phrase key", missing, SlotAskOrder, "zh-Hans", nil, []string{"HH12345678"}, nil},
		{"phrase with args", missing, SlotOrderStatus, "en", map[string]string{"order_id": "HH7", "status": "shipped"}, []string{"HH7", "shipped"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := tt.p.Render(profile.Default(), tt.slot, tt.loc, tt.args)
			if !ok {
				t.Fatal("no template")
			}
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("%q lacks %q", got, w)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(got, w) {
					t.Errorf("%q contains %q", got, w)
				}
			}
		})
	}
}

func TestFillUnbalanced(t *testing.T) {
	tpl := Template{Texts: map[string]string{"en": "a {x"}}
	if got := tpl.Render(profile.Default(), "en", map[string]string{"x": "1"}); got != "a {x" {
		t.Errorf("fill = %q", got)
	}
}

// TestInlineScriptPurity: Simplified texts hold no Traditional-only
// character and Traditional texts no Simplified-only one (per OpenCC).
func TestInlineScriptPurity(t *testing.T) {
	toS, err := opencc.New("t2s")
	if err != nil {
		t.Fatal(err)
	}
	toT, err := opencc.New("s2hk")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range Default().Playbooks() {
		for slot, tpl := range p.Templates {
			for loc, txt := range tpl.Texts {
				for _, r := range txt {
					if !unicode.Is(unicode.Han, r) {
						continue
					}
					simp, _ := toS.Convert(string(r))
					trad, _ := toT.Convert(string(r))
					switch {
					case loc == "zh-Hans" && simp != string(r):
						t.Errorf("%s %s %s: Traditional-only %q", p.Intent, slot, loc, r)
					case loc != "zh-Hans" && trad != string(r) && simp == string(r):
						t.Errorf("%s %s %s: Simplified-only %q", p.Intent, slot, loc, r)
					}
				}
			}
		}
	}
}
