package kb

import (
	"strings"
	"unicode"

	"golang.org/x/text/width"
)

// Tokenisation is hand-rolled: Chinese has no word spaces and customers mix
// Cantonese with English ("唔該check下我張order"), so we index overlapping
// Han character bigrams (and down-weighted unigrams) next to lower-cased,
// lightly stemmed English words. Han text is folded to Simplified first so
// that Traditional and Simplified spellings share tokens.

const (
	weightUnigram = 0.3
	weightBigram  = 1.0
	weightWord    = 1.0
	weightTopic   = 1.5
	topicPrefix   = "#"
)

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

// tokenize returns the terms of s, which must already be folded (lower-case,
// Simplified). Terms repeat as often as they occur.
func tokenize(s string) []string {
	var out []string
	var han []rune
	var word strings.Builder
	flushHan := func() {
		for i, r := range han {
			if !stopUnigram[r] {
				out = append(out, string(r))
			}
			if i+1 < len(han) {
				out = append(out, string(han[i:i+2]))
			}
		}
		han = han[:0]
	}
	flushWord := func() {
		if word.Len() > 0 {
			if w := stem(word.String()); w != "" && !stopWord[w] {
				out = append(out, w)
			}
			word.Reset()
		}
	}
	for _, r := range s {
		switch {
		case isHan(r):
			flushWord()
			han = append(han, r)
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			flushHan()
			word.WriteRune(r)
		case r == '\'' && word.Len() > 0:
			// keep "don't" as one word; stem strips "'s"
			word.WriteRune(r)
		default:
			flushHan()
			flushWord()
		}
	}
	flushHan()
	flushWord()
	return out
}

// fold lower-cases, narrows full-width forms and converts Han text to
// Simplified.
func fold(s string) string {
	s = strings.ToLower(width.Fold.String(s))
	if strings.IndexFunc(s, isHan) >= 0 {
		if simp, err := ToSimplified(s); err == nil {
			s = simp
		}
	}
	return s
}

// stem is a light English stemmer: plural and verb endings only, enough for
// "returns"/"returned"/"returning" → "return" and "deliveries" → "delivery".
func stem(w string) string {
	w = strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "'")
	w = strings.ReplaceAll(w, "'", "")
	switch n := len(w); {
	case n > 4 && strings.HasSuffix(w, "ies"):
		return w[:n-3] + "y"
	case n > 5 && strings.HasSuffix(w, "ing"):
		return undouble(w[:n-3])
	case n > 4 && strings.HasSuffix(w, "ed"):
		return undouble(w[:n-2])
	case n > 4 && (strings.HasSuffix(w, "ches") || strings.HasSuffix(w, "shes") || strings.HasSuffix(w, "xes") || strings.HasSuffix(w, "sses")):
		return w[:n-2]
	case n > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us"):
		return w[:n-1]
	}
	return w
}

// undouble turns "shipp" into "ship" and "stopp" into "stop".
func undouble(w string) string {
	if n := len(w); n > 2 && w[n-1] == w[n-2] && !strings.ContainsRune("aeiouls", rune(w[n-1])) {
		return w[:n-1]
	}
	return w
}

var stopWord = set(strings.Fields(`a an the and or but if of to in on at for from by with about as into
is are was were be been being am do does did doing have has had having can could would should will shall may might must
i me my mine we us our you your yours he she it its they them their this that these those there here
what which who whom whose when where why how hi hello hey please pls plz thanks thank thx
not no yes any some all just also so very too than then there's it's i'm im dont don't
get got want need like know tell let one there`))

// stopUnigram are Han function characters (already in Simplified) that
// carry no topic on their own; they still take part in bigrams.
var stopUnigram = func() map[rune]bool {
	m := map[rune]bool{}
	for _, r := range "的了是吗呢吧啊呀嘅咗喺哋我你佢他她它们們係唔冇有在和及与與就都也还還请請问問想要可以个個么麼啲嘢咩乜点點嗎呀啦喇㗎囉噃嘛咋啩吖哦喔呢诶唉一这那部台只件张把些会能" {
		m[r] = true
	}
	return m
}()

func set(words []string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}
