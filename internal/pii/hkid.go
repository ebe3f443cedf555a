package pii

import "regexp"

// Hong Kong Identity Card numbers: one or two letters, six digits and a check
// digit (0-9 or A), written "C246810(5)", "C2468105", "XY 314159 (7)"…
var (
	reHKID      = regexp.MustCompile(`([A-Za-z]{1,2}) ?([0-9]{6})(?: ?(?:\( ?([0-9Aa]) ?\)|（ ?([0-9Aa]) ?）|\[([0-9Aa])\]|([0-9Aa])))?`)
	reHKIDLabel = regexp.MustCompile(`(?i)身份證|身份证|身分證|身分证|hkid|h\.k\.i\.d|id card|i\.d\. card|identity card|id no|id number|證件號碼|证件号码`)
)

// findHKIDs reports HKIDs whose check digit is right, and labelled ones
// ("身份證 C246810(3)") even when it is wrong or missing.
func findHKIDs(text string, add func(Match)) {
	accept := func(needCheck bool) func(loc []int) bool {
		return func(loc []int) bool {
			s, e := loc[0], loc[1]
			if s > 0 && isASCIIAlnum(text[s-1]) || e < len(text) && isASCIIAlnum(text[e]) {
				return false
			}
			letters, digits := text[loc[2]:loc[3]], text[loc[4]:loc[5]]
			check := byte(0)
			for g := 6; g < len(loc); g += 2 {
				if loc[g] >= 0 {
					check = text[loc[g]]
				}
			}
			if needCheck && (check == 0 || upper(check) != hkidCheckDigit(letters, digits)) {
				return false
			}
			add(Match{Kind: KindHKID, Start: s, End: e})
			return true
		}
	}
	scan(reHKID, text, accept(true))
	labelled(text, reHKIDLabel, reHKID, accept(false))
}

// hkidCheckDigit computes the official check character: the letters (A=10 …
// Z=35, a missing first letter counts as a space = 36) and the six digits are
// weighted 9..2, and the check is (11 - sum mod 11) mod 11, with 10 written A.
func hkidCheckDigit(letters, digits string) byte {
	sum := 0
	if len(letters) == 1 {
		sum = 36*9 + letterValue(letters[0])*8
	} else {
		sum = letterValue(letters[0])*9 + letterValue(letters[1])*8
	}
	for i := 0; i < 6; i++ {
		sum += int(digits[i]-'0') * (7 - i)
	}
	r := (11 - sum%11) % 11
	if r == 10 {
		return 'A'
	}
	return byte('0' + r)
}

func letterValue(b byte) int { return int(upper(b)-'A') + 10 }

func upper(b byte) byte {
	if b >= 'a' && b <= 'z' {
		return b - 'a' + 'A'
	}
	return b
}
