package nlu

import (
	"strings"
	"unicode/utf8"

	"github.com/harbordesk/harbordesk/internal/nlu/script"
)

// Language labels of the understanding result.
const (
	Cantonese = "yue"
	Mandarin  = "zh"
	English   = "en"
)

// cantoneseMarkers are written-Cantonese particles and words that standard
// written Chinese does not use; weights reflect how decisive each one is.
// They are matched after folding, so Simplified spellings count too.
var cantoneseMarkers = map[string]float64{
	"嘅": 2, "咗": 2, "喺": 2, "哋": 2, "冇": 2, "嘢": 2, "啲": 2, "佢": 1.5, "睇": 1.5,
	"搵": 1.5, "揾": 1.5, "嚟": 2, "唔": 2, "咁": 1.2, "乜": 2, "邊度": 2, "邊個": 2,
	"點解": 2, "點樣": 2, "點算": 2, "唔該": 2, "啱": 1.5, "咪": 1, "嗰": 2, "噉": 2,
	"囉": 1.5, "喎": 2, "喇": 1.5, "嘞": 1.5, "㗎": 2, "嚿": 2, "攞": 2, "畀": 1.5, "俾": 1,
	"咩": 2, "屋企": 2, "老細": 2, "幾錢": 2, "早唞": 2, "聽朝": 2, "傾": 1.5, "埋": 1, "而家": 2, "依家": 2, "宜家": 1.5, "聽日": 2, "琴日": 2, "尋日": 2, "今日": 1,
	"做乜": 2, "得閒": 2, "早晨": 2, "多謝": 1.5, "成日": 1.5, "仲": 1.2, "晒": 1.5,
	"諗": 2, "瞓": 2, "嬲": 2, "閂": 2, "舖": 1, "返工": 1.5, "放工": 1.5, "幾時": 1, "幾多": 1,
	"有冇": 2, "係咪": 2, "使唔使": 2, "搞掂": 1.5, "落單": 1.5, "出糧": 2, "埋單": 1.5,
	"咋嘛": 1, "啩": 2, "呢個": 1, "呢度": 1.5, "嗮": 1, "哂": 1, "嘥": 2, "咿": 0.5,
	"揸": 1.5, "郁": 1, "抵": 0.5, "靚": 1, "嘈": 1, "掟": 2, "邊": 1, "咁樣": 1,
	"係唔係": 2, "好唔好": 1, "得唔得": 2, "啦": 0.7, "呀": 0.4, "喂": 0.5,
	"問下": 1, "查下": 1, "試下": 1.5, "幫下": 1.5, "睇下": 1, "幾耐": 2, "點做": 2, "點搞": 2,
	"張單": 1.5, "同我": 1, "落去": 1.5, "返": 1, "有得": 1.5, "幫襯": 2, "好驚": 1.5, "驚": 0.5,
	"唔使": 2, "俾我": 1.5, "畀我": 1.5, "邊間": 2, "點先": 2, "點知": 2, "乜都": 2, "成個": 1,
	"吖": 2, "囖": 2, "啫": 2, "噃": 2, "𡃉": 2, "嚹": 2, "𠺢": 2, "𠻹": 2, "𠸏": 2, "吖嗎": 3, "啫嗎": 3, "哩個": 1.5, "好鬼": 1.5,
	"點答": 2, "鍾意": 2, "無端端": 2, "核突": 2, "蚊": 1, "嘩": 1, "咦": 0.5, "冇得": 1, "啱啱": 1, "頭先": 2, "琴晚": 2, "搞咩": 2, "激氣": 2, "嬲爆": 2,
	"開工": 1, "收工": 1, "搞錯": 0.5, "冇人": 1, "咁耐": 2, "點改": 2, "點退": 2, "點買": 2, "點用": 2, "點去": 2, "點收": 2, "見到": 1.5, "戶口": 1, "啲嘢": 1,
}

// mandarinMarkers are standard written Chinese / Mandarin function words
// that colloquial Cantonese replaces.
var mandarinMarkers = map[string]float64{
	"的": 1, "了": 1, "在": 1, "們": 1, "嗎": 2, "什麼": 2, "怎麼": 2, "這": 1.5, "那": 1,
	"沒有": 2, "沒": 1.5, "是": 1, "不": 1, "哪": 2, "誰": 2, "吧": 1, "給": 1, "還": 1,
	"他": 1, "她": 1, "很": 1.5, "一下": 1, "怎樣": 1.5, "為什麼": 2, "現在": 1.5,
	"明天": 1.5, "昨天": 1.5, "今天": 1, "東西": 1.5, "看": 1, "找": 1, "能": 1, "呢": 0.3,
	"啊": 0.5, "就": 0.3, "請問": 0.5, "什么": 2, "么": 1, "啥": 2, "咋整": 2, "咋办": 2, "咱": 2,
	"幹嘛": 2, "怎么办": 1, "吗": 2, "别": 1, "別": 1, "得": 0.3, "已經": 0.3, "一直": 0.3,
}

var (
	yueTable = newPhraseTable(cantoneseMarkers)
	zhTable  = newPhraseTable(mandarinMarkers)
)

// langEvidence is what the language decision is based on.
type langEvidence struct {
	counts     script.Counts
	yue, zh    float64
	latinWords int
	simplified bool
	codeMix    float64 // English code-mixing; Cantonese evidence only in Chinese text
	folded     string
}

func gatherLanguage(text, folded string) langEvidence {
	ev := langEvidence{counts: script.Count(text), folded: folded}
	yueTable.scan(folded, func(_, _ int, w float64) { ev.yue += w })
	zhTable.scan(folded, func(_, _ int, w float64) { ev.zh += w })
	// 係 folds to 系 (as in 系統), so the Traditional form is counted unfolded.
	ev.yue += 1.5 * float64(strings.Count(text, "係"))
	// A bare classifier opening the message (個客服…, 部機…) is Cantonese;
	// Mandarin says 這個/那個.
	if r, _ := utf8.DecodeRuneInString(folded); strings.ContainsRune("个部张只架条间件份对", r) {
		ev.yue += 1.5
	}
	ev.yue += cantoneseGrammar(folded)
	ev.codeMix = codeMixing(text)
	ev.zh += mandarinGrammar(folded)
	ev.latinWords = countLatinWords(folded)
	ev.simplified = ev.counts.Script() == script.Hans
	return ev
}

// cantoneseGrammar scores constructions rather than words: verb + 下 ending
// a clause (考慮下, 傾下) where Mandarin says 一下, sentence-final 咋 ("only"),
// and 點 "how" before a verb (點set, 點連, 點處理).
func cantoneseGrammar(folded string) float64 {
	var w float64
	for i := 0; i < len(folded); {
		r, size := utf8.DecodeRuneInString(folded[i:])
		next, _ := utf8.DecodeRuneInString(folded[i+size:])
		prev, _ := utf8.DecodeLastRuneInString(folded[:i])
		switch {
		case r == '下' && i > 0 && script.IsHan(prev) && !strings.ContainsRune("一上以如在午", prev) && (i+size == len(folded) || strings.ContainsRune("先啦呀嘛吖喇，。！？,.!? ", next)):
			w += 1.5
		case r == '咋' && (i+size == len(folded) || !script.IsHan(next) || strings.ContainsRune("嘛喎", next)):
			w += 2
		case r == '点' && (next >= 'a' && next <= 'z' || strings.ContainsRune(howVerbs, next)) && !strings.ContainsRune(notHowBefore, prev):
			w += 1.5
		}
		i += size
	}
	return w
}

// howVerbs may follow Cantonese 點 "how" (點連, 點加, 點換); notHowBefore
// marks Mandarin 點 "o'clock / a bit" (幾點, 一點, 早點, 有點). Folded forms.
const (
	howVerbs     = "连加换处申搞做设登转取续注付交开关查"
	notHowBefore = "几一两三四五六七八九十早晚快慢多少有差重地终起景特优缺积半"
)

// mandarinGrammar scores 咋 + verb ("how", 咋改), which Cantonese never uses.
func mandarinGrammar(folded string) float64 {
	var w float64
	for i := 0; i < len(folded); {
		r, size := utf8.DecodeRuneInString(folded[i:])
		if next, _ := utf8.DecodeRuneInString(folded[i+size:]); r == '咋' && i+size < len(folded) && script.IsHan(next) && !strings.ContainsRune("嘛喎", next) {
			w += 2
		}
		i += size
	}
	return w
}

// techNouns are English product words that standard Chinese text uses too;
// every other lower-case English word inside Chinese text is Hong Kong
// code-mixing (唔該check下, 幫我book), which is Cantonese.
var techNouns = map[string]bool{
	"app": true, "apps": true, "wifi": true, "wi": true, "fi": true, "sim": true, "esim": true, "email": true,
	"whatsapp": true, "payme": true, "ipad": true, "iphone": true, "apn": true, "ok": true, "gb": true,
	"mb": true, "tv": true, "vip": true, "id": true, "usb": true, "pdf": true, "qr": true, "octopus": true,
}

// codeMixing scores lower-case English words (three letters or more, not
// product nouns) inside text that also has Han characters; at most 2.
func codeMixing(text string) float64 {
	var w float64
	for i := 0; i < len(text) && w < 2; {
		c := text[i]
		if c < 'a' || c > 'z' || (i > 0 && isASCIIWord(rune(text[i-1]))) {
			i++
			continue
		}
		j := i
		for j < len(text) && isASCIIWord(rune(text[j])) {
			j++
		}
		word := text[i:j]
		if len(word) >= 3 && strings.ToLower(word) == word && !techNouns[word] {
			w++
		}
		i = j
	}
	return w
}

func countLatinWords(s string) int {
	n, in := 0, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		w := c >= 'a' && c <= 'z'
		if w && !in {
			n++
		}
		in = w || (in && c == '\'')
	}
	return n
}

// decide returns the language and script. English is text without Han
// characters, or a few Han characters inside a longer English sentence;
// Chinese text is Cantonese when its Cantonese markers outweigh its Mandarin
// ones. With no markers at all (轉人工) it is standard Chinese.
func (ev langEvidence) decide() (lang, scr string) {
	c := ev.counts
	if c.Han == 0 || (ev.latinWords >= 4 && c.Han*2 <= ev.latinWords && ev.yue < 1) {
		return English, script.Latn
	}
	scr = c.Script()
	// Written Cantonese is almost always Traditional; Simplified text needs
	// clearer evidence. A decisive Cantonese marker wins a tie.
	margin, yue := 0.0, ev.yue+ev.codeMix
	if ev.simplified {
		margin = 1
	}
	if yue > ev.zh+margin || (!ev.simplified && yue >= 2 && yue == ev.zh) {
		return Cantonese, scr
	}
	return Mandarin, scr
}

// DetectLanguage returns the language (yue, zh, en) and script (Hant, Hans,
// Latn) of text.
func DetectLanguage(text string) (lang, script string) {
	return gatherLanguage(text, fold(strings.TrimSpace(text))).decide()
}
