package kb

import (
	"strings"
	"testing"
)

func TestNormalize(t *testing.T) {
	for _, tc := range []struct {
		in      string
		has     []string // substrings the normalised form must contain
		hasNot  []string // and must not
		comment string
	}{
		{in: "要幾多日內退先得？", has: []string{"几天内退"}, hasNot: []string{"先得", "几多"}, comment: "question frame + particle"},
		{in: "可唔可以退貨呀", has: []string{"可以退货"}, hasNot: []string{"呀", "唔"}},
		{in: "我退咗貨，啲錢幾耐先會退返？", has: []string{"退了货", "多久", "退回"}, hasNot: []string{"咗", "几耐"}},
		{in: "請問你哋幾點閂門㗎", has: []string{"们", "关门"}, hasNot: []string{"请问", "㗎", "闩"}, comment: "lexicon: 閂門 → 關門"},
		{in: "唔該check下我張order", has: []string{"查", "订单"}, hasNot: []string{"唔该", "不该"}, comment: "lexicon: code-mixed terms"},
		{in: "can u send it back pls", has: []string{"you", "return", "please"}, hasNot: []string{" u ", "back"}},
		{in: "my new microwave wont turn on", has: []string{"faulty"}, hasNot: []string{"turn on"}},
		{in: "it stopped working after a day", has: []string{"faulty"}},
		{in: "I want my money back", has: []string{"refund"}},
		{in: "SHOP HOURS", has: []string{"shop hours"}, comment: "English is lower-cased and otherwise kept"},
	} {
		got := normalize(tc.in)
		for _, h := range tc.has {
			if !strings.Contains(got, h) {
				t.Errorf("normalize(%q) = %q, want it to contain %q (%s)", tc.in, got, h, tc.comment)
			}
		}
		for _, h := range tc.hasNot {
			if strings.Contains(got, h) {
				t.Errorf("normalize(%q) = %q, want no %q (%s)", tc.in, got, h, tc.comment)
			}
		}
	}
}

func TestVerbTrigger(t *testing.T) {
	for _, tc := range []struct {
		q     string
		topic string
		want  bool
	}{
		{"我買咗部吸塵機想退，要幾多日內退先得？", "#returns", true},
		{"呢部風扇我想退呀", "#returns", true},
		{"我想退款", "#returns", false}, // 退款 is the refund topic
		{"我想退休之後做咩好", "#returns", false},
		{"啲錢幾耐先會退返落張卡度", "#refund", true},
		{"可唔可以改第二日", "#appointment", true},
		{"我想改密碼", "#appointment", false},
	} {
		f := fold(tc.q) + "\n" + normalize(tc.q)
		got := false
		for _, tt := range topicTerms(f, nil) {
			got = got || tt == tc.topic
		}
		if got != tc.want {
			t.Errorf("%q: topic %s fired=%v, want %v", tc.q, tc.topic, got, tc.want)
		}
	}
}

// TestColloquialReturnsQuestion is the example: everyday Cantonese
// phrasing of a return-window question must be answered like its plain form.
func TestColloquialReturnsQuestion(t *testing.T) {
	ix := NewIndex(DefaultArticles())
	plain, ok1 := ix.Answer("電飯煲想退，幾多日內可以退？", "return_policy", "yue", "Hant", evalNow)
	coll, ok2 := ix.Answer("我買咗部吸塵機想退，要幾多日內退先得？", "return_policy", "yue", "Hant", evalNow)
	if !ok1 || !ok2 || coll.ArticleID != "returns-policy" || plain.ArticleID != "returns-policy" {
		t.Fatalf("plain %+v %v, colloquial %+v %v", plain.ArticleID, ok1, coll.ArticleID, ok2)
	}
	if coll.Confidence < MinConfidence+0.2 {
		t.Errorf("colloquial confidence %.2f is too close to the gate %.2f", coll.Confidence, MinConfidence)
	}
}
