package playbook

import (
	"regexp"
	"strconv"
	"strings"
)

// An amount is a number with a Hong Kong dollar marker before it (HK$, HKD,
// 港幣, 港元, $) or after it (蚊, 元, 港幣, 港元, HKD, dollars), optionally
// scaled by k/千/萬. A bare number (an order number, a phone) is not an
// amount.
var (
	amountBefore = regexp.MustCompile(`(?i)(?:HK\$|HKD|港幣|港币|港元|\$)\s*([0-9][0-9,]*(?:\.[0-9]+)?)\s*(k|千|萬|万)?`)
	amountAfter  = regexp.MustCompile(`(?i)(?:^|[^0-9A-Za-z.,$])([0-9][0-9,]*(?:\.[0-9]+)?)\s*(k|千|萬|万)?\s*(?:蚊|元|港幣|港币|港元|HKD|dollars?\b)`)
	fullWidth    = strings.NewReplacer("０", "0", "１", "1", "２", "2", "３", "3", "４", "4",
		"５", "5", "６", "6", "７", "7", "８", "8", "９", "9", "＄", "$", "，", ",", "．", ".")
)

// ExtractAmountHKD returns the largest Hong Kong dollar amount written in
// text ("HK$1,299", "$1299", "1299蚊", "1299元", "港幣1299", "3千蚊",
// full-width digits too); ok is false when there is none.
func ExtractAmountHKD(text string) (float64, bool) {
	text = fullWidth.Replace(text)
	best, found := 0.0, false
	for _, re := range []*regexp.Regexp{amountBefore, amountAfter} {
		for _, m := range re.FindAllStringSubmatch(text, -1) {
			v, err := strconv.ParseFloat(strings.ReplaceAll(m[1], ",", ""), 64)
			if err != nil {
				continue
			}
			switch strings.ToLower(m[2]) {
			case "k", "千":
				v *= 1000
			case "萬", "万":
				v *= 10000
			}
			if !found || v > best {
				best, found = v, true
			}
		}
	}
	return best, found
}
