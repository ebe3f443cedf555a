package kb

import (
	"regexp"
	"strings"
	"testing"
	"unicode"
)

func TestDefaultArticles(t *testing.T) {
	arts := DefaultArticles()
	if len(arts) < 20 {
		t.Fatalf("%d default articles, want >= 20", len(arts))
	}
	yueMarker := regexp.MustCompile(`[嘅咗喺哋冇唔啲嚟佢咁俾畀]`)
	for _, a := range arts {
		for _, loc := range StoredLocales {
			if _, ok := a.Versions[loc]; !ok {
				t.Errorf("%s: missing %s", a.ID, loc)
			}
		}
		if !yueMarker.MatchString(a.Versions[LocaleYueHant].Body) {
			t.Errorf("%s: yue-Hant body has no colloquial Cantonese marker", a.ID)
		}
		if yueMarker.MatchString(a.Versions[LocaleZhHant].Body) {
			t.Errorf("%s: zh-Hant body uses Cantonese colloquial characters", a.ID)
		}
		if strings.ContainsFunc(a.Versions[LocaleEn].Body, isHan) {
			t.Errorf("%s: en body contains Han characters", a.ID)
		}
	}
}

// TestHansMatchesHant: zh-Hans is generated from zh-Hant (go generate); a
// hand edit of one without the other fails here.
func TestHansMatchesHant(t *testing.T) {
	for _, a := range DefaultArticles() {
		want := []Article{{Versions: map[string]Version{LocaleZhHant: a.Versions[LocaleZhHant]}}}
		if err := FillHans(want); err != nil {
			t.Fatal(err)
		}
		if got := a.Versions[LocaleZhHans]; got != want[0].Versions[LocaleZhHans] {
			t.Errorf("%s: zh-Hans is not t2s(zh-Hant); run go generate ./internal/kb", a.ID)
		}
	}
}

// TestScriptPurity: no Traditional-only character in Simplified text and no
// Simplified-only character in Traditional text.
func TestScriptPurity(t *testing.T) {
	for _, a := range DefaultArticles() {
		for loc, v := range a.Versions {
			text := v.Title + v.Body
			switch loc {
			case LocaleZhHans:
				if r, ok := traditionalOnly(t, text); ok {
					t.Errorf("%s %s: Traditional-only %q", a.ID, loc, r)
				}
			case LocaleZhHant, LocaleYueHant:
				if r, ok := simplifiedOnly(t, text); ok {
					t.Errorf("%s %s: Simplified-only %q", a.ID, loc, r)
				}
			}
		}
	}
}

func traditionalOnly(t *testing.T, s string) (rune, bool) {
	for _, r := range s {
		if !unicode.Is(unicode.Han, r) {
			continue
		}
		if simp, err := ToSimplified(string(r)); err != nil {
			t.Fatal(err)
		} else if simp != string(r) {
			return r, true
		}
	}
	return 0, false
}

// hkTraditional are characters that OpenCC treats as Simplified variants
// but that are the standard Hong Kong Traditional forms in proper names:
// 東涌 (Tung Chung), 鰂魚涌, 恒生 (Hang Seng).
var hkTraditional = map[rune]bool{'涌': true, '恒': true}

func simplifiedOnly(t *testing.T, s string) (rune, bool) {
	for _, r := range s {
		if !unicode.Is(unicode.Han, r) || hkTraditional[r] {
			continue
		}
		trad, err := ToTraditional(string(r))
		if err != nil {
			t.Fatal(err)
		}
		simp, err := ToSimplified(string(r))
		if err != nil {
			t.Fatal(err)
		}
		if trad != string(r) && simp == string(r) {
			return r, true
		}
	}
	return 0, false
}

// TestTopicAnswersCarryKeyFacts: the end-to-end checks look for times in
// hours answers, day counts in return answers and delivery words in delivery
// answers, in every language and script.
func TestTopicAnswersCarryKeyFacts(t *testing.T) {
	ix := NewIndex(DefaultArticles())
	tests := []struct {
		q, lang, script string
		want            *regexp.Regexp
	}{
		{"你哋幾點開門？", "yue", "Hant", regexp.MustCompile(`10:00.*22:00`)},
		{"你们几点开门？", "zh", "Hans", regexp.MustCompile(`10:00`)},
		{"你們的營業時間是？", "zh", "Hant", regexp.MustCompile(`22:00`)},
		{"What are your opening hours?", "en", "Latn", regexp.MustCompile(`10:00`)},
		{"未開封可唔可以退貨？", "yue", "Hant", regexp.MustCompile(`14 日`)},
		{"未开封可以退货吗？", "zh", "Hans", regexp.MustCompile(`14 天`)},
		{"未開封可以退貨嗎？", "zh", "Hant", regexp.MustCompile(`14 天`)},
		{"Can I return an unopened item?", "en", "Latn", regexp.MustCompile(`14 days`)},
		{"送貨要幾多錢？", "yue", "Hant", regexp.MustCompile(`送貨`)},
		{"送货要多少钱？", "zh", "Hans", regexp.MustCompile(`送货|配送`)},
		{"運費怎樣計算？", "zh", "Hant", regexp.MustCompile(`送貨|配送`)},
		{"How much is delivery?", "en", "Latn", regexp.MustCompile(`(?i)deliver`)},
	}
	texts := map[string]string{}
	for _, tt := range tests {
		a, ok := ix.Answer(tt.q, "", tt.lang, tt.script, evalNow)
		if !ok || !tt.want.MatchString(a.Text) {
			t.Errorf("%q: ok=%v text=%q, want %v", tt.q, ok, a.Text, tt.want)
		}
		if prev, seen := texts[a.Text]; seen && prev != a.ArticleID {
			t.Errorf("same text for %s and %s", prev, a.ArticleID)
		}
		texts[a.Text] = a.ArticleID
	}
}
