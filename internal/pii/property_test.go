package pii

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// Property: a valid value of each kind, in random formatting, embedded in
// random Chinese/English context, never survives masking (not even with its
// separators removed).

var (
	contextsBefore = []string{"", "Hi, ", "唔該，", "我嘅", "請問", "please note ", "聯絡：", "資料: ", "thanks! ", "喂，", "你好 "}
	contextsAfter  = []string{"", " thanks", "，唔該晒", "。", " ok?", "！", "，幾時到？", " pls", "\n", "啦"}
)

const propertyRuns = 400

func wrap(r *rand.Rand, label, value string) string {
	return contextsBefore[r.IntN(len(contextsBefore))] + label + value + contextsAfter[r.IntN(len(contextsAfter))]
}

func digitsOf(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if isASCIIDigit(s[i]) {
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

func randDigits(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + r.IntN(10))
	}
	return string(b)
}

func assertGone(t *testing.T, text, value string) {
	t.Helper()
	masked := Mask(text)
	if strings.Contains(masked, value) {
		t.Fatalf("value %q survived in %q -> %q", value, text, masked)
	}
	if d := digitsOf(value); len(d) >= 6 && strings.Contains(digitsOf(masked), d) {
		t.Fatalf("digits of %q survived in %q -> %q", value, text, masked)
	}
}

func TestPropertyHKIDMasked(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	labels := []string{"", "HKID ", "身份證 ", "身份证：", "ID card "}
	for range propertyRuns {
		letters := string(rune('A' + r.IntN(26)))
		if r.IntN(3) == 0 {
			letters = string(rune('A'+r.IntN(26))) + letters
		}
		digits := randDigits(r, 6)
		check := string(hkidCheckDigit(letters, digits))
		var v string
		switch r.IntN(4) {
		case 0:
			v = letters + digits + "(" + check + ")"
		case 1:
			v = letters + digits + check
		case 2:
			v = letters + " " + digits + " (" + check + ")"
		default:
			v = letters + digits + "（" + check + "）"
		}
		assertGone(t, wrap(r, labels[r.IntN(len(labels))], v), letters+digits)
	}
}

func TestPropertyCardMasked(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range propertyRuns {
		n := 13 + r.IntN(7)
		num := withLuhn(string(rune('2'+r.IntN(5))) + randDigits(r, n-2))
		v := num
		if sep := []string{"", " ", "-"}[r.IntN(3)]; sep != "" {
			var groups []string
			for i := 0; i < len(num); i += 4 {
				groups = append(groups, num[i:min(i+4, len(num))])
			}
			if len(groups[len(groups)-1]) < 3 { // keep a short tail with its neighbour
				last := groups[len(groups)-2] + groups[len(groups)-1]
				groups = append(groups[:len(groups)-2], last)
			}
			v = strings.Join(groups, sep)
		}
		assertGone(t, wrap(r, []string{"", "card ", "信用卡 "}[r.IntN(3)], v), v)
	}
}

func TestPropertyPhoneMasked(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for range propertyRuns {
		local := string(rune('2'+r.IntN(8))) + randDigits(r, 7)
		a, b := local[:4], local[4:]
		label := []string{"", "call ", "電話 ", "WhatsApp: "}[r.IntN(4)]
		var v string
		switch r.IntN(6) {
		case 0:
			v = a + " " + b
		case 1:
			v = a + "-" + b
		case 2:
			v = "+852 " + a + " " + b
		case 3:
			v = "(852) " + a + "-" + b
		case 4:
			v = "852" + local
		default:
			v, label = local, "電話 "
		}
		assertGone(t, wrap(r, label, v), v)
	}
	for range propertyRuns {
		mobile := "1" + string(rune('3'+r.IntN(7))) + randDigits(r, 9)
		v := []string{mobile, "+86 " + mobile, mobile[:3] + " " + mobile[3:7] + " " + mobile[7:]}[r.IntN(3)]
		assertGone(t, wrap(r, []string{"手机 ", "电话：", "call "}[r.IntN(3)], v), v)
	}
}

func TestPropertyEmailMasked(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	locals := []string{"wong", "chan.tai.man", "a+b", "x_y-z", "siuming+orders"}
	domains := []string{"example.org", "mail.example.com.hk", "abc.hk", "sub.domain.co.uk"}
	for range propertyRuns {
		v := locals[r.IntN(len(locals))] + randDigits(r, r.IntN(3)) + "@" + domains[r.IntN(len(domains))]
		assertGone(t, wrap(r, "email ", v), v)
	}
}

// Property: values that are not personal data (order numbers, prices, dates)
// survive unchanged in random context.
func TestPropertyBusinessNumbersSurvive(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for range propertyRuns {
		var v string
		switch r.IntN(5) {
		case 0:
			v = "HK" + randDigits(r, 5)
		case 1:
			v = randDigits(r, 5)
		case 2:
			v = "$" + randDigits(r, 1+r.IntN(4))
		case 3:
			v = "2026-" + randDigits(r, 2) + "-" + randDigits(r, 2)
		default:
			v = "SF" + randDigits(r, 13)
		}
		text := wrap(r, []string{"order ", "訂單 ", "", "total "}[r.IntN(4)], v)
		if got := Mask(text); !strings.Contains(got, v) {
			t.Fatalf("%q lost from %q -> %q", v, text, got)
		}
	}
}
