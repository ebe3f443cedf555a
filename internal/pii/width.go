package pii

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/width"
)

// Customers on CJK keyboards often type full-width forms: "Ａ１２３４５６（３）",
// "９１２３ ４５６７", "ｗｏｎｇ＠ｅｘａｍｐｌｅ．ｏｒｇ", sometimes mixed with ASCII.
// The detectors only know ASCII, so they run on a width-folded view of the
// text in which every full-width form of an ASCII character (U+FF01–U+FF5E and
// the ideographic space U+3000) is replaced by that character, and each match
// is mapped back to the original bytes. Other characters are left alone:
// folding is one rune for one rune, so a value masks exactly like its ASCII
// form.

// foldedView is text with its full-width ASCII forms folded to ASCII.
type foldedView struct {
	orig string
	text string
	// origAt[i] is the byte offset in orig of the rune that produced text[i];
	// nil when nothing was folded (text == orig).
	origAt []int
}

// foldWidth returns the folded view of s. It allocates only when s holds a
// full-width form.
func foldWidth(s string) foldedView {
	first := firstFullWidth(s)
	if first < 0 {
		return foldedView{orig: s, text: s}
	}
	var b strings.Builder
	b.Grow(len(s))
	origAt := make([]int, 0, len(s))
	b.WriteString(s[:first])
	for i := 0; i < first; i++ {
		origAt = append(origAt, i)
	}
	for i := first; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if c, ok := narrowASCII(r); ok {
			b.WriteByte(c)
			origAt = append(origAt, i)
		} else {
			b.WriteString(s[i : i+size])
			for k := range size {
				origAt = append(origAt, i+k)
			}
		}
		i += size
	}
	return foldedView{orig: s, text: b.String(), origAt: origAt}
}

// firstFullWidth is the byte offset of the first full-width ASCII form in s,
// or -1. Those forms all encode as EF BC xx, EF BD xx or E3 80 80.
func firstFullWidth(s string) int {
	for i := 0; i+2 < len(s); i++ {
		if s[i] != 0xEF && s[i] != 0xE3 {
			continue
		}
		r, _ := utf8.DecodeRuneInString(s[i:])
		if _, ok := narrowASCII(r); ok {
			return i
		}
	}
	return -1
}

// narrowASCII is the ASCII character whose full-width form r is.
func narrowASCII(r rune) (byte, bool) {
	if r != '\u3000' && (r < '\uFF01' || r > '\uFF5E') {
		return 0, false
	}
	n := width.LookupRune(r).Narrow()
	if n == 0 || n >= utf8.RuneSelf {
		return 0, false
	}
	return byte(n), true
}

// origSpan maps the folded byte span [s, e) back to the original text.
func (v foldedView) origSpan(s, e int) (int, int) {
	if v.origAt == nil {
		return s, e
	}
	return v.origOffset(s), v.origOffset(e)
}

func (v foldedView) origOffset(i int) int {
	if i >= len(v.origAt) {
		return len(v.orig)
	}
	return v.origAt[i]
}

// toOrig maps matches found in the folded text to the original text.
func (v foldedView) toOrig(ms []Match) []Match {
	if v.origAt == nil {
		return ms
	}
	for i := range ms {
		ms[i].Start, ms[i].End = v.origSpan(ms[i].Start, ms[i].End)
	}
	return ms
}

// occurrences returns the non-overlapping places where the folded value
// stands in the text, in original offsets, as matches of kind k.
func (v foldedView) occurrences(value string, k Kind) []Match {
	var out []Match
	for pos := 0; ; {
		i := strings.Index(v.text[pos:], value)
		if i < 0 {
			break
		}
		s, e := v.origSpan(pos+i, pos+i+len(value))
		out = append(out, Match{Kind: k, Start: s, End: e})
		pos += i + len(value)
	}
	return out
}
