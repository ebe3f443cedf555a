package pii

import "regexp"

// Passport and travel-permit numbers are only recognisable by their label:
// formats vary by country (H12345678, E12345678, 123456789…).
var (
	rePassportLabel = regexp.MustCompile(`(?i)passport|護照|护照|回鄉證|回乡证|通行證|通行证|travel document`)
	rePassportValue = regexp.MustCompile(`[A-Za-z]{0,2}[0-9]{6,10}[A-Za-z0-9]?`)
)

func findPassports(text string, add func(Match)) {
	labelled(text, rePassportLabel, rePassportValue, func(loc []int) bool {
		s, e := loc[0], loc[1]
		if s > 0 && isASCIIAlnum(text[s-1]) || e < len(text) && isASCIIAlnum(text[e]) {
			return false
		}
		add(Match{Kind: KindPassport, Start: s, End: e})
		return true
	})
}
