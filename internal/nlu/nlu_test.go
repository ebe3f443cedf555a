package nlu

import (
	"os"
	"runtime"
	"strings"
	"testing"
)

func TestMustPass(t *testing.T) {
	c := Default()
	cases := []struct {
		text, lang, script, intent string
		negative                   *bool
	}{
		{"唔該催下貨，我張單等咗成個禮拜", "yue", "Hant", "order_status", ptr(true)},
		{"出糧先落單", "yue", "Hant", "place_order", nil},
		{"得閒再睇啦", "yue", "Hant", "smalltalk", ptr(false)},
		{"你们周末几点开门", "zh", "Hans", "business_hours", nil},
		{"are u guys open on public holidays", "en", "Latn", "business_hours", nil},
	}
	for _, tc := range cases {
		r := c.Understand(tc.text)
		if r.Language != tc.lang || r.Script != tc.script || r.Intent != tc.intent {
			t.Errorf("%q: got %s/%s/%s, want %s/%s/%s", tc.text, r.Language, r.Script, r.Intent, tc.lang, tc.script, tc.intent)
		}
		if tc.negative != nil && r.Negative != *tc.negative {
			t.Errorf("%q: negative = %v, want %v", tc.text, r.Negative, *tc.negative)
		}
		if r.Confidence <= 0 || r.Confidence > 1 || r.Sentiment < -1 || r.Sentiment > 1 {
			t.Errorf("%q: confidence %v sentiment %v out of range", tc.text, r.Confidence, r.Sentiment)
		}
	}
}

func ptr(b bool) *bool { return &b }

func TestLanguageShortAndMixed(t *testing.T) {
	cases := []struct{ text, lang, script string }{
		{"早晨", "yue", "Hant"},
		{"hello?", "en", "Latn"},
		{"唔該晒！", "yue", "Hant"},
		{"轉人工", "zh", "Hant"},
		{"转人工", "zh", "Hans"},
		{"唔該check下我張order", "yue", "Hant"},
		{"個mon裂咗", "yue", "Hant"},
		{"请问你们的退货政策是什么？", "zh", "Hans"},
		{"請問你們的退貨政策是什麼？", "zh", "Hant"},
		{"唔该帮我睇下张单去咗边", "yue", "Hans"},
		{"My order 仲未到 and it's been a week", "yue", "Hant"},
		{"please send the invoice to my 公司 address today thanks", "en", "Latn"},
		{"OK", "en", "Latn"},
	}
	for _, c := range cases {
		lang, scr := DetectLanguage(c.text)
		if lang != c.lang || scr != c.script {
			t.Errorf("DetectLanguage(%q) = %s/%s, want %s/%s", c.text, lang, scr, c.lang, c.script)
		}
	}
}

func TestNegativeSignals(t *testing.T) {
	c := Default()
	cases := []struct {
		text string
		want bool
	}{
		{"唔該晒！", false},
		{"得閒再睇啦", false},
		{"退款什么时候到账？", false},
		{"你們幾點開門？", false},
		{"我要去消委會投訴你哋", true},
		{"再唔處理我就報警", true},
		{"I will report this to the Consumer Council", true},
		{"你们再不处理我就找媒体曝光", true},
		{"你哋搞乜鬼呀", true},
		{"this is ridiculous, worst service ever 😡", true},
	}
	for _, tc := range cases {
		if r := c.Understand(tc.text); r.Negative != tc.want {
			t.Errorf("%q: negative = %v (sentiment %v, signals %v), want %v", tc.text, r.Negative, r.Sentiment, r.Signals, tc.want)
		}
	}
}

func TestSentiment(t *testing.T) {
	cases := []struct {
		text     string
		min, max float64
	}{
		{"服務好好，多謝晒", 0.3, 1},
		{"服務好差", -1, -0.4},
		{"服務唔差", 0, 1},
		{"not bad at all", 0, 1},
		{"very bad service", -1, -0.6},
		{"terrible!!! 😡😡", -1, -0.8},
		{"thank you 🙏👍", 0.5, 1},
		{"你们周末几点开门", 0, 0},
		{"我唔滿意", -1, -0.2},
	}
	for _, c := range cases {
		s := sentimentScore(fold(c.text), Default().lex.Match(c.text))
		if s < c.min || s > c.max {
			t.Errorf("sentiment(%q) = %v, want in [%v,%v]", c.text, s, c.min, c.max)
		}
	}
}

func TestPriority(t *testing.T) {
	cases := []struct {
		intent        string
		negative, vip bool
		want          string
	}{
		{"complaint", true, false, "P1"},
		{"damaged_item", true, false, "P1"},
		{"refund_request", true, false, "P1"},
		{"order_status", true, false, "P2"},
		{"tech_support", true, false, "P2"},
		{"human_agent", false, false, "P2"},
		{"order_status", false, false, "P3"},
		{"refund_request", false, false, "P3"},
		{"billing", false, false, "P3"},
		{"business_hours", false, false, "P4"},
		{"smalltalk", false, false, "P4"},
		{"business_hours", false, true, "P3"},
		{"complaint", true, true, "P1"},
	}
	for _, c := range cases {
		if got := Priority(c.intent, c.negative, c.vip); got != c.want {
			t.Errorf("Priority(%s,%v,%v) = %s, want %s", c.intent, c.negative, c.vip, got, c.want)
		}
	}
	if got := priorityWithSignals("order_status", true, []string{"threat"}); got != "P1" {
		t.Errorf("threat priority = %s", got)
	}
	if got := Default().Understand("我要去消委會投訴你哋").Priority; got != "P1" {
		t.Errorf("threat message priority = %s", got)
	}
}

func TestValidate(t *testing.T) {
	cases := []struct {
		text string
		want error
	}{
		{"", ErrEmpty},
		{"  \n\t ", ErrEmpty},
		{strings.Repeat("好", MaxRunes+1), ErrTooLong},
		{"\xff\xfe bad", ErrNotUTF8},
		{"abc\x00def", ErrBinary},
		{"\x01\x02\x03\x04ab", ErrBinary},
		{strings.Repeat("好", MaxRunes), nil},
		{"hello\nworld\t!", nil},
	}
	for _, c := range cases {
		if got := Validate(c.text); got != c.want {
			t.Errorf("Validate(%.20q) = %v, want %v", c.text, got, c.want)
		}
	}
	r := Default().Understand("")
	if r.Intent != "other" || r.Confidence != 0 {
		t.Errorf("Understand(\"\") = %+v", r)
	}
}

func TestNormalizedAndMasked(t *testing.T) {
	r := Default().Understand("出糧先落單")
	if r.Normalized != "發工資先下單" || r.MaskedText != "出糧先落單" {
		t.Errorf("normalized %q masked %q", r.Normalized, r.MaskedText)
	}
	if got := r.Signals; len(got) != 2 || got[0] != "payday" || got[1] != "place_order" {
		t.Errorf("signals = %v", got)
	}
}

func TestNewErrors(t *testing.T) {
	if _, err := New(nil, []Example{{Text: "hi", Intent: "smalltalk"}}); err == nil {
		t.Error("nil lexicon accepted")
	}
	if _, err := New(Default().lex, nil); err != ErrNoTrainingData {
		t.Errorf("no data: %v", err)
	}
	if _, err := New(Default().lex, []Example{{Text: "hi", Intent: "chat"}}); err == nil {
		t.Error("unknown intent accepted")
	}
	if _, err := LoadCorpus("dev"); err == nil {
		t.Error("unknown split accepted")
	}
	if _, err := ParseExamples([]byte("{\"text\":\"a\",\"intent\":\"smalltalk\"}\nnot json\n")); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("ParseExamples bad line: %v", err)
	}
}

// TestEvalThresholds holds the acceptance figures on the test split.
func TestEvalThresholds(t *testing.T) {
	test, err := LoadCorpus("test")
	if err != nil {
		t.Skip("no test split yet:", err)
	}
	r := Evaluate(Default(), test)
	if testing.Verbose() || os.Getenv("NLU_REPORT") != "" {
		r.WriteText(os.Stdout)
	}
	if r.LanguageAccuracy < 0.98 || r.IntentAccuracy < 0.90 || r.Negative.F1 < 0.90 {
		t.Errorf("eval below thresholds: language %.3f intent %.3f negative F1 %.3f", r.LanguageAccuracy, r.IntentAccuracy, r.Negative.F1)
	}
}

func TestDeterministic(t *testing.T) {
	train, err := LoadCorpus("train")
	if err != nil {
		t.Fatal(err)
	}
	a, _ := New(Default().lex, train)
	b, _ := New(Default().lex, train)
	for _, s := range []string{"唔該催下貨", "where is my parcel", "你们几点开门"} {
		if ra, rb := a.Understand(s), b.Understand(s); ra.Intent != rb.Intent || ra.Confidence != rb.Confidence {
			t.Errorf("%q: %v/%v vs %v/%v", s, ra.Intent, ra.Confidence, rb.Intent, rb.Confidence)
		}
	}
}

func BenchmarkUnderstand(b *testing.B) {
	c := Default()
	msgs := []string{
		"唔該催下貨，我張單等咗成個禮拜",
		"你们周末几点开门",
		"are u guys open on public holidays",
		"收到嘅雪櫃門凹咗，我要賠償",
		"My internet has been down since this morning",
		"退款什么时候到账？",
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c.Understand(msgs[i%len(msgs)])
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}

func BenchmarkUnderstandParallel(b *testing.B) {
	c := Default()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			c.Understand("唔該check下我張order去咗邊，等咗好耐")
		}
	})
}

// BenchmarkModelMemory trains the default model and reports the heap it
// keeps (models, lexicon, OpenCC tables) and the models' own size.
func BenchmarkModelMemory(b *testing.B) {
	train, err := LoadCorpus("train")
	if err != nil {
		b.Fatal(err)
	}
	lex := Default().lex
	var kept, model float64
	for i := 0; i < b.N; i++ {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		c, err := New(lex, train)
		if err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		kept = float64(after.HeapAlloc) - float64(before.HeapAlloc)
		model = float64(c.ModelBytes())
		runtime.KeepAlive(c)
	}
	b.ReportMetric(kept, "heap-bytes")
	b.ReportMetric(model, "model-bytes")
}

// BenchmarkDefaultMemory reports the heap held after building Default()
// from scratch (OpenCC tables, lexicon, trained models).
func BenchmarkDefaultMemory(b *testing.B) {
	var m runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m)
	before := m.HeapAlloc
	c := Default()
	runtime.GC()
	runtime.ReadMemStats(&m)
	b.ReportMetric(float64(m.HeapAlloc)-float64(before), "heap-bytes")
	runtime.KeepAlive(c)
	for i := 0; i < b.N; i++ {
		c.Understand("hi")
	}
}
