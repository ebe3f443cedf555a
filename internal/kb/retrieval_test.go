package kb

import (
	"bufio"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"
)

type labelled struct {
	Q       string `json:"q"`
	Locale  string `json:"locale"`
	Article string `json:"article"` // "" = off-topic, must be rejected
}

func loadQuestions(t testing.TB) []labelled {
	t.Helper()
	f, err := os.Open("testdata/questions.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []labelled
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var l labelled
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("questions.jsonl: %v", err)
		}
		out = append(out, l)
	}
	return out
}

// langScript inverts Locale for the labelled locales.
func langScript(loc string) (string, string) {
	switch loc {
	case LocaleYueHant:
		return "yue", "Hant"
	case LocaleYueHans:
		return "yue", "Hans"
	case LocaleZhHant:
		return "zh", "Hant"
	case LocaleZhHans:
		return "zh", "Hans"
	}
	return "en", "Latn"
}

// evalNow is a weekday afternoon, so no hours note changes between runs.
var evalNow = time.Date(2026, 3, 10, 15, 0, 0, 0, time.UTC)

func TestRetrievalQuality(t *testing.T) {
	ix := NewIndex(DefaultArticles())
	qs := loadQuestions(t)
	type tally struct{ n, top1, top1Intent, answered int }
	per := map[string]*tally{}
	offN, offRejected := 0, 0
	for _, q := range qs {
		lang, script := langScript(q.Locale)
		if q.Article == "" {
			offN++
			if a, ok := ix.Answer(q.Q, "", lang, script, evalNow); !ok {
				offRejected++
			} else {
				t.Errorf("off-topic %q answered with %s (confidence %.2f)", q.Q, a.ArticleID, a.Confidence)
			}
			continue
		}
		gold, ok := ix.Article(q.Article)
		if !ok {
			t.Fatalf("label %q is not a default article", q.Article)
		}
		tl := per[q.Locale]
		if tl == nil {
			tl = &tally{}
			per[q.Locale] = tl
		}
		tl.n++
		if h := ix.Search(q.Q, "", 1); len(h) == 1 && h[0].ArticleID == q.Article {
			tl.top1++
		} else {
			got := ""
			if len(h) == 1 {
				got = h[0].ArticleID
			}
			t.Logf("miss (no intent) %s %q: got %s want %s", q.Locale, q.Q, got, q.Article)
		}
		if h := ix.Search(q.Q, gold.Intent, 1); len(h) == 1 && h[0].ArticleID == q.Article {
			tl.top1Intent++
		}
		if a, ok := ix.Answer(q.Q, gold.Intent, lang, script, evalNow); ok && a.ArticleID == q.Article {
			tl.answered++
		} else {
			t.Logf("not answered %s %q: got %s conf %.2f", q.Locale, q.Q, a.ArticleID, a.Confidence)
		}
	}
	for _, loc := range StoredLocales {
		tl := per[loc]
		if tl == nil || tl.n < 40 {
			t.Fatalf("%s: need >= 40 labelled questions", loc)
		}
		acc := float64(tl.top1) / float64(tl.n)
		t.Logf("%-8s n=%d top1=%.1f%% top1(with intent)=%.1f%% answered-correctly=%.1f%%", loc, tl.n,
			100*acc, 100*float64(tl.top1Intent)/float64(tl.n), 100*float64(tl.answered)/float64(tl.n))
		if acc < 0.90 {
			t.Errorf("%s: top-1 accuracy %.1f%% < 90%%", loc, 100*acc)
		}
		if float64(tl.answered)/float64(tl.n) < 0.90 {
			t.Errorf("%s: only %d/%d answered with the right article", loc, tl.answered, tl.n)
		}
	}
	t.Logf("off-topic rejected %d/%d", offRejected, offN)
	if offN < 20 {
		t.Fatalf("need >= 20 off-topic questions, have %d", offN)
	}
}

func TestCodeMixedQuestion(t *testing.T) {
	ix := NewIndex(DefaultArticles())
	a, ok := ix.Answer("唔該check下我張order", "order_status", "yue", "Hant", evalNow)
	if !ok || a.ArticleID != "order-tracking" || a.Locale != LocaleYueHant {
		t.Fatalf("got %+v ok=%v", a, ok)
	}
	if !strings.Contains(a.Text, "訂單") {
		t.Errorf("text not Cantonese order tracking: %q", a.Text)
	}
}

func BenchmarkAnswer(b *testing.B) {
	ix := NewIndex(DefaultArticles())
	qs := loadQuestions(b)
	b.ResetTimer()
	i := 0
	for b.Loop() {
		q := qs[i%len(qs)]
		i++
		lang, script := langScript(q.Locale)
		ix.Answer(q.Q, "", lang, script, evalNow)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "answers/s")
}

func BenchmarkNewIndex(b *testing.B) {
	arts := DefaultArticles()
	for b.Loop() {
		NewIndex(arts)
	}
}
