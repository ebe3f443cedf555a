package pii

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// Shared helpers: character classes, boundaries and the labels customers put
// in front of values.

func isASCIIDigit(b byte) bool { return b >= '0' && b <= '9' }

func isASCIIAlnum(b byte) bool {
	return isASCIIDigit(b) || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
}

// cleanNumberBoundary reports whether text[s:e] stands alone as a number: no
// letter, digit, '$' or decimal point glued to it, and not one group of a
// longer chain of digit groups ("1234 5678 9012").
func cleanNumberBoundary(text string, s, e int) bool {
	if s > 0 {
		b := text[s-1]
		if isASCIIAlnum(b) || b == '$' || b == '#' || b == '/' || b == '.' && s > 1 && isASCIIDigit(text[s-2]) {
			return false
		}
		if (b == ' ' || b == '-') && s > 1 && isASCIIDigit(text[s-2]) {
			return false
		}
	}
	if e < len(text) {
		b := text[e]
		if isASCIIAlnum(b) || b == '/' || b == '%' {
			return false
		}
		if (b == '.' || b == ':' || b == ',') && e+1 < len(text) && isASCIIDigit(text[e+1]) {
			return false
		}
		if (b == ' ' || b == '-') && e+1 < len(text) && isASCIIDigit(text[e+1]) {
			return false
		}
	}
	return true
}

// scan calls accept for each match of re, retrying one rune later when a
// match is rejected so that a bad leftmost candidate cannot hide a good one.
func scan(re *regexp.Regexp, text string, accept func(loc []int) bool) {
	pos := 0
	for pos < len(text) {
		loc := re.FindStringSubmatchIndex(text[pos:])
		if loc == nil {
			return
		}
		for i := range loc {
			if loc[i] >= 0 {
				loc[i] += pos
			}
		}
		if accept(loc) {
			pos = loc[1]
			if loc[1] == loc[0] {
				pos++
			}
			continue
		}
		_, size := utf8.DecodeRuneInString(text[loc[0]:])
		pos = loc[0] + size
	}
}

type label int

const (
	labelNone label = iota
	labelPhone
	labelOrder
)

var (
	rePhoneLabel = regexp.MustCompile(`(?i)phone|tel\b|mobile|cell|call|whats ?app|contact|sms|text me|電話|电话|手機|手机|聯絡|联络|联系|致電|致电|打俾|打畀|打給|打给|微信`)
	reOrderLabel = regexp.MustCompile(`(?i)order|訂單|订单|單號|单号|tracking|運單|运单|快遞|快递|invoice|發票|发票|\bref\b|reference|參考|参考|編號|编号|#|sku|貨號|货号|booking|預約|预约`)
)

// labelBefore returns which kind of label sits closest before pos (within a
// short window), so "order 98765432" and "電話 98765432" can be told apart.
func labelBefore(text string, pos int) label {
	start := windowStart(text, pos, 24)
	win := text[start:pos]
	best, bestEnd := labelNone, -1
	if locs := rePhoneLabel.FindAllStringIndex(win, -1); len(locs) > 0 {
		best, bestEnd = labelPhone, locs[len(locs)-1][1]
	}
	if locs := reOrderLabel.FindAllStringIndex(win, -1); len(locs) > 0 && locs[len(locs)-1][1] > bestEnd {
		best = labelOrder
	}
	return best
}

// windowStart is the byte offset n runes before pos (or 0).
func windowStart(text string, pos, n int) int {
	i := pos
	for ; n > 0 && i > 0; n-- {
		_, size := utf8.DecodeLastRuneInString(text[:i])
		i -= size
	}
	return i
}

// windowEnd is the byte offset n runes after pos (or len(text)).
func windowEnd(text string, pos, n int) int {
	i := pos
	for ; n > 0 && i < len(text); n-- {
		_, size := utf8.DecodeRuneInString(text[i:])
		i += size
	}
	return i
}

// labelled finds each occurrence of labelRe and looks for valueRe within the
// next few runes (with no digit in between); accept decides on each candidate
// until one is taken.
func labelled(text string, labelRe, valueRe *regexp.Regexp, accept func(loc []int) bool) {
	for _, l := range labelRe.FindAllStringIndex(text, -1) {
		end := windowEnd(text, l[1], 24)
		for pos := l[1]; pos < end; {
			loc := valueRe.FindStringSubmatchIndex(text[pos:end])
			if loc == nil {
				break
			}
			for i := range loc {
				if loc[i] >= 0 {
					loc[i] += pos
				}
			}
			if strings.ContainsAny(text[l[1]:loc[0]], "0123456789") || accept(loc) {
				break
			}
			_, size := utf8.DecodeRuneInString(text[loc[0]:])
			pos = loc[0] + size
		}
	}
}
