package crm

import (
	"regexp"
	"strings"

	"golang.org/x/text/width"
)

// Order numbers are found by three patterns, hand-written because they are
// specific to how Hong Kong customers write: after an order keyword (English,
// Cantonese, Mandarin), a letter prefix joined to digits (HK20461, A-20931),
// or a #-prefixed number. Bare digit runs are never taken: they are far more
// often phone numbers, amounts or dates.
var (
	keywordOrder = regexp.MustCompile(`(?i)(?:order|訂單|订单|柯打)` +
		`(?:\s*(?:no\.?|number|num|id|#|號碼|号码|編號|编号|號|号))?` +
		`(?:\s*(?:is|係|系|是|為|为|:|=))?[\s#:]*` +
		`([A-Za-z]{0,4}-?\d{4,12})\b`)
	prefixedOrder = regexp.MustCompile(`\b([A-Za-z]{1,4}-?\d{4,12})\b`)
	hashOrder     = regexp.MustCompile(`#(\d{4,12})\b`)
	hkidShape     = regexp.MustCompile(`^([A-Za-z]{1,2})(\d{6})([0-9Aa])$`)
	// Hong Kong numbers with country code and mainland mobiles.
	phoneShape = regexp.MustCompile(`^(?:86)?1[3-9]\d{9}$|^852[2-9]\d{7}$`)
)

// Currency prefixes that look like an order prefix ("HKD1200").
var currencyPrefixes = map[string]bool{
	"HKD": true, "USD": true, "RMB": true, "CNY": true, "MOP": true, "EUR": true,
	"GBP": true, "JPY": true, "NTD": true, "TWD": true, "SGD": true, "AUD": true,
}

// ExtractOrderNumber finds the order number a customer mentions and returns
// it upper-cased without a leading '#'. Full-width characters are folded
// first. Phone numbers (bare digits, 852/86-prefixed numbers), amounts with
// currency prefixes, e-mail and URL parts and valid HKIDs are not taken.
func ExtractOrderNumber(text string) (string, bool) {
	text = width.Fold.String(text)
	for _, m := range keywordOrder.FindAllStringSubmatchIndex(text, -1) {
		if m[0] > 0 && isASCIILetter(text[m[0]-1]) { // "border 2024"
			continue
		}
		if c := text[m[2]:m[3]]; standalone(text, m[2], m[3]) && acceptable(c) {
			return strings.ToUpper(c), true
		}
	}
	best, bestAt := "", len(text)
	for _, m := range prefixedOrder.FindAllStringSubmatchIndex(text, -1) {
		if c := text[m[2]:m[3]]; standalone(text, m[2], m[3]) && acceptable(c) {
			best, bestAt = c, m[2]
			break
		}
	}
	for _, m := range hashOrder.FindAllStringSubmatchIndex(text, -1) {
		if m[2] < bestAt && standalone(text, m[2]-1, m[3]) {
			best = text[m[2]:m[3]]
			break
		}
	}
	if best == "" {
		return "", false
	}
	return strings.ToUpper(best), true
}

func acceptable(c string) bool {
	letters := strings.TrimRight(c, "-0123456789")
	if currencyPrefixes[strings.ToUpper(letters)] {
		return false
	}
	if letters == "" && phoneShape.MatchString(c) {
		return false
	}
	return !validHKID(c)
}

// validHKID reports whether s is a Hong Kong identity card number with a
// correct check digit (brackets removed), e.g. A1234563.
func validHKID(s string) bool {
	m := hkidShape.FindStringSubmatch(strings.ToUpper(s))
	if m == nil {
		return false
	}
	prefix := m[1]
	sum := 0
	if len(prefix) == 1 {
		sum += 36 * 9 // a single letter counts as a leading space (value 36)
		sum += int(prefix[0]-'A'+10) * 8
	} else {
		sum += int(prefix[0]-'A'+10)*9 + int(prefix[1]-'A'+10)*8
	}
	for i, d := range m[2] {
		sum += int(d-'0') * (7 - i)
	}
	check := (11 - sum%11) % 11
	want := byte('0' + check)
	if check == 10 {
		want = 'A'
	}
	return m[3][0] == want
}

// standalone rejects tokens glued to e-mail addresses, URLs, paths, amounts
// or decimals, and HKIDs written with a bracketed check digit.
func standalone(text string, start, end int) bool {
	if start > 0 {
		switch text[start-1] {
		case '@', '.', '/', '+', '$', '_', '-':
			return false
		}
	}
	if end < len(text) {
		switch text[end] {
		case '.':
			return end+1 == len(text) || text[end+1] == ' ' // a full stop
		case '@', '/', '(', '_', '-':
			return false
		}
	}
	return true
}

func isASCIILetter(b byte) bool { return (b|0x20) >= 'a' && (b|0x20) <= 'z' }
