package llm

import (
	"strings"
	"testing"
)

func TestMessages(t *testing.T) {
	tests := []struct {
		locale string
		want   []string // in the system message
	}{
		{"yue-Hant", []string{"colloquial written Cantonese", "Traditional Chinese characters"}},
		{"yue-Hans", []string{"colloquial written Cantonese", "Simplified Chinese characters"}},
		{"zh-Hant", []string{"standard written Chinese", "Traditional Chinese characters"}},
		{"zh-Hans", []string{"standard written Chinese", "Simplified Chinese characters"}},
		{"en", []string{"Write the answer in English"}},
		{"fr", []string{"Write the answer in English"}},
	}
	for _, tt := range tests {
		q := Question{Text: "可唔可以退貨？我電話 [PHONE]", Locale: tt.locale, Articles: parseArticles}
		ms := messages(q)
		if len(ms) != 2 || ms[0].Role != "system" || ms[1].Role != "user" {
			t.Fatalf("%s: roles %+v", tt.locale, ms)
		}
		sys := ms[0].Content
		want := append(tt.want, "ONLY", "NO_ANSWER", "SOURCES:",
			"[ID: returns-policy]", "未開封貨品 14 日內可退。", "[ID: payment-methods]", "接受八達通、FPS、PayMe。")
		for _, w := range want {
			if !strings.Contains(sys, w) {
				t.Errorf("%s: system message lacks %q", tt.locale, w)
			}
		}
		if strings.Contains(sys, q.Text) {
			t.Errorf("%s: customer text leaked into the system message", tt.locale)
		}
		if ms[1].Content != q.Text {
			t.Errorf("%s: user message = %q", tt.locale, ms[1].Content)
		}
	}
}
