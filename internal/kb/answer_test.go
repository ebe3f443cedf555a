package kb

import (
	"strings"
	"testing"
	"time"

	"github.com/harbordesk/harbordesk/internal/hkcal"
)

func TestLocale(t *testing.T) {
	tests := []struct{ lang, script, want string }{
		{"yue", "Hant", "yue-Hant"}, {"yue", "", "yue-Hant"}, {"yue", "Hans", "yue-Hans"},
		{"zh", "Hant", "zh-Hant"}, {"zh", "Hans", "zh-Hans"}, {"zh", "", "zh-Hant"},
		{"en", "Latn", "en"}, {"", "", "en"}, {"fr", "Latn", "en"},
	}
	for _, tt := range tests {
		if got := Locale(tt.lang, tt.script); got != tt.want {
			t.Errorf("Locale(%q,%q) = %q want %q", tt.lang, tt.script, got, tt.want)
		}
	}
}

func TestAnswerScriptAndLanguage(t *testing.T) {
	ix := NewIndex(DefaultArticles())
	tests := []struct {
		q, lang, script, wantLoc string
		must                     string
	}{
		{"退貨政策係點？", "yue", "Hant", "yue-Hant", "嘅"},
		{"退货政策系点？", "yue", "Hans", "yue-Hans", "嘅"},
		{"退貨政策是怎樣？", "zh", "Hant", "zh-Hant", "貨品"},
		{"退货政策是怎样？", "zh", "Hans", "zh-Hans", "货品"},
		{"return policy?", "en", "Latn", "en", "Unopened"},
	}
	for _, tt := range tests {
		a, ok := ix.Answer(tt.q, "return_policy", tt.lang, tt.script, evalNow)
		if !ok || a.ArticleID != "returns-policy" || a.Locale != tt.wantLoc || !strings.Contains(a.Text, tt.must) {
			t.Errorf("%q: %+v ok=%v", tt.q, a, ok)
		}
		if tt.wantLoc == "yue-Hans" || tt.wantLoc == "zh-Hans" {
			if r, bad := traditionalOnly(t, a.Text); bad {
				t.Errorf("%q: Traditional %q in Hans reply", tt.q, r)
			}
		}
	}
}

func TestRenderFallbacks(t *testing.T) {
	a := Article{Versions: map[string]Version{LocaleZhHant: {Title: "t", Body: "請於營業時間內聯絡我們"}}}
	tests := []struct {
		loc, want string
		ok        bool
	}{
		{LocaleZhHant, "請於營業時間內聯絡我們", true},
		{LocaleZhHans, "请于营业时间内联络我们", true},
		{LocaleYueHant, "請於營業時間內聯絡我們", true},
		{LocaleYueHans, "请于营业时间内联络我们", true},
		{LocaleEn, "", false}, // never answer an English customer in Chinese
	}
	for _, tt := range tests {
		got, ok := render(a, tt.loc)
		if got != tt.want || ok != tt.ok {
			t.Errorf("render(%s) = %q,%v", tt.loc, got, ok)
		}
	}
	hansOnly := Article{Versions: map[string]Version{LocaleZhHans: {Title: "t", Body: "请联络我们"}}}
	if got, ok := render(hansOnly, LocaleZhHant); !ok || got != "請聯絡我們" {
		t.Errorf("s2t fallback = %q", got)
	}
	if _, ok := render(Article{Versions: map[string]Version{LocaleEn: {Title: "t", Body: "hi"}}}, LocaleZhHans); ok {
		t.Error("Chinese reply rendered from English only")
	}
}

func TestAnswerRejects(t *testing.T) {
	ix := NewIndex(DefaultArticles())
	for _, q := range []string{"Can you recommend a good dentist in Causeway Bay?", "今日天氣點呀", "", "？？？"} {
		if a, ok := ix.Answer(q, "", "en", "Latn", evalNow); ok {
			t.Errorf("%q answered: %+v", q, a)
		}
	}
	// Expired article: no answer rather than a stale one.
	arts := []Article{{ID: "cny-sale", Intent: "other", Topic: "payment", ValidTo: time.Date(2026, 1, 1, 0, 0, 0, 0, hkcal.HK),
		Versions: map[string]Version{LocaleEn: {Title: "CNY sale payment", Body: "Pay by Octopus for 5% off"}}}}
	if a, ok := NewIndex(arts).Answer("can I pay by Octopus", "", "en", "Latn", evalNow); ok {
		t.Errorf("expired article answered: %+v", a)
	}
	if a, ok := NewIndex(nil).Answer("opening hours", "", "en", "Latn", evalNow); ok {
		t.Errorf("empty index answered: %+v", a)
	}
	// English customer, article with Chinese only: hand off.
	zhOnly := []Article{{ID: "x", Intent: "return_policy", Topic: "returns", Versions: map[string]Version{LocaleZhHant: {Title: "退貨", Body: "退貨 return 14 天"}}}}
	if a, ok := NewIndex(zhOnly).Answer("return", "return_policy", "en", "Latn", evalNow); ok {
		t.Errorf("answered English from Chinese: %+v", a)
	}
}

func TestDistinctAnswers(t *testing.T) {
	ix := NewIndex(DefaultArticles())
	seen := map[string]string{}
	for _, q := range []string{"幾點開門？", "點樣退貨？", "送貨幾錢？"} {
		a, ok := ix.Answer(q, "", "yue", "Hant", evalNow)
		if !ok {
			t.Fatalf("%q not answered", q)
		}
		if other, dup := seen[a.Text]; dup {
			t.Errorf("%q and %q got the same text", q, other)
		}
		seen[a.Text] = q
	}
}

func TestHoursNote(t *testing.T) {
	ix := NewIndex(DefaultArticles())
	hk := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, hkcal.HK) }
	tests := []struct {
		name, q, lang, script string
		now                   time.Time
		want                  string
	}{
		// Tsim Sha Tsui: Mon-Sat 10:00-22:00, Sun/holiday 10:00-21:00.
		{"closed late evening", "尖沙咀店幾點開？", "yue", "Hant", hk(2026, 3, 10, 23, 0), "而家已經關咗門，聽日 10:00 再開。"},
		{"closed early morning", "尖沙咀店幾點開？", "yue", "Hant", hk(2026, 3, 10, 8, 0), "今日 10:00 再開"},
		{"open", "尖沙咀店幾點開？", "yue", "Hant", hk(2026, 3, 10, 15, 0), "而家營業緊，今日開到 22:00。"},
		{"holiday hours", "What time does the Tsim Sha Tsui shop close?", "en", "Latn", hk(2026, 2, 17, 21, 30), "Today is a public holiday (Lunar New Year's Day), so holiday hours apply. We're closed now; we open tomorrow at 10:00."},
		{"zh-Hans", "尖沙咀店几点开门？", "zh", "Hans", hk(2026, 3, 10, 23, 0), "现在已过营业时间，将于明天 10:00 开始营业。"},
		{"yue-Hans", "尖沙咀店几点开？", "yue", "Hans", hk(2026, 3, 10, 23, 0), "而家已经关咗门，听日 10:00 再开。"},
		// Kwun Tong: Sun 12:00. Saturday 23:00 → tomorrow 12:00.
		{"sunday opening", "Kwun Tong shop hours", "en", "Latn", hk(2026, 3, 7, 23, 0), "we open tomorrow at 12:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, ok := ix.Answer(tt.q, "business_hours", tt.lang, tt.script, tt.now)
			if !ok || !strings.Contains(a.Text, tt.want) {
				t.Errorf("got %q (ok=%v), want containing %q", a.Text, ok, tt.want)
			}
		})
	}
	// Further than tomorrow: weekday and date.
	s := hkcal.Schedule{Days: [7]*hkcal.Hours{time.Thursday: {Open: 10 * time.Hour, Close: 18 * time.Hour}}}
	if got := timeNote(s, LocaleZhHant, hk(2026, 3, 10, 20, 0)); !strings.Contains(got, "星期四（3月12日） 10:00") {
		t.Errorf("note = %q", got)
	}
	if got := timeNote(s, LocaleEn, hk(2026, 3, 10, 20, 0)); !strings.Contains(got, "on Thursday 12/3 at 10:00") {
		t.Errorf("note = %q", got)
	}
}

func TestLiveSwap(t *testing.T) {
	l := NewLive(DefaultArticles())
	if l.Index().Len() < 20 {
		t.Fatal("live index empty")
	}
	ix := l.Replace(DefaultArticles()[:1])
	if l.Index() != ix || ix.Len() != 1 {
		t.Error("Replace did not swap")
	}
	if _, ok := ix.Article("shop-hours"); !ok {
		t.Error("Article lookup failed")
	}
	if _, ok := ix.Article("nope"); ok {
		t.Error("unknown article found")
	}
}

func TestSearch(t *testing.T) {
	ix := NewIndex(DefaultArticles())
	if h := ix.Search("delivery fee", "", 0); h != nil {
		t.Error("k=0 returned hits")
	}
	h := ix.Search("delivery fee Discovery Bay", "", 3)
	if len(h) != 3 || h[0].ArticleID != "delivery-areas-fees" || h[0].Score < h[1].Score {
		t.Errorf("hits = %+v", h)
	}
	// Intent prior reorders close candidates.
	a := ix.Search("改期", "", 1)
	b := ix.Search("改期", "appointment_change", 1)
	if len(a) == 0 || len(b) == 0 || b[0].Score <= a[0].Score*0.99 && b[0].ArticleID == a[0].ArticleID {
		t.Errorf("intent prior had no effect: %+v vs %+v", a, b)
	}
	// Invalid articles are not indexed.
	if NewIndex([]Article{{ID: "Bad ID"}}).Len() != 0 {
		t.Error("invalid article indexed")
	}
}

func TestStem(t *testing.T) {
	for in, want := range map[string]string{"returns": "return", "returned": "return", "returning": "return", "deliveries": "delivery",
		"shipping": "ship", "boxes": "box", "address": "address", "plus": "plus", "it's": "it", "customer's": "customer"} {
		if got := stem(in); got != want {
			t.Errorf("stem(%q) = %q want %q", in, got, want)
		}
	}
}
