package lexicon

import (
	"strings"
	"unicode/utf8"

	"github.com/harbordesk/harbordesk/internal/nlu/script"
)

// Hit is one occurrence of a lexicon term in a text.
type Hit struct {
	Entry *Entry
	// Start and End are byte offsets of the matched text.
	Start, End int
	// Text is the matched text as written by the customer.
	Text string
	// Simplified is true when the customer wrote the Simplified form.
	Simplified bool
}

type variant struct {
	entry      int
	simplified bool
}

// index finds terms by their first rune, longest first.
type index struct {
	byKey   map[string]variant
	lengths map[rune][]int // candidate term lengths in bytes, descending
}

// variants lists the lower-cased spellings a term matches: as written, and its
// OpenCC Simplified and Traditional forms.
func variants(term string) []string {
	t := lowerASCII(strings.TrimSpace(term))
	out := []string{t}
	for _, v := range []string{script.ToSimplified(t), script.ToTraditional(t)} {
		if v != t && (len(out) < 2 || v != out[1]) {
			out = append(out, v)
		}
	}
	return out
}

func buildIndex(entries []Entry) *index {
	ix := &index{byKey: map[string]variant{}, lengths: map[rune][]int{}}
	for i, e := range entries {
		base := lowerASCII(strings.TrimSpace(e.Term))
		simp := script.ToSimplified(base)
		for _, v := range variants(e.Term) {
			if _, taken := ix.byKey[v]; taken {
				continue
			}
			ix.byKey[v] = variant{entry: i, simplified: v == simp && v != base}
			r, _ := utf8.DecodeRuneInString(v)
			ix.lengths[r] = insertDesc(ix.lengths[r], len(v))
		}
	}
	return ix
}

func insertDesc(xs []int, n int) []int {
	for _, x := range xs {
		if x == n {
			return xs
		}
	}
	xs = append(xs, n)
	for i := len(xs) - 1; i > 0 && xs[i] > xs[i-1]; i-- {
		xs[i], xs[i-1] = xs[i-1], xs[i]
	}
	return xs
}

// lowerASCII lower-cases ASCII letters only, so byte offsets are preserved.
func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if b[j] >= 'A' && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// englishSuffixes may follow a Latin term (refund → refunds, refunded).
var englishSuffixes = []string{"s", "es", "ed", "d", "ing"}

// latinEnd returns where a Latin term ending at end really ends in text,
// allowing an inflection suffix, or -1 when the term ends mid-word.
func latinEnd(text string, end int) int {
	if end >= len(text) || !isWordByte(text[end]) {
		return end
	}
	for _, suf := range englishSuffixes {
		e := end + len(suf)
		if strings.HasPrefix(text[end:], suf) && (e >= len(text) || !isWordByte(text[e])) {
			return e
		}
	}
	return -1
}

// Match scans text left to right and returns the longest term found at each
// position, without overlaps. Latin terms match case-insensitively and only
// on word boundaries (so "mon" matches "個mon裂咗" but not "monday").
func (l *Lexicon) Match(text string) []Hit {
	if l == nil || l.index == nil {
		return nil
	}
	low := lowerASCII(text)
	var hits []Hit
	for i := 0; i < len(low); {
		r, size := utf8.DecodeRuneInString(low[i:])
		matched := false
		if lens := l.index.lengths[r]; len(lens) > 0 && !(r < utf8.RuneSelf && isWordByte(byte(r)) && i > 0 && isWordByte(low[i-1])) {
			for _, n := range lens {
				if i+n > len(low) {
					continue
				}
				v, ok := l.index.byKey[low[i:i+n]]
				if !ok {
					continue
				}
				end := i + n
				if last := low[end-1]; last < utf8.RuneSelf && isWordByte(last) {
					if end = latinEnd(low, end); end < 0 {
						continue
					}
				}
				hits = append(hits, Hit{Entry: &l.Entries[v.entry], Start: i, End: end, Text: text[i:end], Simplified: v.simplified})
				i = end
				matched = true
				break
			}
		}
		if !matched {
			i += size
		}
	}
	return hits
}

// Normalize rewrites text with every matched term replaced by its standard
// written Chinese form, in the script the customer used.
func (l *Lexicon) Normalize(text string) string {
	if !hasHan(text) {
		// English messages are already standard; Chinese glosses would garble them.
		return text
	}
	hits := l.Match(text)
	if len(hits) == 0 {
		return text
	}
	var b strings.Builder
	prev := 0
	for _, h := range hits {
		b.WriteString(text[prev:h.Start])
		norm := h.Entry.Normalized
		switch {
		case norm == "":
			norm = h.Text
		case h.Simplified:
			norm = script.ToSimplified(norm)
		}
		b.WriteString(norm)
		prev = h.End
	}
	b.WriteString(text[prev:])
	return b.String()
}

func hasHan(s string) bool {
	for _, r := range s {
		if r >= utf8.RuneSelf && script.IsHan(r) {
			return true
		}
	}
	return false
}
