package pii

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

// widen writes ASCII character c in its full-width form (space becomes the
// ideographic space); other characters are returned as they are.
func widen(c rune) rune {
	switch {
	case c == ' ':
		return '\u3000'
	case c > ' ' && c < 0x7F:
		return c - '!' + '\uFF01'
	}
	return c
}

// widenSome widens the ASCII characters of s chosen by pick (by rune index).
func widenSome(s string, pick func(i int) bool) string {
	var b strings.Builder
	i := 0
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		if r == utf8.RuneError && size == 1 {
			b.WriteString(s[:1]) // keep invalid bytes as they are
		} else if pick(i) {
			b.WriteRune(widen(r))
		} else {
			b.WriteString(s[:size])
		}
		s = s[size:]
		i++
	}
	return b.String()
}

func widenAll(s string) string { return widenSome(s, func(int) bool { return true }) }

func TestMaskFullWidth(t *testing.T) {
	runMaskCases(t, []maskCase{
		{"HKID", "我身份證係 Ａ１２３４５６（３），唔該", "我身份證係 [HKID]，唔該"},
		{"HKID unlabelled", "it is Ｃ２４６８１０（５） ok", "it is [HKID] ok"},
		{"HKID full-width letter only", "it is Ｃ246810(5) ok", "it is [HKID] ok"},
		{"phone", "電話 ９１２３ ４５６７，唔該", "電話 [PHONE]，唔該"},
		{"phone ideographic space", "電話９８７６\u3000５４３２", "電話[PHONE]"},
		{"phone with country code", "WhatsApp ＋８５２ ９８７６－５４３２", "WhatsApp [PHONE]"},
		{"phone mixed widths", "call 98７６ 5４32 please", "call [PHONE] please"},
		{"card", "卡號 ４１１１ １１１１ １１１１ １１１１ 啦", "卡號 [CARD] 啦"},
		{"card mixed widths", "card 4111-1111-１１１１-1111", "card [CARD]"},
		{"e-mail", "email ｗｏｎｇ．ｓｉｕｍｉｎｇ＠ｅｘａｍｐｌｅ．ｏｒｇ thanks", "email [EMAIL] thanks"},
		{"e-mail full-width at only", "wong＠example.org", "[EMAIL]"},
		{"passport", "護照 Ｋ１２３４５６７８", "護照 [PASSPORT]"},
		{"all in one", "我身份證係 Ａ１２３４５６（３），電話 ９１２３ ４５６７，卡號 ４１１１ １１１１ １１１１ １１１１",
			"我身份證係 [HKID]，電話 [PHONE]，卡號 [CARD]"},
		{"echo in the other width", "電話 9123 4567，即係 ９１２３４５６７ 嗰個 x９１２３４５６７０", "電話 [PHONE]，即係 [PHONE] 嗰個 x[PHONE]０"},
		{"order number stays", "訂單 ＨＫ２０４６１ 幾時到？", "訂單 ＨＫ２０４６１ 幾時到？"},
		{"price stays", "總共 ＨＫ＄１２９９", "總共 ＨＫ＄１２９９"},
		{"full-width prose stays", "ＯＫ，唔該！", "ＯＫ，唔該！"},
	})
}

func TestFindFullWidthOffsets(t *testing.T) {
	text := "電話 ９１２３ ４５６７！"
	ms := Find(text)
	if len(ms) != 1 || ms[0].Kind != KindPhone {
		t.Fatalf("Find = %v", ms)
	}
	if got := text[ms[0].Start:ms[0].End]; got != "９１２３ ４５６７" {
		t.Fatalf("match covers %q", got)
	}
}

// Property: a text masks exactly like its ASCII form whatever width each
// character is written in: the same values are found at the same rune
// positions, and the masked results are equal once folded.
func TestPropertyWidthMasksLikeASCII(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	gen := []func() string{
		func() string { // HKID
			letters := string(rune('A' + r.IntN(26)))
			digits := randDigits(r, 6)
			return "HKID " + letters + digits + "(" + string(hkidCheckDigit(letters, digits)) + ")"
		},
		func() string { // HK phone
			local := string(rune('5'+r.IntN(5))) + randDigits(r, 7)
			return []string{"電話 ", "call ", "+852 ", ""}[r.IntN(4)] + local[:4] + " " + local[4:]
		},
		func() string { // card
			num := withLuhn("4" + randDigits(r, 14))
			return "card " + num[:4] + " " + num[4:8] + " " + num[8:12] + " " + num[12:]
		},
		func() string { return "email chan.tai.man" + randDigits(r, 2) + "@example.org" },
		func() string { return "order HK" + randDigits(r, 5) + " total $" + randDigits(r, 3) },
	}
	for range propertyRuns * 2 {
		ascii := wrap(r, "", gen[r.IntN(len(gen))]())
		if r.IntN(2) == 0 {
			ascii += " " + wrap(r, "", gen[r.IntN(len(gen))]())
		}
		var wide string
		switch r.IntN(3) {
		case 0:
			wide = widenAll(ascii)
		default:
			wide = widenSome(ascii, func(int) bool { return r.IntN(2) == 0 })
		}
		want, got := runeSpans(ascii, Find(ascii)), runeSpans(wide, Find(wide))
		if !equalSpans(want, got) {
			t.Fatalf("matches differ:\n ascii %q %v\n wide  %q %v", ascii, want, wide, got)
		}
		if a, w := foldWidth(Mask(ascii)).text, foldWidth(Mask(wide)).text; a != w {
			t.Fatalf("masks differ:\n ascii %q -> %q\n wide  %q -> %q (folded)", ascii, a, wide, w)
		}
	}
}

type runeSpan struct {
	kind       Kind
	start, end int
}

func runeSpans(text string, ms []Match) []runeSpan {
	out := make([]runeSpan, len(ms))
	for i, m := range ms {
		out[i] = runeSpan{m.Kind, utf8.RuneCountInString(text[:m.Start]), utf8.RuneCountInString(text[:m.End])}
	}
	return out
}

func equalSpans(a, b []runeSpan) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestFoldWidthNoAllocForASCII(t *testing.T) {
	s := "HKID R135790(4), call me on 9876 5432 after 7pm。你好"
	if n := testing.AllocsPerRun(100, func() { _ = foldWidth(s) }); n != 0 {
		t.Fatalf("foldWidth allocates %v times on text without full-width forms", n)
	}
}

// FuzzMaskWidth: any text, with any of its ASCII characters written
// full-width, masks like the text itself (once folded), and the full-width
// result keeps every FuzzMask invariant.
func FuzzMaskWidth(f *testing.F) {
	for _, s := range []string{
		"我身份證係 A123456(3)，電話 9123 4567，卡號 4111 1111 1111 1111",
		"HKID R135790(4), call me on 9876 5432 after 7pm",
		"refund to card 5555 5555 5555 4444 please, email wong.siuming@example.org",
		"身份证 XY314159(7)，手机 +852 6789 0123",
		"passport K12345678 +44 20 7946 0958",
		"訂單號碼 HK20461 點解仲未出貨？order 88123, $1299",
		"\xff\xfe 9876\x005432",
	} {
		f.Add(s, uint64(0xFFFFFFFFFFFFFFFF))
		f.Add(s, uint64(0x5555555555555555))
	}
	f.Fuzz(func(t *testing.T, s string, pattern uint64) {
		wide := widenSome(s, func(i int) bool { return pattern>>(i%64)&1 == 1 })
		once := Mask(wide)
		if !utf8.ValidString(once) {
			t.Fatalf("invalid UTF-8 from %q", wide)
		}
		if twice := Mask(once); twice != once {
			t.Fatalf("not idempotent:\n in  %q\n 1x  %q\n 2x  %q", wide, once, twice)
		}
		if ms := Find(once); len(ms) != 0 {
			t.Fatalf("detected values survive in %q: %v", once, ms)
		}
		if a, w := foldWidth(Mask(s)).text, foldWidth(once).text; a != w {
			t.Fatalf("width changes masking:\n ascii %q -> %q\n wide  %q -> %q", s, a, wide, w)
		}
		for _, m := range Find(wide) {
			if m.Start < 0 || m.End > len(wide) || m.Start >= m.End {
				t.Fatalf("bad match %v for len %d", m, len(wide))
			}
			if v := wide[m.Start:m.End]; utf8.ValidString(v) && len(foldWidth(v).text) >= 8 && strings.Contains(once, v) {
				t.Fatalf("detected %s %q still in output %q", m.Kind, v, once)
			}
		}
	})
}
