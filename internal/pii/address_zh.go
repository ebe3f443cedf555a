package pii

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Chinese addresses (Traditional and Simplified). An address is found from a
// core — street + number + 號 ("軒尼詩道123號"), building + floor/room
// ("豐和樓1234室"), or floor + room ("5樓A室") — then widened left over the
// street/building name and district ("香港灣仔") and right over building,
// block, floor and room parts.
const (
	zhStreet   = `(?:大道|道|街|路|里|坊|徑|径|巷|圍|围|村)(?:中|東|东|西|南|北)?`
	zhBuilding = `(?:大廈|大厦|中心|花園|花园|廣場|广场|商場|商场|閣|阁|苑|邨|樓|楼|軒|轩|山莊|山庄|豪庭|城|居|園|园|宮|宫|臺|台)`
	zhNum      = `[0-9]{1,5}(?:\s?[-–至]\s?[0-9]{1,5})?[A-Za-z]?`
	zhFloor    = `(?:[0-9]{1,3}|[一二三四五六七八九十]{1,3})\s?(?:字樓|樓|楼|層|层|/[Ff])|地下|地庫|地库`
	zhRoom     = `[0-9A-Za-z]{1,5}\s?(?:室|號舖|号铺|舖|铺|單位|单位)`
	zhBlock    = `第?[0-9A-Za-z一二三四五六七八九十]{1,3}\s?(?:座|棟|栋|期)`
)

var (
	reZhCore = regexp.MustCompile(
		zhStreet + `\s?` + zhNum + `\s?(?:號|号)` + // street number
			`|` + zhBuilding + `\s?(?:` + zhBlock + `\s?)?(?:` + zhFloor + `|` + zhRoom + `)` + // building + floor/room
			`|(?:` + zhFloor + `)\s?(?:` + zhRoom + `|` + zhBlock + `)`) // floor + room
	reZhTail = []*regexp.Regexp{
		regexp.MustCompile(`^\s?(?:` + zhFloor + `)`),
		regexp.MustCompile(`^\s?(?:` + zhRoom + `)`),
		regexp.MustCompile(`^\s?(?:` + zhBlock + `)`),
		regexp.MustCompile(`^\s?` + zhNum + `\s?(?:號|号)`),
		regexp.MustCompile(`^\p{Han}{1,8}?` + zhBuilding),
	}
	reZhBuildingEnd = regexp.MustCompile(zhBuilding + `$`)
)

// zhStop are characters that end a street or building name when walking left
// or right: verbs and particles customers put around an address.
const zhStop = "去到住係喺在寄送址於于的返由從从做改為为是收搬系及或嘅我你佢請请唔要想幫帮電话號码碼"

const zhNameMax = 12 // runes in a street/building name plus district

func findAddresses(text string, add func(Match)) {
	findZhAddresses(text, add)
	findEnAddresses(text, add)
}

func findZhAddresses(text string, add func(Match)) {
	for _, loc := range reZhCore.FindAllStringIndex(text, -1) {
		s := walkNameLeft(text, loc[0])
		e := extendZhTail(text, loc[1])
		add(Match{Kind: KindAddress, Start: s, End: e})
	}
}

// walkNameLeft moves s left over the Han characters of a street or building
// name and district, stopping at punctuation, non-Han text or a stop word.
func walkNameLeft(text string, s int) int {
	for n := 0; n < zhNameMax && s > 0; n++ {
		r, size := utf8.DecodeLastRuneInString(text[:s])
		if !unicode.Is(unicode.Han, r) || strings.ContainsRune(zhStop, r) {
			break
		}
		s -= size
	}
	return s
}

func extendZhTail(text string, e int) int {
	for {
		grew := false
		for _, re := range reZhTail {
			loc := re.FindStringIndex(text[e:])
			if loc == nil || loc[1] == 0 {
				continue
			}
			if strings.ContainsAny(text[e:e+loc[1]], zhStop) {
				continue
			}
			e += loc[1]
			grew = true
			break
		}
		if !grew {
			return e
		}
	}
}
