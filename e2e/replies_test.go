package e2e

import (
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode"
)

// TestRepliesInCustomersLanguageAndScript: questions about opening hours,
// returns and delivery in Cantonese, Mandarin (both scripts) and English get
// a bot answer within 2 s, in the question's language and script, from the
// right knowledge-base article; a question the KB cannot answer is handed
// off instead of guessed.
func TestRepliesInCustomersLanguageAndScript(t *testing.T) {
	t.Parallel()
	in := start(t)
	topic := map[string]*regexp.Regexp{
		"hours":    regexp.MustCompile(`\d{1,2}\s*[:：]\s*\d{2}`),
		"returns":  regexp.MustCompile(`\d+\s*(days?|日|天)`),
		"delivery": regexp.MustCompile(`(?i)deliver|送貨|送货|配送|運費|运费`),
	}
	cases := []struct{ text, lang, script, topic string }{
		{"你哋星期日幾點開門？", "yue", "Hant", "hours"},
		{"買咗部雪櫃未拆，幾多日內可以退？", "yue", "Hant", "returns"},
		{"你哋有冇得送貨去東涌？", "yue", "Hant", "delivery"},
		{"請問你們幾點關門？", "zh", "Hant", "hours"},
		{"商品退換貨的期限是多久？", "zh", "Hant", "returns"},
		{"請問可以配送到離島嗎？", "zh", "Hant", "delivery"},
		{"你们周末几点开门？", "zh", "Hans", "hours"},
		{"没拆封的电视可以退吗？多少天内？", "zh", "Hans", "returns"},
		{"配送到沙田要几天？", "zh", "Hans", "delivery"},
		{"are u guys open on public holidays", "en", "Latn", "hours"},
		{"how many days do i have to return stuff", "en", "Latn", "returns"},
		{"Can you deliver to Sai Kung?", "en", "Latn", "delivery"},
	}
	type got struct {
		id   string
		t0   time.Time
		want int
	}
	var sent []got
	for i, c := range cases {
		t0 := time.Now()
		a := in.post("web", "c-reply-"+c.lang+c.script+string(rune('a'+i)), "k-reply-"+string(rune('a'+i)), "m1", c.text)
		sent = append(sent, got{a.ContactID, t0, i})
	}
	seen := map[string]string{}
	for _, s := range sent {
		c := cases[s.want]
		v := in.waitContact(s.id, 5*time.Second, func(v contactView) bool { return v.botAnswers() > 0 })
		if el := time.Since(s.t0); el > 2*time.Second {
			t.Errorf("%q: first answer after %s, want ≤ 2s", c.text, el)
		}
		var text, kind string
		for _, r := range v.Replies {
			if r.Author == "bot" && r.Kind != "notice" {
				text, kind = r.Text, r.Kind
				break
			}
		}
		if v.Language != c.lang || v.Script != c.script {
			t.Errorf("%q read as %s/%s, want %s/%s", c.text, v.Language, v.Script, c.lang, c.script)
		}
		if kind != "answer" || !topic[c.topic].MatchString(text) {
			t.Errorf("%q: %s reply %q does not answer the %s question", c.text, kind, text, c.topic)
		}
		if got := replyScript(text); got != c.script {
			t.Errorf("%q: reply in %s, want %s: %q", c.text, got, c.script, text)
		}
		if prev, dup := seen[c.lang+c.script+text]; dup && prev != c.topic {
			t.Errorf("one canned text for %s and %s questions", prev, c.topic)
		}
		seen[c.lang+c.script+text] = c.topic
	}
	a := in.post("web", "c-reply-off", "k-reply-off", "m1", "Can you recommend a good dentist in Causeway Bay?")
	v := in.waitContact(a.ContactID, 5*time.Second, func(v contactView) bool { return v.Handoff != nil })
	for _, r := range v.Replies {
		if r.Kind == "answer" {
			t.Errorf("off-topic question answered as if from the KB: %q", r.Text)
		}
	}
}

// replyScript tells Latin, Simplified and Traditional text apart by the
// characters that differ between the scripts.
func replyScript(s string) string {
	const simp = "们时货营这门点开关请为间么后个东来还发单订换进务费节车钟将让给说话边应该运过样网"
	const trad = "們時貨營這門點開關請為間麼後個東來還發單訂換進務費節車鐘將讓給說話邊應該運過樣網"
	han, hs, ht := 0, 0, 0
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			han++
		}
		if strings.ContainsRune(simp, r) && !strings.ContainsRune(trad, r) {
			hs++
		}
		if strings.ContainsRune(trad, r) && !strings.ContainsRune(simp, r) {
			ht++
		}
	}
	switch {
	case han == 0:
		return "Latn"
	case hs > ht:
		return "Hans"
	}
	return "Hant"
}
