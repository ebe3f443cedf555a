package worker

import (
	"context"
	"log/slog"
	"time"

	"github.com/harbordesk/harbordesk/activities"
	"github.com/harbordesk/harbordesk/internal/kb"
	"github.com/harbordesk/harbordesk/internal/llm"
)

// DefaultGroundingArticles is how many retrieved articles the LLM sees when
// GroundedAnswerer.TopK is unset.
const DefaultGroundingArticles = 3

// GroundedAnswerer is the knowledge-base Answerer with optional LLM
// phrasing (HARBORDESK_LLM_URL). Retrieval decides: when the KB has no
// confident answer the LLM is not asked and the contact goes to a person
// (the confidence gate stays). When it has one, the LLM phrases an answer
// from the top-K retrieved articles only, in the customer's locale, citing
// the article IDs; any provider error, timeout or rejected reply (see
// llm.Parse) falls back to the retrieval answer. With LLM nil it is exactly
// the retrieval Answerer.
//
// query must be the customer's masked text (Compose passes
// Reading.MaskedText); the provider masks it once more before sending.
type GroundedAnswerer struct {
	KB   *kb.Live
	LLM  llm.Provider
	Log  *slog.Logger
	TopK int // articles given to the LLM; 0 means DefaultGroundingArticles
}

var _ activities.Answerer = GroundedAnswerer{}

// Answer implements activities.Answerer.
func (g GroundedAnswerer) Answer(ctx context.Context, query, intent, language, script string, now time.Time) (activities.Answer, bool) {
	ix := g.KB.Index()
	ans, ok := ix.Answer(query, intent, language, script, now)
	retrieved := activities.Answer{ArticleID: ans.ArticleID, Locale: ans.Locale, Text: ans.Text, Confidence: ans.Confidence}
	if !ok || g.LLM == nil {
		return retrieved, ok
	}
	arts := groundingArticles(ix, ans, query, intent, g.topK(), now)
	// ctx is Compose's (a local activity's); the provider also bounds the
	// call with its own timeout (llm.DefaultTimeout), well inside it.
	got, err := g.LLM.Answer(ctx, llm.Question{Text: query, Locale: ans.Locale, Articles: arts})
	if err != nil {
		// err carries a reason and status, never customer or model text.
		g.log().Warn("llm answer not used; replying from retrieval", "reason", err.Error(),
			"article_id", ans.ArticleID, "locale", ans.Locale)
		return retrieved, true
	}
	return activities.Answer{ArticleID: got.Sources[0], Locale: ans.Locale, Text: got.Text, Confidence: ans.Confidence}, true
}

func (g GroundedAnswerer) topK() int {
	if g.TopK > 0 {
		return g.TopK
	}
	return DefaultGroundingArticles
}

func (g GroundedAnswerer) log() *slog.Logger {
	if g.Log != nil {
		return g.Log
	}
	return slog.Default()
}

// groundingArticles is the retrieval answer's article first — with the
// rendered answer text, so time notes such as "closed now, open at 10:00
// tomorrow" reach the model — then the next search hits valid at now that
// have text in the reply locale, up to k in all.
func groundingArticles(ix *kb.Index, ans kb.Answer, query, intent string, k int, now time.Time) []llm.Article {
	first, _ := ix.Article(ans.ArticleID)
	title, _ := localeVersion(first, ans.Locale)
	arts := []llm.Article{{ID: ans.ArticleID, Title: title.Title, Body: ans.Text}}
	for _, h := range ix.Search(query, intent, k+1) {
		if len(arts) >= k {
			break
		}
		if h.ArticleID == ans.ArticleID {
			continue
		}
		a, ok := ix.Article(h.ArticleID)
		if !ok || !a.ValidAt(now) {
			continue
		}
		if v, ok := localeVersion(a, ans.Locale); ok {
			arts = append(arts, llm.Article{ID: a.ID, Title: v.Title, Body: v.Body})
		}
	}
	return arts
}

// localeVersion is an article's title and body in a reply locale, with the
// same fallbacks as the KB's own rendering (Cantonese falls back to written
// Chinese; a missing script is converted with OpenCC, never mixed; English
// never falls back to Chinese). It mirrors kb's unexported render, which
// returns the body only.
func localeVersion(a kb.Article, loc string) (kb.Version, bool) {
	get := func(l string) (kb.Version, bool) {
		v, ok := a.Versions[l]
		return v, ok && v.Body != ""
	}
	conv := func(v kb.Version, toHans bool) (kb.Version, bool) {
		f := kb.ToTraditional
		if toHans {
			f = kb.ToSimplified
		}
		t, err1 := f(v.Title)
		b, err2 := f(v.Body)
		return kb.Version{Title: t, Body: b}, err1 == nil && err2 == nil
	}
	switch loc {
	case kb.LocaleYueHant:
		if v, ok := get(kb.LocaleYueHant); ok {
			return v, true
		}
		return localeVersion(a, kb.LocaleZhHant)
	case kb.LocaleYueHans:
		if v, ok := get(kb.LocaleYueHant); ok {
			return conv(v, true)
		}
		return localeVersion(a, kb.LocaleZhHans)
	case kb.LocaleZhHant:
		if v, ok := get(kb.LocaleZhHant); ok {
			return v, true
		}
		if v, ok := get(kb.LocaleZhHans); ok {
			return conv(v, false)
		}
	case kb.LocaleZhHans:
		if v, ok := get(kb.LocaleZhHans); ok {
			return v, true
		}
		if v, ok := get(kb.LocaleZhHant); ok {
			return conv(v, true)
		}
	case kb.LocaleEn:
		return get(kb.LocaleEn)
	}
	return kb.Version{}, false
}
