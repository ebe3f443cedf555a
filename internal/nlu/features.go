package nlu

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/harbordesk/harbordesk/internal/lexicon"
)

// feature is a hashed feature id with its value.
type feature struct {
	id  uint64
	val float32
}

// Feature namespaces keep n-grams of different kinds apart in the hash space.
const (
	nsUni uint64 = iota + 1
	nsBi
	nsTri
	nsSub
	nsSignal
	nsHint
	nsTerm
	nsLang
	nsSent
	nsConcept
)

// mix combines two 64-bit values (splitmix64 finaliser); deterministic.
func mix(a, b uint64) uint64 {
	x := a*0x9E3779B97F4A7C15 ^ (b + 0x632BE59BD9B4E019 + (a << 6) + (a >> 2))
	x ^= x >> 30
	x *= 0xBF58476D1CE4E5B9
	x ^= x >> 27
	x *= 0x94D049BB133111EB
	x ^= x >> 31
	return x
}

func hashString(s string) uint64 {
	h := uint64(1469598103934665603)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// units splits folded text into the model's tokens: one per Han character,
// one per Latin word, one per digit run, one per emoji or ?/! mark.
// Spaces and other punctuation separate tokens and are dropped.
func units(folded string, out []uint64, words []string) ([]uint64, []string) {
	for i := 0; i < len(folded); {
		r, size := utf8.DecodeRuneInString(folded[i:])
		switch {
		case r >= 'a' && r <= 'z':
			j := i
			for j < len(folded) && (folded[j] >= 'a' && folded[j] <= 'z' || folded[j] == '\'') {
				j++
			}
			raw := folded[i:j]
			words = append(words, raw)
			for _, w := range strings.Fields(normalizeEnglishWord(raw)) {
				out = append(out, hashString(stem(w)))
			}
			i = j
			continue
		case r >= '0' && r <= '9':
			j := i
			for j < len(folded) && folded[j] >= '0' && folded[j] <= '9' {
				j++
			}
			out = append(out, hashString("<num>"))
			i = j
			continue
		case r == '?' || r == '？':
			out = append(out, hashString("?"))
		case r == '!' || r == '！':
			out = append(out, hashString("!"))
		case r >= 0x2E80 && unicode.Is(unicode.Han, r):
			out = append(out, uint64(r)<<8|0x1)
		case r >= 0x2600 && (unicode.Is(unicode.So, r) || r >= 0x1F300):
			out = append(out, uint64(r)<<8|0x2)
		}
		i += size
	}
	return out, words
}

// featurizer turns a message into hashed features; it holds reusable
// buffers, so one featurizer serves one goroutine at a time.
type featurizer struct {
	units []uint64
	words []string
	feats []feature
}

// subWeight is the value of one character 3-gram inside an English word
// relative to a whole token.
var subWeight float32 = 0.5

const (
	bos uint64 = 0xB05
	eos uint64 = 0xE05
)

// extract returns the features of one message: token 1-3-grams (Han
// characters and English words alike), character 3-grams inside English
// words (robust to typos), and the lexicon's signals, intent hints and terms.
// Values are L2-normalised.
func (f *featurizer) extract(folded string, hits []lexicon.Hit, lang string) []feature {
	f.units, f.words = units(folded, f.units[:0], f.words[:0])
	f.feats = f.feats[:0]
	u := f.units
	add := func(id uint64, v float32) { f.feats = append(f.feats, feature{id, v}) }
	prev2, prev1 := bos, bos
	for i, x := range u {
		add(mix(nsUni, x), 1)
		add(mix(mix(nsBi, prev1), x), 1)
		if i > 0 {
			add(mix(mix(mix(nsTri, prev2), prev1), x), 1)
		}
		prev2, prev1 = prev1, x
	}
	if len(u) > 0 {
		add(mix(mix(nsBi, prev1), eos), 1)
	}
	for _, w := range f.words {
		p := "^" + w + "$"
		for j := 0; j+3 <= len(p); j++ {
			add(mix(nsSub, hashString(p[j:j+3])), subWeight)
		}
	}
	for _, h := range hits {
		add(mix(nsTerm, hashString(h.Entry.Term)), 1)
		for _, s := range h.Entry.Signals {
			add(mix(nsSignal, hashString(s)), 1)
		}
		if h.Entry.Intent != "" {
			add(mix(nsHint, hashString(h.Entry.Intent)), 1)
		}
	}
	for mask, c := concepts.match(u), 0; mask != 0; mask, c = mask>>1, c+1 {
		if mask&1 != 0 {
			add(concepts.ids[c], concepts.vals[c])
		}
	}
	add(mix(nsLang, hashString(lang)), 0.5)
	var norm float64
	for _, ft := range f.feats {
		norm += float64(ft.val * ft.val)
	}
	if norm > 0 {
		inv := float32(1 / math.Sqrt(norm))
		for i := range f.feats {
			f.feats[i].val *= inv
		}
	}
	return f.feats
}
