package kb

import (
	"strings"
	"time"
)

// MinConfidence is the gate: below it Answer reports no answer and the
// contact goes to a person. Calibrated on testdata/questions.jsonl (see
// TestRetrievalQuality): every labelled KB question scores above it and
// every off-topic one below.
const MinConfidence = 0.35

// Answer is a reply drawn from one article.
type Answer struct {
	ArticleID  string
	Locale     string // locale of Text, e.g. "yue-Hant", "yue-Hans", "zh-Hans", "en"
	Text       string
	Confidence float64 // 0..1
}

// Locale maps the classifier's language and script to a reply locale:
// yue → yue-Hant (yue-Hans when the customer writes Simplified: the
// Cantonese text converted to Simplified), zh → zh-Hant or zh-Hans by
// script (Traditional when unknown, as in Hong Kong), anything else → en.
func Locale(language, script string) string {
	hans := strings.EqualFold(script, "Hans")
	switch strings.ToLower(language) {
	case "yue":
		if hans {
			return LocaleYueHans
		}
		return LocaleYueHant
	case "zh":
		if hans {
			return LocaleZhHans
		}
		return LocaleZhHant
	}
	return LocaleEn
}

// Answer retrieves the best article for the question and renders it in the
// customer's language and script. ok=false means no confident answer (off
// topic, too vague, article expired, or no text in the customer's language):
// the caller must hand off rather than guess. now drives article validity
// and, for opening-hours articles, the "closed now, open at 10:00 tomorrow"
// note in Hong Kong time.
func (ix *Index) Answer(q, intent, language, script string, now time.Time) (Answer, bool) {
	qq := ix.parse(q)
	ranked := ix.rank(qq, intent)
	var valid []scored
	for _, r := range ranked {
		if ix.articles[r.doc].ValidAt(now) {
			valid = append(valid, r)
		}
	}
	if len(valid) == 0 {
		return Answer{}, false
	}
	best := valid[0]
	conf := confidence(best, valid, intent != "" && intent != "other" && intent != "smalltalk" && ix.articles[best.doc].Intent == intent)
	if conf < MinConfidence {
		return Answer{Confidence: conf}, false
	}
	a := ix.articles[best.doc]
	loc := Locale(language, script)
	text, ok := render(a, loc)
	if !ok {
		return Answer{Confidence: conf}, false
	}
	if s := ix.sched[best.doc]; s != nil {
		text = timeNote(*s, loc, now) + "\n" + text
	}
	return Answer{ArticleID: a.ID, Locale: loc, Text: text, Confidence: conf}, true
}

// confidence blends four signals: whether the question names the article's
// topic (a synonym trigger such as "幾點開" or "退貨" — off-topic questions
// practically never do), how much of the question's idf mass the article
// covers (an unknown word like "dentist" weighs heavily against), how
// clearly it beats the runner-up, and agreement with a specific classifier
// intent (not "other"/"smalltalk").
func confidence(best scored, ranked []scored, intentAgrees bool) float64 {
	margin := 1.0
	if len(ranked) > 1 {
		margin = (best.score - ranked[1].score) / best.score
	}
	c := 0.45*best.coverage + 0.1*margin
	if best.topicHit {
		c += 0.4
	}
	if intentAgrees {
		c += 0.15
	}
	return min(max(c, 0), 1)
}

// render returns the article body in loc, converting between scripts with
// OpenCC when that locale's version is missing. It never mixes: a whole text
// is in one script. ok=false when nothing in the customer's language exists.
func render(a Article, loc string) (string, bool) {
	get := func(l string) (string, bool) {
		v, ok := a.Versions[l]
		return strings.TrimSpace(v.Body), ok && strings.TrimSpace(v.Body) != ""
	}
	conv := func(s string, toHans bool) (string, bool) {
		var out string
		var err error
		if toHans {
			out, err = ToSimplified(s)
		} else {
			out, err = ToTraditional(s)
		}
		return out, err == nil
	}
	switch loc {
	case LocaleEn:
		return get(LocaleEn)
	case LocaleYueHant:
		if s, ok := get(LocaleYueHant); ok {
			return s, true
		}
		return render(a, LocaleZhHant) // written Chinese reads fine to Cantonese readers
	case LocaleYueHans:
		if s, ok := get(LocaleYueHant); ok {
			return conv(s, true)
		}
		return render(a, LocaleZhHans)
	case LocaleZhHant:
		if s, ok := get(LocaleZhHant); ok {
			return s, true
		}
		if s, ok := get(LocaleZhHans); ok {
			return conv(s, false)
		}
	case LocaleZhHans:
		if s, ok := get(LocaleZhHans); ok {
			return s, true
		}
		if s, ok := get(LocaleZhHant); ok {
			return conv(s, true)
		}
	}
	return "", false
}
