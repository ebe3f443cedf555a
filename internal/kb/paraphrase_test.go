package kb

import (
	"bufio"
	"encoding/json"
	"os"
	"testing"
)

// paraphrase is one question as customers really write it: particles,
// filler, "我買咗部…", "要幾多日內…先得", English words in Chinese, typos
// and text-speak in English. Intent is what a correct reading says.
type paraphrase struct {
	Q       string `json:"q"`
	Locale  string `json:"locale"`
	Article string `json:"article"` // "" = off-topic, must be handed off
	Intent  string `json:"intent"`
}

// ParaphraseRates are the outcomes of answering a paraphrase set.
type paraphraseRates struct {
	n, correct, handedOff, wrong int // on-topic questions
	offN, offHandedOff           int // off-topic questions
}

func (r paraphraseRates) pct(k int) float64 { return 100 * float64(k) / float64(max(r.n, 1)) }

func loadParaphrases(t testing.TB) []paraphrase {
	return loadParaphraseFile(t, "testdata/paraphrases.jsonl")
}

func loadParaphraseFile(t testing.TB, name string) []paraphrase {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []paraphrase
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var p paraphrase
		if err := json.Unmarshal(sc.Bytes(), &p); err != nil {
			t.Fatalf("paraphrases.jsonl: %v", err)
		}
		out = append(out, p)
	}
	return out
}

// scoreParaphrases answers every paraphrase with its reading's intent and
// tallies answered-correctly / handed-off / wrong-article per locale.
func scoreParaphrases(t testing.TB, ix *Index, ps []paraphrase, verbose bool) map[string]*paraphraseRates {
	per := map[string]*paraphraseRates{}
	for _, p := range ps {
		r := per[p.Locale]
		if r == nil {
			r = &paraphraseRates{}
			per[p.Locale] = r
		}
		lang, script := langScript(p.Locale)
		a, ok := ix.Answer(p.Q, p.Intent, lang, script, evalNow)
		if p.Article == "" {
			r.offN++
			if !ok {
				r.offHandedOff++
			} else if verbose {
				t.Logf("off-topic answered %s %q: %s %.2f", p.Locale, p.Q, a.ArticleID, a.Confidence)
			}
			continue
		}
		if _, known := ix.Article(p.Article); !known {
			t.Fatalf("label %q is not a default article", p.Article)
		}
		r.n++
		switch {
		case !ok:
			r.handedOff++
			if verbose {
				t.Logf("handed off %s %q (want %s): confidence %.2f", p.Locale, p.Q, p.Article, a.Confidence)
			}
		case a.ArticleID == p.Article:
			r.correct++
		default:
			r.wrong++
			if verbose {
				t.Logf("wrong article %s %q: got %s want %s (%.2f)", p.Locale, p.Q, a.ArticleID, p.Article, a.Confidence)
			}
		}
	}
	return per
}

// TestParaphrases measures retrieval on real-world phrasing that the
// labelled question set does not use, and gates every locale.
func TestParaphrases(t *testing.T) {
	ix := NewIndex(DefaultArticles())
	per := scoreParaphrases(t, ix, loadParaphrases(t), true)
	for _, loc := range StoredLocales {
		r := per[loc]
		if r == nil || r.n < 30 || r.offN < 5 {
			t.Fatalf("%s: need >= 30 on-topic and >= 5 off-topic paraphrases", loc)
		}
		t.Logf("%-8s n=%d answered-correctly=%.1f%% handed-off=%.1f%% wrong-article=%.1f%% off-topic handed off %d/%d",
			loc, r.n, r.pct(r.correct), r.pct(r.handedOff), r.pct(r.wrong), r.offHandedOff, r.offN)
		// Gates sit a few points under the measured figures (README):
		// a change that sinks colloquial phrasing fails here.
		if r.pct(r.correct) < 82 {
			t.Errorf("%s: answered correctly %.1f%% < 82%%", loc, r.pct(r.correct))
		}
		if r.pct(r.wrong) > 15 {
			t.Errorf("%s: wrong article %.1f%% > 15%%", loc, r.pct(r.wrong))
		}
		if 5*r.offHandedOff < 4*r.offN {
			t.Errorf("%s: only %d/%d off-topic questions handed off", loc, r.offHandedOff, r.offN)
		}
	}
}

// TestParaphrasesHoldout reports the same rates on a second set written
// after the normalisation was tuned on the first and never tuned against:
// the honest figure for phrasing nobody fitted. It logs, and fails only if
// retrieval collapses.
func TestParaphrasesHoldout(t *testing.T) {
	ix := NewIndex(DefaultArticles())
	per := scoreParaphrases(t, ix, loadParaphraseFile(t, "testdata/paraphrases_holdout.jsonl"), true)
	for _, loc := range StoredLocales {
		r := per[loc]
		if r == nil || r.n == 0 {
			t.Fatalf("%s: no hold-out paraphrases", loc)
		}
		t.Logf("%-8s n=%d answered-correctly=%.1f%% handed-off=%.1f%% wrong-article=%.1f%% off-topic handed off %d/%d",
			loc, r.n, r.pct(r.correct), r.pct(r.handedOff), r.pct(r.wrong), r.offHandedOff, r.offN)
		if r.pct(r.correct) < 50 {
			t.Errorf("%s: hold-out answered correctly %.1f%% < 50%%", loc, r.pct(r.correct))
		}
	}
}
