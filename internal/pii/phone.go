package pii

import (
	"regexp"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// Phone numbers: Hong Kong (8 digits starting 2-9, optional +852/852/(852)),
// mainland mobiles (1[3-9] + 9 digits, optional +86) and other numbers written
// in international form (+44 20 7946 0958), validated with phonenumbers.
var (
	reHKPhone = regexp.MustCompile(`((?:\+|00)?852[ \-]?|\(\+?852\)[ \-]?)?([2-9][0-9]{3})([ \-]?)([0-9]{4})`)
	reCNPhone = regexp.MustCompile(`((?:\+|00)?86[ \-]?|\(\+?86\)[ \-]?)?(1[3-9][0-9])([ \-]?)([0-9]{4})[ \-]?([0-9]{4})`)
	reIntl    = regexp.MustCompile(`\+[1-9][0-9 \-()]{6,20}[0-9]`)
)

func findPhones(text string, add func(Match)) {
	scan(reHKPhone, text, func(loc []int) bool {
		digits := text[loc[4]:loc[5]] + text[loc[8]:loc[9]]
		return acceptPhone(text, loc, digits, "HK", loc[6] != loc[7], add, func() bool {
			// Unassigned ranges still look like phones when they start with
			// a mobile/pager digit; 2xxx/3xxx must be a real fixed-line block
			// (this keeps compact dates such as 20261125 out).
			return digits[0] >= '4'
		})
	})
	scan(reCNPhone, text, func(loc []int) bool {
		digits := text[loc[4]:loc[5]] + text[loc[8]:loc[9]] + text[loc[10]:loc[11]]
		return acceptPhone(text, loc, digits, "CN", loc[6] != loc[7], add, func() bool { return false })
	})
	if !strings.Contains(text, "+") {
		return
	}
	scan(reIntl, text, func(loc []int) bool {
		s, e := loc[0], loc[1]
		for e > s {
			cand := text[s:e]
			glued := s > 0 && isASCIIAlnum(text[s-1]) || e < len(text) && isASCIIAlnum(text[e])
			if !glued && validPhone(cand, "ZZ") {
				add(Match{Kind: KindPhone, Start: s, End: e})
				return true
			}
			cut := strings.LastIndexAny(strings.TrimRight(cand, " -()"), " -(")
			if cut <= 0 {
				return false
			}
			e = s + cut
		}
		return false
	})
}

// acceptPhone decides on a local-format candidate. loc[2:4] is the country
// prefix group.
func acceptPhone(text string, loc []int, digits, region string, separated bool, add func(Match), plausible func() bool) bool {
	s, e := loc[0], loc[1]
	if !cleanNumberBoundary(text, s, e) {
		return false
	}
	ok := loc[2] >= 0 // explicit country code
	if !ok {
		switch labelBefore(text, s) {
		case labelPhone:
			ok = true
		case labelOrder:
			ok = separated
		default:
			ok = separated || validPhone(digits, region) || plausible()
		}
	}
	if ok {
		add(Match{Kind: KindPhone, Start: s, End: e})
	}
	return ok
}

func validPhone(number, region string) bool {
	p, err := phonenumbers.Parse(number, region)
	return err == nil && phonenumbers.IsValidNumber(p)
}
