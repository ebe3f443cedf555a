package phrase

import (
	"strings"
	"testing"
	"unicode"

	"github.com/longbridgeapp/opencc"
)

func TestEveryKeyInEveryLocale(t *testing.T) {
	if len(templates) != len(Locales) {
		t.Errorf("templates has %d locales, Locales lists %d", len(templates), len(Locales))
	}
	for _, loc := range Locales {
		if len(templates[loc]) != len(Keys) {
			t.Errorf("%s: %d templates for %d keys", loc, len(templates[loc]), len(Keys))
		}
		for _, k := range Keys {
			if strings.TrimSpace(templates[loc][k]) == "" {
				t.Errorf("%s: missing %s", loc, k)
			}
		}
	}
}

// TestPlaceholdersAgree: every locale uses the same placeholders per key.
func TestPlaceholdersAgree(t *testing.T) {
	for _, k := range Keys {
		want := placeholders(templates["en"][k])
		for _, loc := range Locales {
			if got := placeholders(templates[loc][k]); got != want {
				t.Errorf("%s %s: placeholders %q, en has %q", loc, k, got, want)
			}
		}
	}
}

func placeholders(s string) string {
	var out []string
	for {
		i := strings.IndexByte(s, '{')
		j := strings.IndexByte(s, '}')
		if i < 0 || j < i {
			break
		}
		out = append(out, s[i+1:j])
		s = s[j+1:]
	}
	if len(out) > 1 {
		// order differs between languages; compare as a set
		for a := range out {
			for b := a + 1; b < len(out); b++ {
				if out[b] < out[a] {
					out[a], out[b] = out[b], out[a]
				}
			}
		}
	}
	return strings.Join(out, ",")
}

func converter(t *testing.T, name string) *opencc.OpenCC {
	t.Helper()
	cc, err := opencc.New(name)
	if err != nil {
		t.Fatal(err)
	}
	return cc
}

// TestScriptPurity: Simplified templates contain no Traditional-only
// character and Traditional templates no Simplified-only one (per OpenCC).
func TestScriptPurity(t *testing.T) {
	toS, toT := converter(t, "t2s"), converter(t, "s2hk")
	conv := func(cc *opencc.OpenCC, r rune) string {
		out, err := cc.Convert(string(r))
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	for _, loc := range Locales {
		for _, k := range Keys {
			for _, r := range templates[loc][k] {
				if !unicode.Is(unicode.Han, r) {
					continue
				}
				simp, trad := conv(toS, r), conv(toT, r)
				switch loc {
				case "zh-Hans":
					if simp != string(r) {
						t.Errorf("%s %s: Traditional-only %q", loc, k, r)
					}
				case "zh-Hant", "yue-Hant":
					if trad != string(r) && simp == string(r) {
						t.Errorf("%s %s: Simplified-only %q", loc, k, r)
					}
				}
			}
		}
	}
}

func TestText(t *testing.T) {
	tests := []struct {
		name   string
		key    Key
		locale string
		args   map[string]string
		want   []string
		not    []string
	}{
		{"order status en", OrderStatus, "en", map[string]string{"order_id": "HH12345678", "status": "shipped", "tracking": "SF123"}, []string{"HH12345678", "shipped", "SF123"}, []string{"{"}},
		{"order status yue", OrderStatus, "yue-Hant", map[string]string{"order_id": "HH1", "status": "已出貨", "tracking": "SF9"}, []string{"你嘅訂單 HH1", "已出貨", "SF9"}, nil},
		{"unknown locale falls back to en", SurveyThanks, "fr", nil, []string{"Thank you"}, nil},
		{"yue-Hans is simplified Cantonese", Handoff, "yue-Hans", nil, []string{"你嘅查询", "转咗"}, []string{"詢", "轉"}},
		{"privacy default url", PrivacyNotice, "zh-Hant", nil, []string{DefaultPolicyURL, "STOP", "取消", "私隱"}, nil},
		{"privacy custom url", PrivacyNotice, "en", map[string]string{"policy_url": "https://x.example/p"}, []string{"https://x.example/p", "STOP"}, []string{DefaultPolicyURL}},
		{"after hours", HandoffAfterHours, "en", map[string]string{"back_at": "09:00", "back_day": "tomorrow"}, []string{"back at 09:00 tomorrow"}, nil},
		{"after hours yue", HandoffAfterHours, "yue-Hant", map[string]string{"back_at": "09:00", "back_day": "聽日"}, []string{"聽日 09:00"}, nil},
		{"missing arg removed", OrderStatus, "en", map[string]string{"order_id": "HH1"}, []string{"HH1"}, []string{"{", "}"}},
		{"unknown key", Key("nope"), "en", nil, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Text(tt.key, tt.locale, tt.args)
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
			if tt.key == "nope" && got != "" {
				t.Errorf("unknown key gave %q", got)
			}
		})
	}
}

func TestFillUnbalanced(t *testing.T) {
	if got := fill("a {x", map[string]string{"x": "1"}); got != "a {x" {
		t.Errorf("fill = %q", got)
	}
}

func TestRender(t *testing.T) {
	texts := map[string]string{"en": "Order {order_id} {status}", "yue-Hant": "訂單{order_id}經已{status}", "zh-Hant": ""}
	tests := []struct {
		name, locale string
		args         map[string]string
		want         string
	}{
		{"own locale", "en", map[string]string{"order_id": "A1", "status": "shipped"}, "Order A1 shipped"},
		{"missing placeholder removed", "en", map[string]string{"order_id": "A1"}, "Order A1 "},
		{"unknown locale gets English", "fr", map[string]string{"order_id": "A1", "status": "shipped"}, "Order A1 shipped"},
		{"yue-Hans is yue-Hant simplified", "yue-Hans", map[string]string{"order_id": "A1", "status": "寄出"}, "订单A1经已寄出"},
		{"empty text stays empty", "zh-Hant", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Render(texts, tt.locale, tt.args); got != tt.want {
				t.Errorf("Render = %q, want %q", got, tt.want)
			}
		})
	}
	if got := Render(nil, "en", nil); got != "" {
		t.Errorf("Render(nil) = %q, want empty", got)
	}
}

func BenchmarkText(b *testing.B) {
	args := map[string]string{"order_id": "HH12345678", "status": "shipped", "tracking": "SF1"}
	for b.Loop() {
		Text(OrderStatus, "zh-Hant", args)
	}
}
