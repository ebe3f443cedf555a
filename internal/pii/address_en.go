package pii

import (
	"regexp"
	"sort"
)

// English addresses: a run of address parts (flat/room, floor, block/tower,
// building, "8 Nathan Road", district) separated only by spaces or commas.
// A run is an address when it has a street with a number, or at least two of
// flat/floor/block/building; a district alone is not personal data.
type enPart struct {
	re     *regexp.Regexp
	weight int
}

// enParts lists district last: it is only searched when other parts were found.
var enParts = []enPart{
	{regexp.MustCompile(`(?i)\b(?:flat|rm|room|unit|apt|apartment|shop|suite)\.?\s*[A-Z0-9]{1,5}\b`), 1},
	{regexp.MustCompile(`(?i)\b(?:[0-9]{1,3}\s?/\s?F|[GLU]/F|LG/F|UG/F|[0-9]{1,3}(?:st|nd|rd|th)?\s+floor|ground\s+floor)\b`), 1},
	{regexp.MustCompile(`(?i)\b(?:block|blk|tower|twr)\.?\s*[A-Z0-9]{1,3}\b`), 1},
	{regexp.MustCompile(`\b(?:[A-Z][A-Za-z']+\s+){1,4}(?i:building|bldg|mansion|house|court|centre|center|gardens?|plaza|tower|estate|villa|heights|terrace|place|mall|square)\b`), 1},
	{regexp.MustCompile(`\b[0-9]{1,5}[A-Za-z]?(?:\s?-\s?[0-9]{1,5})?,?\s+(?:[A-Z][A-Za-z']+\s+){1,4}(?i:road|rd|street|st|avenue|ave|lane|path|drive|circuit|crescent|boulevard|way|praya)\b\.?`), 2},
	{regexp.MustCompile(`\b(?:Tsim Sha Tsui|TST|Mong ?Kok|Wan Chai|Causeway Bay|Central|Sheung Wan|Admiralty|North Point|Quarry Bay|Tai Koo|Sai Wan Ho|Shau Kei Wan|Chai Wan|Aberdeen|Ap Lei Chau|Stanley|Sha ?Tin|Tai Po|Fanling|Sheung Shui|Yuen Long|Tin Shui Wai|Tuen Mun|Tsuen Wan|Kwai Chung|Kwai Fong|Tsing Yi|Tung Chung|Sai Kung|Tseung Kwan O|Kwun Tong|Lam Tin|Yau Tong|Ngau Tau Kok|Kowloon Bay|Kowloon Tong|Kowloon City|To Kwa Wan|Hung Hom|Ho Man Tin|Yau Ma Tei|Jordan|Prince Edward|Sham Shui Po|Cheung Sha Wan|Lai Chi Kok|Mei Foo|Wong Tai Sin|Diamond Hill|San Po Kong|Tai Wai|Ma On Shan|Fo Tan|Kennedy Town|Sai Ying Pun|Happy Valley|Tin Hau|Discovery Bay|Kowloon|Hong Kong|New Territories|N\.T\.|NT|HK)\b`), 0},
}

func findEnAddresses(text string, add func(Match)) {
	type part struct{ s, e, w int }
	var parts []part
	weight := 0
	for _, p := range enParts {
		if p.weight == 0 && weight < 2 {
			break // districts only matter next to other parts
		}
		for _, loc := range p.re.FindAllStringIndex(text, -1) {
			parts = append(parts, part{loc[0], loc[1], p.weight})
			weight += p.weight
		}
	}
	if weight < 2 {
		return
	}
	sort.Slice(parts, func(i, j int) bool {
		if parts[i].s != parts[j].s {
			return parts[i].s < parts[j].s
		}
		return parts[i].e > parts[j].e
	})
	flush := func(s, e, w int) {
		if w >= 2 {
			add(Match{Kind: KindAddress, Start: s, End: e})
		}
	}
	runS, runE, runW := -1, -1, 0
	for _, p := range parts {
		switch {
		case runS >= 0 && p.s < runE: // overlapping part: merge
			if p.e > runE {
				runE, runW = p.e, runW+p.w
			}
		case runS >= 0 && onlySeparators(text[runE:p.s]):
			runE, runW = p.e, runW+p.w
		default:
			flush(runS, runE, runW)
			runS, runE, runW = p.s, p.e, p.w
		}
	}
	flush(runS, runE, runW)
}

func onlySeparators(gap string) bool {
	for i := 0; i < len(gap); i++ {
		switch gap[i] {
		case ' ', ',', '\t':
		default:
			return false
		}
	}
	return len(gap) <= 4
}
