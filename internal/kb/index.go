package kb

import (
	"math"
	"slices"
	"strings"

	"github.com/harbordesk/harbordesk/internal/hkcal"
)

// BM25 parameters (Robertson/Sparck Jones defaults).
const (
	bm25K1 = 1.2
	bm25B  = 0.75
	// intentBoost multiplies the score of articles whose Intent equals the
	// classifier's intent.
	intentBoost = 1.35
	// topicBoost multiplies the score of articles whose topic the question
	// names (a topic synonym fired): the customer's own words outweigh a
	// classifier intent that may be wrong on colloquial text.
	topicBoost = 2.0
	// titleRepeat and tagRepeat weight titles and tags over body text.
	titleRepeat = 2
	tagRepeat   = 2
)

// Index is an immutable in-memory retrieval index over a set of articles.
// Build a new one with NewIndex when the KB changes and swap it in (see
// Live); an Index is safe for concurrent use.
type Index struct {
	articles []Article
	byID     map[string]int
	sched    []*hkcal.Schedule // per article, nil when it has no hours
	tf       []map[string]int  // per article term frequencies
	docLen   []float64
	avgLen   float64
	idf      map[string]float64
	idfNone  float64 // idf of a term no article contains
}

// Hit is one search result.
type Hit struct {
	ArticleID string
	Score     float64
}

// NewIndex indexes the title, body and tags of every locale version of each
// article (so a code-mixed question can match any of them), plus the
// article's topic token. Articles that fail validation are skipped.
func NewIndex(arts []Article) *Index {
	ix := &Index{byID: map[string]int{}, idf: map[string]float64{}}
	df := map[string]int{}
	for _, a := range arts {
		if a.Validate() != nil {
			continue
		}
		if _, dup := ix.byID[a.ID]; dup {
			continue
		}
		var sb strings.Builder
		for _, loc := range sortedKeys(a.Versions) {
			v := a.Versions[loc]
			for range titleRepeat {
				sb.WriteString(v.Title + "\n")
			}
			sb.WriteString(v.Body + "\n")
		}
		for range tagRepeat {
			sb.WriteString(strings.Join(a.Tags, "\n") + "\n")
		}
		terms := tokenize(normalize(sb.String()))
		terms = append(terms, topicPrefix+a.Topic, topicPrefix+a.Topic)
		tf := map[string]int{}
		for _, t := range terms {
			tf[t]++
		}
		for t := range tf {
			df[t]++
		}
		var sched *hkcal.Schedule
		if a.Hours != nil {
			if s, err := ParseHours(a.Hours); err == nil {
				sched = &s
			}
		}
		ix.byID[a.ID] = len(ix.articles)
		ix.articles = append(ix.articles, a)
		ix.sched = append(ix.sched, sched)
		ix.tf = append(ix.tf, tf)
		ix.docLen = append(ix.docLen, float64(len(terms)))
		ix.avgLen += float64(len(terms))
	}
	n := float64(len(ix.articles))
	if n > 0 {
		ix.avgLen /= n
	}
	for t, d := range df {
		ix.idf[t] = bm25IDF(n, float64(d))
	}
	ix.idfNone = bm25IDF(n, 0)
	return ix
}

func bm25IDF(n, df float64) float64 { return math.Log(1 + (n-df+0.5)/(df+0.5)) }

// Len is the number of indexed articles.
func (ix *Index) Len() int { return len(ix.articles) }

// Article returns the indexed article with the given ID.
func (ix *Index) Article(id string) (Article, bool) {
	i, ok := ix.byID[id]
	if !ok {
		return Article{}, false
	}
	return ix.articles[i], true
}

// query is a tokenised question with per-term weights.
type query struct {
	terms map[string]float64 // term → weight × occurrences
	keys  []string           // terms in sorted order: sums are reproducible to the last bit
	total float64            // Σ weight × idf over all terms (unknown terms count at idfNone)
}

func (ix *Index) parse(q string) query {
	f, n := fold(q), normalize(q)
	toks := tokenize(n)
	words := map[string]bool{}
	for _, t := range append(tokenize(f), toks...) {
		if !strings.ContainsFunc(t, isHan) {
			words[t] = true
		}
	}
	// Topic triggers match the question as written and as normalised, so
	// a trigger written in either register fires.
	toks = append(toks, topicTerms(f+"\n"+n, words)...)
	qq := query{terms: map[string]float64{}}
	for _, t := range toks {
		qq.terms[t] += termWeight(t)
	}
	qq.keys = sortedKeys(qq.terms)
	for _, t := range qq.keys {
		qq.total += qq.terms[t] * ix.queryIDF(t)
	}
	return qq
}

// queryIDF is how much an unmatched term counts against the confidence of
// an answer. An unknown Han bigram is usually a word-boundary artefact of
// two common characters ("店几" in "沙田店几点开"), so it counts as the mean
// idf of its characters (nothing when one is a function character); a
// genuinely unknown word ("牙醫", "颱風") is made
// of characters the KB never uses and still counts in full.
func (ix *Index) queryIDF(t string) float64 {
	if v, ok := ix.idf[t]; ok {
		return v
	}
	if r := []rune(t); len(r) == 2 && isHan(r[0]) {
		if stopUnigram[r[0]] || stopUnigram[r[1]] {
			// "我想", "想退", "要退": a function word's junction with
			// its neighbour, not a word the KB lacks.
			return 0
		}
		return (ix.termIDF(string(r[0])) + ix.termIDF(string(r[1]))) / 2
	}
	return ix.termIDF(t)
}

func (ix *Index) termIDF(t string) float64 {
	if v, ok := ix.idf[t]; ok {
		return v
	}
	if strings.HasPrefix(t, topicPrefix) {
		return 0 // a topic no article has says nothing either way
	}
	return ix.idfNone
}

func termWeight(t string) float64 {
	switch {
	case strings.HasPrefix(t, topicPrefix):
		return weightTopic
	case strings.ContainsFunc(t, isHan):
		if len([]rune(t)) == 1 {
			return weightUnigram
		}
		return weightBigram
	default:
		return weightWord
	}
}

// scored is an internal hit with the evidence used for confidence.
type scored struct {
	doc      int
	score    float64
	coverage float64 // share of the question's idf mass this article matches
	topicHit bool    // the question triggered this article's topic synonyms
}

func (ix *Index) rank(qq query, intent string) []scored {
	out := make([]scored, 0, len(ix.articles))
	for d, tf := range ix.tf {
		var s, matched float64
		norm := bm25K1 * (1 - bm25B + bm25B*ix.docLen[d]/ix.avgLen)
		for _, t := range qq.keys {
			w := qq.terms[t]
			f := float64(tf[t])
			if f == 0 {
				continue
			}
			idf := ix.idf[t]
			s += w * idf * f * (bm25K1 + 1) / (f + norm)
			matched += w * idf
		}
		if s == 0 {
			continue
		}
		if intent != "" && ix.articles[d].Intent == intent {
			s *= intentBoost
		}
		hit := qq.terms[topicPrefix+ix.articles[d].Topic] > 0
		if hit {
			s *= topicBoost
		}
		c := 0.0
		if qq.total > 0 {
			c = matched / qq.total
		}
		out = append(out, scored{doc: d, score: s, coverage: c, topicHit: hit})
	}
	slices.SortStableFunc(out, func(a, b scored) int {
		switch {
		case a.score > b.score:
			return -1
		case a.score < b.score:
			return 1
		}
		return strings.Compare(ix.articles[a.doc].ID, ix.articles[b.doc].ID)
	})
	return out
}

// Search returns up to k articles for the question, best first. intent (a
// contract intent, or "") boosts articles with that Intent.
func (ix *Index) Search(q, intent string, k int) []Hit {
	if k <= 0 {
		return nil
	}
	ranked := ix.rank(ix.parse(q), intent)
	if len(ranked) > k {
		ranked = ranked[:k]
	}
	hits := make([]Hit, len(ranked))
	for i, r := range ranked {
		hits[i] = Hit{ArticleID: ix.articles[r.doc].ID, Score: r.score}
	}
	return hits
}
