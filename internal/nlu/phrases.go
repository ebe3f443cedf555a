package nlu

import (
	"unicode/utf8"

	"github.com/harbordesk/harbordesk/internal/nlu/script"
)

// phraseTable finds weighted cue phrases in folded text by longest match.
// Hand-rolled (a map keyed by phrase plus candidate lengths per first rune)
// because the cue sets are small and the scan must not allocate.
type phraseTable struct {
	weight  map[string]float64
	lengths map[rune][]int
}

// newPhraseTable indexes cues under their folded (Simplified, lower-case)
// spelling.
func newPhraseTable(cues map[string]float64) *phraseTable {
	t := &phraseTable{weight: map[string]float64{}, lengths: map[rune][]int{}}
	for k, w := range cues {
		f := fold(k)
		t.weight[f] = w
		r, _ := utf8.DecodeRuneInString(f)
		t.lengths[r] = appendDesc(t.lengths[r], len(f))
	}
	return t
}

func appendDesc(xs []int, n int) []int {
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

// scan calls fn for each longest non-overlapping cue in folded text, with
// its byte offsets. Latin cues must sit on word boundaries.
func (t *phraseTable) scan(s string, fn func(start, end int, w float64)) {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		step := size
		if lens := t.lengths[r]; len(lens) > 0 && !(isASCIIWord(r) && i > 0 && isASCIIWord(rune(s[i-1]))) {
			for _, n := range lens {
				if i+n > len(s) {
					continue
				}
				w, ok := t.weight[s[i:i+n]]
				if !ok {
					continue
				}
				if last := rune(s[i+n-1]); isASCIIWord(last) && i+n < len(s) && isASCIIWord(rune(s[i+n])) {
					continue
				}
				fn(i, i+n, w)
				step = n
				break
			}
		}
		i += step
	}
}

func isASCIIWord(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '\''
}

// fold maps text to the form features and cues are compared in: full-width
// ASCII to half-width, ASCII lower-case, Traditional Han to Simplified.
func fold(s string) string {
	b := make([]byte, 0, len(s))
	for _, r := range s {
		switch {
		case r >= 'A' && r <= 'Z':
			r += 'a' - 'A'
		case r >= 0xFF01 && r <= 0xFF5E: // full-width forms
			r -= 0xFEE0
			if r >= 'A' && r <= 'Z' {
				r += 'a' - 'A'
			}
		case r == '\u3000':
			r = ' '
		case r == '’':
			r = '\''
		case r >= 0x4E00:
			r = script.FoldRune(r)
		}
		b = utf8.AppendRune(b, r)
	}
	return string(b)
}
