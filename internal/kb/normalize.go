package kb

import (
	"regexp"
	"strings"

	"github.com/harbordesk/harbordesk/internal/lexicon"
)

// Retrieval normalisation. Customers ask the same question in many
// registers — "要幾多日內退先得？", "幾天內可以退？", "how many days do i
// have to send it back" — and BM25 only sees shared tokens. normalize maps
// every text (articles at index time, questions at query time) onto one
// canonical written form, so the register stops mattering:
//
//  1. slang through the lexicon: each lexicon term becomes its standard
//     written Chinese form (閂門 → 關門, 登入唔到 → 無法登入, book位 → 預約);
//  2. Cantonese grammar words and question frames become written Chinese
//     (幾多日 → 几天, 可唔可以 → 可以, 咗 → 了, 冇 → 没有);
//  3. sentence particles and politeness filler (呀 㗎 啦 喎, 請問, 唔該,
//     先得) become a word boundary: they carry no topic, and left in place
//     they form junk bigrams ("退先", "得呀") that count against coverage;
//  4. English text-speak and phrasal verbs become plain words ("u" → you,
//     "send it back" → return, "won't turn on" → faulty).
//
// The tables are hand-written because no library models Hong Kong
// customer-service register; they are small, general (grammar, not
// products or answers) and covered by normalize_test.go.

// cantoneseWritten rewrites folded (Simplified, lower-case) text. Longer
// keys come first: strings.Replacer prefers the earlier key at a position.
var cantoneseWritten = strings.NewReplacer(
	// question frames
	"几多日", "几天", "几多天", "几天", "多少天", "几天", "几日", "几天",
	"几多钱", "多少钱", "几钱", "多少钱", "几多", "多少",
	"几耐", "多久", "几长时间", "多久", "多长时间", "多久",
	"可唔可以", "可以", "可不可以", "可以", "得唔得", "可以", "行不行", "可以",
	"能不能", "能", "能否", "能", "有冇得", "可以", "有没有得", "可以",
	"退唔退", "退", "退不退", "退", "换唔换", "换", "换不换", "换",
	"开唔开", "开不开", "有冇", "有没有", "使唔使", "需要", "要不要", "需要",
	"系咪", "是不是", "系唔系", "是不是", "是否", "是不是",
	"点样", "怎样", "点解", "为什么", "点算", "怎么办", "点搞", "怎么办", "咋办", "怎么办",
	"怎么办", "怎么办", "怎么样", "怎样", "怎么", "怎样", "咋", "怎样",
	"边度", "哪里", "边间", "哪间", "边个", "谁", "去到边", "到哪里", "到边", "到哪里", "哪儿", "哪里",
	"乜嘢", "什么", "咩", "什么", "啥", "什么",
	// time words
	"啱啱", "刚刚", "听日", "明天", "琴日", "昨天", "今日", "今天", "今晚", "今天晚上",
	// grammar words
	"退返", "退回", "拎返", "拿回", "攞返", "拿回", "整返", "修理", "畀返", "给回", "俾返", "给回",
	"嘢", "东西", "咗", "了", "嘅", "的", "哋", "们", "佢", "他", "喺", "在", "睇", "看", "揾", "找",
	"俾", "给", "畀", "给", "嚟", "来", "攞", "拿", "拎", "拿", "冇", "没有", "谂", "想",
	"呢个", "这个", "呢度", "这里", "呢间", "这间", "呢部", "这部", "呢款", "这款", "𠮶", "那",
	"唔该", " ", "唔", "不",
	// filler → boundary
	"请问", " ", "想问下", " ", "想问", " ", "问下", " ", "麻烦你", " ", "麻烦", " ",
	"你好", " ", "您好", " ", "早晨", " ", "多谢", " ", "谢谢", " ",
	"先得", " ", "才行", " ", "才可以", "可以", "先可以", "可以", "才能", "能", "先会", "会", "才会", "会",
	// sentence particles → boundary
	"呀", " ", "啊", " ", "啦", " ", "喇", " ", "吖", " ", "嘛", " ", "呢", " ", "吗", " ",
	"啫", " ", "咋", " ", "㗎", " ", "㖞", " ", "喎", " ", "噃", " ", "啰", " ", "啩", " ",
	"哦", " ", "喔", " ", "诶", " ", "唉", " ", "嘞", " ", "咧", " ", "喂", " ", "吧", " ", "不啦", " ",
)

// englishPhrases rewrite phrasal verbs and negated states that carry a
// topic only as a whole.
var englishPhrases = []struct {
	re  *regexp.Regexp
	out string
}{
	{regexp.MustCompile(`\b(send|bring|take|give|ship|post)(ing)?\s+(\w+\s+){0,2}?back\b`), " return "},
	{regexp.MustCompile(`\b(won'?t|wont|doesn'?t|does not|will not|can'?t|cannot|not|never)\s+(turn|switch|power|start)(ing|s)?\s+(it\s+)?on\b`), " faulty "},
	{regexp.MustCompile(`\b(not|isn'?t|doesn'?t|does not|don'?t|stopped|stop)\s+work(ing|s)?\b`), " faulty "},
	{regexp.MustCompile(`\bdead\b`), " faulty "},
	{regexp.MustCompile(`\bmoney\s+back\b`), " refund "},
	{regexp.MustCompile(`\b(talk|speak|chat)\s+to\s+(a\s+)?(real\s+)?(person|human|someone)\b`), " human agent "},
}

// textSpeak maps chat spellings to words (after lower-casing).
var textSpeak = map[string]string{
	"u": "you", "ur": "your", "r": "are", "rn": "now", "tmr": "tomorrow", "tmrw": "tomorrow", "tmro": "tomorrow",
	"pls": "please", "plz": "please", "thx": "thanks", "whens": "when", "whats": "what", "hows": "how", "wheres": "where",
	"cant": "cannot", "wont": "will not", "dont": "do not", "didnt": "did not", "havent": "have not", "isnt": "is not",
	"im": "i am", "wanna": "want to", "gonna": "going to", "gotta": "have to", "aircon": "air conditioner",
	"thru": "through", "nite": "night", "tonite": "tonight", "b4": "before", "2day": "today", "2moro": "tomorrow",
	"coz": "because", "cuz": "because", "abt": "about", "msg": "message", "acct": "account", "pw": "password",
}

var latinWord = regexp.MustCompile(`[a-z0-9']+`)

// lex is the lexicon whose standard forms normalise slang. The shipped
// lexicon is used: the KB index is rebuilt rarely and must not change
// meaning when an operator edits classifier slang.
var lex = lexicon.Default()

// normalize returns the canonical retrieval form of s: folded (lower-case,
// narrow, Simplified) and rewritten as described above.
func normalize(s string) string {
	s = fold(lex.Normalize(s))
	s = cantoneseWritten.Replace(s)
	if strings.IndexFunc(s, func(r rune) bool { return r < 128 && r >= 'a' && r <= 'z' }) < 0 {
		return s
	}
	s = latinWord.ReplaceAllStringFunc(s, func(w string) string {
		if v, ok := textSpeak[w]; ok {
			return v
		}
		return w
	})
	for _, p := range englishPhrases {
		s = p.re.ReplaceAllString(s, p.out)
	}
	return s
}
