package pii

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzMask: masking never panics, yields valid UTF-8, is idempotent, and
// leaves nothing detectable behind.
func FuzzMask(f *testing.F) {
	for _, s := range []string{
		"我個身份證係 C246810(5)，唔該幫我改地址",
		"HKID R135790(4), call me on 9876 5432 after 7pm",
		"請寄去香港灣仔軒尼詩道123號5樓A室，電話 2345-6789",
		"refund to card 5555 5555 5555 4444 please, email wong.siuming@example.org",
		"身份证 XY314159(7)，手机 +852 6789 0123",
		"Flat B, 12/F, 8 Nathan Road, Tsim Sha Tsui",
		"訂單號碼 HK20461 點解仲未出貨？order 88123, $1299",
		"passport K12345678 +44 20 7946 0958",
		"\xff\xfe 9876\x005432",
		"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		once := Mask(s)
		if !utf8.ValidString(once) {
			t.Fatalf("invalid UTF-8 from %q", s)
		}
		if twice := Mask(once); twice != once {
			t.Fatalf("not idempotent:\n in  %q\n 1x  %q\n 2x  %q", s, once, twice)
		}
		if ms := Find(once); len(ms) != 0 {
			t.Fatalf("detected values survive in %q: %v", once, ms)
		}
		for _, m := range Find(s) {
			if m.Start < 0 || m.End > len(s) || m.Start >= m.End {
				t.Fatalf("bad match %v for len %d", m, len(s))
			}
			if v := s[m.Start:m.End]; len(v) >= 8 && utf8.ValidString(s) && strings.Contains(once, v) {
				t.Fatalf("detected %s %q still in output %q", m.Kind, v, once)
			}
		}
	})
}
