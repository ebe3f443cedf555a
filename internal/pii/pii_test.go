package pii

import (
	"reflect"
	"strings"
	"testing"
)

type maskCase struct {
	name, in, want string
}

func runMaskCases(t *testing.T, cases []maskCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Mask(c.in); got != c.want {
				t.Errorf("Mask(%q)\n got %q\nwant %q", c.in, got, c.want)
			}
		})
	}
}

func TestMaskHKID(t *testing.T) {
	runMaskCases(t, []maskCase{
		{"bracketed, cantonese label", "我個身份證係 C246810(5)，唔該", "我個身份證係 [HKID]，唔該"},
		{"english label", "HKID R135790(4), thanks", "HKID [HKID], thanks"},
		{"two letters simplified label", "身份证 XY314159(7)，手机", "身份证 [HKID]，手机"},
		{"unlabelled valid", "it is C246810(5) ok", "it is [HKID] ok"},
		{"unlabelled no brackets", "it is C2468105 ok", "it is [HKID] ok"},
		{"spaces inside", "no. C 246810 (5)", "no. [HKID]"},
		{"full-width brackets", "號碼C246810（5）", "號碼[HKID]"},
		{"lowercase", "c246810(5)", "[HKID]"},
		{"check digit A", "ID: " + hkidWithCheck('A'), "ID: [HKID]"},
		{"labelled wrong check digit", "身份證 C246810(3)", "身份證 [HKID]"},
		{"labelled no check digit", "my ID card C246810 thanks", "my ID card [HKID] thanks"},
		{"unlabelled wrong check digit stays", "code C246810(3)", "code C246810(3)"},
		{"unlabelled 7-char code stays", "voucher AB1234567", "voucher AB1234567"},
	})
}

// hkidWithCheck builds a single-letter HKID whose check character is c.
func hkidWithCheck(c byte) string {
	for n := 100000; n < 999999; n++ {
		d := itoa6(n)
		if hkidCheckDigit("K", d) == c {
			return "K" + d + "(" + string(c) + ")"
		}
	}
	panic("no HKID with that check digit")
}

func itoa6(n int) string {
	b := []byte("000000")
	for i := 5; i >= 0; i-- {
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b)
}

func TestHKIDCheckDigit(t *testing.T) {
	cases := []struct {
		letters, digits string
		want            byte
	}{
		{"C", "246810", '5'},
		{"R", "135790", '4'},
		{"XY", "314159", '7'},
		{"A", "123456", '3'},
		{"G", "123456", 'A'},
	}
	for _, c := range cases {
		if got := hkidCheckDigit(c.letters, c.digits); got != c.want {
			t.Errorf("hkidCheckDigit(%s%s) = %c, want %c", c.letters, c.digits, got, c.want)
		}
	}
}

func TestMaskPhone(t *testing.T) {
	runMaskCases(t, []maskCase{
		{"spaced", "call me on 9876 5432 after 7pm", "call me on [PHONE] after 7pm"},
		{"hyphen", "電話 2345-6789", "電話 [PHONE]"},
		{"+852 spaced", "手机 +852 6789 0123", "手机 [PHONE]"},
		{"compact mobile", "98765432", "[PHONE]"},
		{"852 prefix hyphen", "852-98765432 thx", "[PHONE] thx"},
		{"(852)", "(852) 2345 6789", "[PHONE]"},
		{"+852 compact", "+85261234567", "[PHONE]"},
		{"compact fixed line unlabelled", "打 23456789 啦", "打 [PHONE] 啦"},
		{"glued to chinese", "電話98765432唔該", "電話[PHONE]唔該"},
		{"labelled unassigned range", "tel 67890123", "tel [PHONE]"},
		{"mainland compact", "手机13812345678", "手机[PHONE]"},
		{"mainland spaced +86", "+86 139 1234 5678", "[PHONE]"},
		{"mainland hyphen", "138-1234-5678", "[PHONE]"},
		{"international", "UK office +44 20 7946 0958.", "UK office [PHONE]."},
		{"international trailing qty", "+44 20 7946 0958 2 boxes", "[PHONE] 2 boxes"},
	})
}

func TestMaskEmail(t *testing.T) {
	runMaskCases(t, []maskCase{
		{"plain", "email wong.siuming@example.org", "email [EMAIL]"},
		{"plus and subdomain", "a.b+hk@mail.corp.example.com.hk!", "[EMAIL]!"},
		{"glued to chinese", "電郵chan_tai-man@abc.hk唔該", "電郵[EMAIL]唔該"},
		{"not an address", "meet @ 7pm", "meet @ 7pm"},
	})
}

func TestMaskCard(t *testing.T) {
	runMaskCases(t, []maskCase{
		{"spaced MC", "card 5555 5555 5555 4444 please", "card [CARD] please"},
		{"compact visa", "4111111111111111", "[CARD]"},
		{"hyphen visa", "4012-8888-8888-1881.", "[CARD]."},
		{"amex 15", "3782 822463 10005", "[CARD]"},
		{"unionpay 19", withLuhn("621234567890123456"), "[CARD]"},
		{"luhn fails stays", "5555 5555 5555 4445", "5555 5555 5555 4445"},
		{"20 digits stays", "41111111111111111111", "41111111111111111111"},
		{"tracking stays", "SF1234567890123", "SF1234567890123"},
	})
}

func TestMaskAddress(t *testing.T) {
	runMaskCases(t, []maskCase{
		{"wan chai", "請寄去香港灣仔軒尼詩道123號5樓A室，電話 2345-6789", "請寄去[ADDRESS]，電話 [PHONE]"},
		{"mong kok building", "送去九龍旺角彌敦道688號旺角中心1期12樓1203室啦", "送去[ADDRESS]啦"},
		{"estate", "地址：沙田禾輋邨豐和樓1234室", "地址：[ADDRESS]"},
		{"simplified", "寄到铜锣湾告士打道255号10楼", "寄到[ADDRESS]"},
		{"queen's road central", "住喺皇后大道中99號", "住喺[ADDRESS]"},
		{"building floor", "我喺太古城中心3座15樓B室", "我喺[ADDRESS]"},
		{"english full", "Flat B, 12/F, 8 Nathan Road, Tsim Sha Tsui", "[ADDRESS]"},
		{"english room tower", "send to Rm 1203, Tower 2, Times Square please", "send to [ADDRESS] please"},
		{"english street only", "deliver to 33 Canton Rd, Kowloon", "deliver to [ADDRESS]"},
		{"english floor + building", "12/F, Golden Building", "[ADDRESS]"},
		{"floor alone stays", "I am on 5/F", "I am on 5/F"},
		{"parts too far apart stay", "Flat B,       12/F", "Flat B,       12/F"},
		{"district alone stays", "shop in Causeway Bay", "shop in Causeway Bay"},
		{"chinese floor alone stays", "我喺5樓", "我喺5樓"},
	})
}

func TestMaskPassport(t *testing.T) {
	runMaskCases(t, []maskCase{
		{"english", "passport K12345678 please", "passport [PASSPORT] please"},
		{"english no.", "Passport No.: 123456789", "Passport No.: [PASSPORT]"},
		{"simplified", "护照号码 E98765432", "护照号码 [PASSPORT]"},
		{"traditional", "護照係H01234567", "護照係[PASSPORT]"},
		{"unlabelled stays", "code K1234567X", "code K1234567X"},
		{"labelled but glued to a word stays", "passport: abc1234567", "passport: abc1234567"},
		{"list after a label", "passports: K12345678, E12345678", "passports: [PASSPORT], [PASSPORT]"},
	})
}

// TestNotPersonalData: things customers write that must survive masking.
func TestNotPersonalData(t *testing.T) {
	for _, s := range []string{
		"訂單號碼 HK20461 點解仲未出貨？order 88123, $1299",
		"order #A-20931 tracking SF1234567890123",
		"HK$88.50 x 3, total HK$265.50",
		"$1,299.00 or 1299蚊",
		"delivery 2026-11-25 10:30, or 25/11 14:00",
		"2026年11月25日 下午3點",
		"quantity 2 pcs, 12 boxes, 500ml",
		"訂單 88123456 幾時到",
		"訂單號碼 88123456 幾時到",
		"order 20261125",
		"order no. 12345678901",
		"invoice INV-2026-000123",
		"1234 5678 9012 3456",
		"size 27.5cm, 3/F? no",
		"version 1.2.3, IP 10.0.0.1",
		"RM1299",
		"SKU 4710088412345",
		"會員編號 12345678",
		"booking ref 2K9QX7",
		"第5樓有冇位？",
		"5-digit 12345 and 6-digit 123456",
		"call 3 times on the street",
	} {
		if got := Find(s); len(got) != 0 {
			t.Errorf("Find(%q) = %v (masked %q), want nothing", s, got, Mask(s))
		}
	}
}

func TestFindOffsets(t *testing.T) {
	text := "HKID R135790(4), call 9876 5432, a@b.hk"
	got := Find(text)
	want := []Match{
		{KindHKID, 5, 15},
		{KindPhone, 22, 31},
		{KindEmail, 33, 39},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Find = %v, want %v", got, want)
	}
	for _, m := range got {
		if text[m.Start:m.End] == "" {
			t.Errorf("empty match %v", m)
		}
	}
	if Find("") != nil || Find("冇嘢") != nil {
		t.Error("Find on text without data should be nil")
	}
}

func TestFindOverlapLongerWins(t *testing.T) {
	// The 8 digits inside the card are also a phone shape.
	got := Find("4111 1111 1111 1111")
	if len(got) != 1 || got[0].Kind != KindCard {
		t.Fatalf("Find = %v, want one card", got)
	}
}

func TestContainsAndRedact(t *testing.T) {
	if !Contains("my hkid C246810(5)") || Contains("order HK20461") {
		t.Error("Contains wrong")
	}
	if Redact("call 9876 5432") != "call [PHONE]" {
		t.Error("Redact differs from Mask")
	}
}

func TestMaskInvalidUTF8(t *testing.T) {
	got := Mask("tel 9876 5432 \xff\xfe")
	if !strings.HasPrefix(got, "tel [PHONE] ") || strings.ContainsRune(got, 0xff) {
		t.Errorf("got %q", got)
	}
}

func TestPlaceholder(t *testing.T) {
	for k, want := range map[Kind]string{KindHKID: "[HKID]", KindPhone: "[PHONE]", KindEmail: "[EMAIL]", KindCard: "[CARD]", KindAddress: "[ADDRESS]", KindPassport: "[PASSPORT]"} {
		if k.Placeholder() != want {
			t.Errorf("%s placeholder %q", k, k.Placeholder())
		}
	}
}

// withLuhn appends the Luhn check digit to digits.
func withLuhn(digits string) string {
	sum := 0
	for i := len(digits) - 1; i >= 0; i-- {
		d := int(digits[i] - '0')
		if (len(digits)-1-i)%2 == 0 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return digits + string(rune('0'+(10-sum%10)%10))
}
