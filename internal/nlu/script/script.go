package script

import (
	"sync"
	"unicode"

	"github.com/longbridgeapp/opencc"
)

// Script labels as used in the understanding result (ISO 15924).
const (
	Hant = "Hant"
	Hans = "Hans"
	Latn = "Latn"
)

type tables struct {
	t2s, s2t *opencc.OpenCC
	// toSimp maps a Traditional-only character to its Simplified form.
	toSimp map[rune]rune
	// simpOnly holds characters that are themselves Simplified forms with a
	// different Traditional spelling.
	simpOnly map[rune]bool
}

var (
	once   sync.Once
	shared *tables
)

// hanBlock is the CJK Unified Ideographs block, which is where every
// Traditional/Simplified pair OpenCC knows about lives.
const hanFirst, hanLast = 0x4E00, 0x9FFF

func load() *tables {
	once.Do(func() {
		t2s, err := opencc.New("t2s")
		if err != nil {
			panic("script: opencc t2s: " + err.Error()) // embedded dictionaries: cannot fail at run time
		}
		s2t, err := opencc.New("s2t")
		if err != nil {
			panic("script: opencc s2t: " + err.Error())
		}
		// One rune per line so OpenCC converts characters, not phrases.
		block := make([]rune, 0, 2*(hanLast-hanFirst+1))
		for r := rune(hanFirst); r <= hanLast; r++ {
			block = append(block, r, '\n')
		}
		simp := mustConvert(t2s, string(block))
		trad := mustConvert(s2t, string(block))
		tb := &tables{t2s: t2s, s2t: s2t, toSimp: map[rune]rune{}, simpOnly: map[rune]bool{}}
		sr, tr := splitLines(simp), splitLines(trad)
		for i, r := 0, rune(hanFirst); r <= hanLast; i, r = i+1, r+1 {
			if i < len(sr) && len(sr[i]) == 1 && sr[i][0] != r {
				tb.toSimp[r] = sr[i][0]
			}
			if i < len(tr) && (len(tr[i]) != 1 || tr[i][0] != r) {
				if _, isTrad := tb.toSimp[r]; !isTrad {
					tb.simpOnly[r] = true
				}
			}
		}
		shared = tb
	})
	return shared
}

func mustConvert(cc *opencc.OpenCC, s string) string {
	out, err := cc.Convert(s)
	if err != nil {
		panic("script: opencc convert: " + err.Error())
	}
	return out
}

func splitLines(s string) [][]rune {
	var out [][]rune
	var cur []rune
	for _, r := range s {
		if r == '\n' {
			out = append(out, cur)
			cur = nil
			continue
		}
		cur = append(cur, r)
	}
	return out
}

// Init loads the conversion tables now instead of on first use.
func Init() { load() }

// ToSimplified converts text to Simplified Chinese with OpenCC's phrase
// dictionaries (t2s). Use it for short strings such as lexicon terms.
func ToSimplified(s string) string { return mustConvert(load().t2s, s) }

// ToTraditional converts text to Traditional Chinese with OpenCC (s2t).
func ToTraditional(s string) string { return mustConvert(load().s2t, s) }

// FoldRune maps a Traditional character to its Simplified form and returns
// every other rune unchanged. It is the per-message fast path.
func FoldRune(r rune) rune {
	if s, ok := load().toSimp[r]; ok {
		return s
	}
	return r
}

// IsHan reports whether r is a Han ideograph.
func IsHan(r rune) bool { return unicode.Is(unicode.Han, r) }

// Counts summarises the script evidence in a text.
type Counts struct {
	Han, Latin         int // Han ideographs and ASCII/Latin letters
	TradOnly, SimpOnly int // characters that change under t2s, or under s2t
}

// Count tallies the script evidence in text.
func Count(text string) Counts {
	tb := load()
	var c Counts
	for _, r := range text {
		switch {
		case r < 0x80:
			if (r|0x20) >= 'a' && (r|0x20) <= 'z' {
				c.Latin++
			}
		case IsHan(r):
			c.Han++
			if _, ok := tb.toSimp[r]; ok {
				c.TradOnly++
			} else if tb.simpOnly[r] {
				c.SimpOnly++
			}
		case unicode.IsLetter(r) && unicode.Is(unicode.Latin, r):
			c.Latin++
		}
	}
	return c
}

// Detect returns Hant, Hans or Latn for text. Han text is Hans only when it
// carries more Simplified-only than Traditional-only characters; Han text
// with no distinguishing character (早晨, 你好) is Hant, the Hong Kong
// default. Text without Han characters is Latn.
func Detect(text string) string { return Count(text).Script() }

// Script decides the script from the counts; see Detect.
func (c Counts) Script() string {
	if c.Han == 0 {
		return Latn
	}
	if c.SimpOnly > c.TradOnly {
		return Hans
	}
	return Hant
}
