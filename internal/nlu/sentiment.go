package nlu

import (
	"math"
	"strings"
	"unicode/utf8"

	"github.com/harbordesk/harbordesk/internal/lexicon"
)

// sentimentCues are polarity words in the three languages and emoji, with a
// weight in [-1,1]. Slang polarity comes from the lexicon instead.
var sentimentCues = map[string]float64{
	// Chinese and Cantonese, negative
	"差": -0.5, "慢": -0.3, "失望": -0.7, "不滿": -0.7, "嬲": -0.7, "生氣": -0.7, "憤怒": -0.8,
	"太久": -0.4, "好耐": -0.3, "催": -0.4, "仲未": -0.4, "還沒": -0.3, "還未": -0.3, "問題": -0.2,
	"錯": -0.3, "搞錯": -0.5, "唔得": -0.3, "不行": -0.3, "破": -0.4, "損": -0.4, "賠": -0.4,
	"屎": -0.6, "惡劣": -0.8, "無語": -0.5, "冇人理": -0.6, "沒人理": -0.6, "冇人覆": -0.5,
	"沒人回": -0.5, "唔理": -0.5, "不理": -0.5, "騙": -0.6, "爛": -0.5, "壞": -0.5, "煩": -0.4,
	"慘": -0.5, "衰": -0.5, "糟糕": -0.7, "過分": -0.6, "浪費": -0.4, "遲": -0.3, "急": -0.3,
	"傷心": -0.5, "頂唔順": -0.7, "受夠": -0.8, "忍無可忍": -0.9, "搞唔掂": -0.4, "不爽": -0.6,
	"等咗": -0.2, "等了": -0.2, "不满意": -0.7, "投訴": -0.5, "賠償": -0.5, "退款": -0.1,
	// urging and repetition: the customer has asked before
	"幾時先": -0.4, "到底": -0.3, "究竟": -0.3, "仲係": -0.2, "都未": -0.3, "仍然": -0.2, "依然": -0.2,
	"老是": -0.3, "總是": -0.2, "又再": -0.3, "再次": -0.2, "多收": -0.5, "亂收": -0.6, "扣錯": -0.5,
	"冇訊號": -0.4, "沒信號": -0.4, "斷網": -0.4, "停電": -0.3, "壞了": -0.4, "故障": -0.3,
	// Chinese and Cantonese, positive
	"謝謝": 0.6, "感謝": 0.6, "滿意": 0.6, "開心": 0.6, "讚": 0.5, "好用": 0.5, "方便": 0.3,
	"喜歡": 0.5, "鍾意": 0.5, "專業": 0.4, "有心": 0.5, "辛苦晒": 0.4, "厲害": 0.4, "棒": 0.5,
	"不錯": 0.5, "唔錯": 0.5, "好好": 0.4, "好快": 0.4, "快捷": 0.4, "貼心": 0.5, "周到": 0.5,
	"靚": 0.4, "感激": 0.6,
	// English, negative
	"bad": -0.6, "terrible": -0.8, "awful": -0.8, "worst": -0.8, "angry": -0.7, "annoyed": -0.6,
	"frustrated": -0.6, "frustrating": -0.6, "disappointed": -0.7, "disappointing": -0.7,
	"unacceptable": -0.8, "useless": -0.7, "rubbish": -0.7, "late": -0.3, "slow": -0.3,
	"damaged": -0.5, "wrong": -0.4, "poor": -0.5, "rude": -0.7, "horrible": -0.8, "hate": -0.7,
	"sucks": -0.7, "problem": -0.2, "issue": -0.2, "waiting": -0.2, "down": -0.2, "fail": -0.4,
	"failed": -0.4, "missing": -0.4, "delayed": -0.4, "ugh": -0.4, "upset": -0.6, "furious": -0.9,
	"pathetic": -0.8, "joke": -0.4, "nobody": -0.3, "ignored": -0.6, "overcharged": -0.6,
	"charged twice": -0.6, "error": -0.3, "stuck": -0.3, "lost": -0.4, "annoying": -0.6,
	"fed up": -0.7, "sick of": -0.7,
	"still": -0.2, "again": -0.2, "seriously": -0.3, "kidding": -0.4, "outage": -0.4, "overcharge": -0.6,
	"overcharging": -0.6, "broken": -0.5, "faulty": -0.5, "defective": -0.5, "dead": -0.3, "leaks": -0.3,
	"never": -0.2, "yet": -0.1, "excuse": -0.2, "unhappy": -0.6, "disgusting": -0.8, "waste": -0.4,
	// English, positive
	"thanks": 0.6, "thank": 0.6, "great": 0.6, "good": 0.4, "love": 0.6, "excellent": 0.8,
	"awesome": 0.7, "happy": 0.6, "helpful": 0.6, "nice": 0.4, "perfect": 0.7, "appreciate": 0.6,
	"appreciated": 0.6, "amazing": 0.7, "cheers": 0.4, "glad": 0.5, "satisfied": 0.6,
	"wonderful": 0.7, "quick": 0.3,
	// emoji
	"😡": -0.8, "😤": -0.6, "😠": -0.7, "🤬": -0.9, "😭": -0.6, "😢": -0.5, "😞": -0.5, "👎": -0.6,
	"💢": -0.6, "🙄": -0.4, "😩": -0.5, "😫": -0.5, "👍": 0.6, "🙏": 0.3, "😊": 0.5, "😀": 0.5,
	"😄": 0.5, "❤": 0.6, "❤️": 0.6, "🥰": 0.6, "😍": 0.6, "👌": 0.4, "🎉": 0.5,
}

var (
	cueTable     = newPhraseTable(sentimentCues)
	negators     = foldedSet("唔", "不", "冇", "沒", "未", "無", "別", "勿", "非", "not", "no", "never", "don't", "dont", "doesn't", "didn't", "isn't", "wasn't", "can't", "cannot", "won't", "aren't", "haven't", "hasn't", "without")
	intensifiers = foldedSet("好", "超", "勁", "非常", "很", "太", "極", "真係", "十分", "特別", "好鬼", "超級", "very", "so", "really", "extremely", "super", "too", "totally", "absolutely", "completely")
)

func foldedSet(xs ...string) map[string]bool {
	m := make(map[string]bool, len(xs))
	for _, x := range xs {
		m[fold(x)] = true
	}
	return m
}

// prevToken returns the token (Latin word or one Han character, or two Han
// characters when two is true) ending just before end, skipping spaces, and
// where it starts.
func prevToken(s string, end int, two bool) (string, int) {
	for end > 0 && s[end-1] == ' ' {
		end--
	}
	if end == 0 {
		return "", 0
	}
	if isASCIIWord(rune(s[end-1])) {
		start := end
		for start > 0 && isASCIIWord(rune(s[start-1])) {
			start--
		}
		return s[start:end], start
	}
	_, n := utf8.DecodeLastRuneInString(s[:end])
	start := end - n
	if two && start > 0 {
		_, m := utf8.DecodeLastRuneInString(s[:start])
		start -= m
	}
	return s[start:end], start
}

// modifierAt reports a negator or intensifier ending at end.
func modifierAt(s string, end int) (neg, intens bool, start int) {
	for _, two := range []bool{true, false} {
		tok, st := prevToken(s, end, two)
		if tok == "" {
			return false, false, end
		}
		if negators[tok] {
			return true, false, st
		}
		if intensifiers[tok] {
			return false, true, st
		}
	}
	return false, false, end
}

// sentimentScore scores folded text in [-1,1]: cue weights, flipped and
// damped by a preceding negator (唔/不/冇/没/not/never …), amplified by
// intensifiers (好/超/勁/very/so …) and repeated exclamation marks, plus the
// sentiment weights of matched slang.
func sentimentScore(folded string, hits []lexicon.Hit) float64 {
	var sum float64
	cueTable.scan(folded, func(start, _ int, w float64) {
		end := start
		for k := 0; k < 2; k++ {
			neg, intens, st := modifierAt(folded, end)
			switch {
			case neg:
				w *= -0.6
			case intens:
				w *= 1.5
			default:
				k = 2
			}
			end = st
		}
		sum += w
	})
	for _, h := range hits {
		sum += h.Entry.Sentiment
	}
	if sum < 0 && (strings.Count(folded, "!") >= 2 || strings.Contains(folded, "!?") || strings.Contains(folded, "?!")) {
		sum *= 1.3
	}
	return math.Round(math.Tanh(sum)*100) / 100
}
