package pii

import "regexp"

// Payment card numbers: 13-19 digits, optionally in groups separated by one
// space or hyphen, passing the Luhn check, with a network prefix (2-6).
var reDigitChain = regexp.MustCompile(`[0-9]+(?:[ \-][0-9]+)*`)

func findCards(text string, add func(Match)) {
	for _, loc := range reDigitChain.FindAllStringIndex(text, -1) {
		s, e := loc[0], loc[1]
		if s > 0 && (isASCIIAlnum(text[s-1]) || text[s-1] == '$' || text[s-1] == '+') || e < len(text) && isASCIIAlnum(text[e]) {
			continue
		}
		groups := digitGroups(text, s, e)
		findCardInChain(text, groups, add)
	}
}

type span struct{ start, end int }

func digitGroups(text string, s, e int) []span {
	var gs []span
	i := s
	for i < e {
		j := i
		for j < e && isASCIIDigit(text[j]) {
			j++
		}
		gs = append(gs, span{i, j})
		i = j + 1
	}
	return gs
}

// findCardInChain takes, from each starting group, the longest run of whole
// groups that is a plausible card number.
func findCardInChain(text string, groups []span, add func(Match)) {
	for i := 0; i < len(groups); {
		found := -1
		n := 0
		for j := i; j < len(groups); j++ {
			n += groups[j].end - groups[j].start
			if n > 19 {
				break
			}
			if n >= 13 && isCard(text, groups[i:j+1]) {
				found = j
			}
		}
		if found < 0 {
			i++
			continue
		}
		add(Match{Kind: KindCard, Start: groups[i].start, End: groups[found].end})
		i = found + 1
	}
}

func isCard(text string, groups []span) bool {
	// Cards are written whole or in groups of 4 (4-6-5 for Amex, a final
	// short group for 19 digits); tiny groups are other numbers.
	if len(groups) > 1 {
		for _, g := range groups[:len(groups)-1] {
			if g.end-g.start < 4 {
				return false
			}
		}
		if last := groups[len(groups)-1]; last.end-last.start < 3 {
			return false
		}
	}
	first := text[groups[0].start]
	if first < '2' || first > '6' {
		return false
	}
	// Luhn, from the rightmost digit.
	sum, double := 0, false
	for g := len(groups) - 1; g >= 0; g-- {
		for k := groups[g].end - 1; k >= groups[g].start; k-- {
			d := int(text[k] - '0')
			if double {
				d *= 2
				if d > 9 {
					d -= 9
				}
			}
			sum += d
			double = !double
		}
	}
	return sum%10 == 0
}
