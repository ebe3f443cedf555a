package nlu

import (
	"strings"
	"unicode"
)

// conceptTable is a small hand-written dictionary of the customer-service
// concepts that carry intent evidence: synonym families whose members the
// corpus may never show together ("parcel", "shipment", "courier" all mean
// ORDER). Each matched concept becomes one extra feature, so a wording never
// seen in training still lands near the examples that share its concept.
//
// Phrases are compared on the model's own tokens (units): English after the
// shorthand/contraction expansion and stemming, so "didn't work" matches
// "not work" and whole words only; Han text folded to Simplified, one token
// per character; any digit run is one token, so "within 7 days" matches
// "within 30 days". A concept fires once per message however often it
// matches. Keep entries general: domain synonyms, never whole test messages.
var conceptTable = []struct {
	concept string
	phrases []string
}{
	{"ORDER", []string{
		"order", "my order", "package", "parcel", "shipment", "shipping", "ship", "delivery", "deliver", "courier",
		"tracking", "track", "tracking number", "dispatch", "arrive", "arrival", "out for delivery", "logistics",
		"consignment", "where is my", "not arrived", "not received", "not here yet", "sf express", "collect", "pickup",
		"訂單", "單", "包裹", "快遞", "速遞", "送貨", "派送", "派件", "物流", "到貨", "寄到", "幾時到", "未到", "沒到",
		"仲未收到", "還沒收到", "追貨", "催貨", "順豐", "出貨", "發貨", "取貨", "自取", "運單",
	}},
	{"DAMAGE", []string{
		"broken", "broke", "break", "cracked", "crack", "dented", "dent", "scratched", "scratch", "faulty", "smashed",
		"shattered", "defective", "damaged", "damage", "arrived damaged", "not work", "not working", "stopped working",
		"not turn on", "will not turn on", "leak", "leaking", "stain", "stained", "torn", "ripped", "missing part",
		"dead on arrival", "malfunction", "no sound", "spark", "burnt", "burning smell", "came like this", "bent",
		"chipped", "water damage", "dead pixel", "flicker", "rattle", "noisy", "not cold", "not heat",
		"爛", "壞", "花咗", "花了", "刮花", "凹", "裂", "破", "損壞", "損", "故障", "漏水", "甩", "崩", "碎",
		"瑕疵", "冇聲", "沒聲音", "不制冷", "唔凍", "開唔著", "開不了機", "唔郁", "生鏽", "污漬", "劃痕",
	}},
	{"REFUND", []string{
		"refund", "refundable", "money back", "reimburse", "reimbursement", "chargeback", "charge back", "my money",
		"pay me back", "credit back", "return the money", "give back", "credited back",
		"退錢", "退款", "退返錢", "退返", "退費", "還錢", "回錢", "到賬", "到帳", "退回款項",
	}},
	{"COMPLAINT", []string{
		"rude", "terrible service", "bad service", "poor service", "worst service", "unprofessional", "complain",
		"complaint", "consumer council", "disrespectful", "attitude", "unacceptable", "ridiculous", "worst", "disgrace",
		"disgraceful", "one star", "review", "report you", "yell", "shout", "ignored", "waste of time", "incompetent",
		"lied", "liar", "scam", "cheat", "useless", "pathetic", "fed up", "sick of", "treat", "nobody",
		"投訴", "態度", "差勁", "離譜", "消委會", "無禮", "粗魯", "服務差", "唔專業", "不專業", "惡劣", "呃人", "騙",
		"報警", "劣評", "差評", "黑店", "垃圾", "搞錯", "唔負責", "不負責",
	}},
	{"RESCHEDULE", []string{
		"reschedule", "postpone", "move my appointment", "change the date", "change the time", "change my appointment",
		"different time", "different day", "another day", "another time", "push back", "bring forward", "earlier",
		"later", "slot", "time slot", "appointment", "booking", "book", "rebook", "technician", "installation",
		"install date", "visit", "not free", "not available", "cancel my appointment", "move it",
		"改期", "延期", "改時間", "改日子", "改約", "預約", "另約", "推遲", "推後", "提前", "換個時間", "師傅",
		"安裝", "上門", "約咗", "約了", "唔得閒", "沒空", "時段",
	}},
	{"TECH", []string{
		"wifi", "wi fi", "router", "modem", "signal", "data", "5g", "4g", "no internet", "internet", "broadband",
		"network", "can not connect", "connect", "connection", "disconnect", "error code", "error", "bug", "crash",
		"app", "reset", "restart", "reboot", "sim", "sim card", "roaming", "lag", "speed", "bluetooth", "pair",
		"firmware", "software", "update", "setting", "settings", "configure", "set up", "setup", "not loading",
		"offline", "outage", "coverage", "fibre", "fiber", "no signal", "drop", "hotspot", "esim", "activate",
		"上網", "訊號", "信號", "斷線", "斷網", "網絡", "網路", "網速", "路由器", "連唔到", "連不上", "上唔到",
		"數據", "漫遊", "重啟", "設定", "設置", "當機", "死機", "收唔到", "藍牙", "系統", "更新", "啟動", "開通",
	}},
	{"BILLING", []string{
		"charged", "charge", "bill", "billing", "billed", "invoice", "overcharged", "overcharge", "double charge",
		"charged twice", "paid twice", "fee", "fees", "payment", "pay", "autopay", "direct debit", "credit card",
		"statement", "surcharge", "deducted", "deduct", "debit", "monthly fee", "subscription", "tariff",
		"late payment", "discount", "overpaid", "price plan", "extra charge",
		"收費", "帳單", "賬單", "扣錢", "收多", "多收", "扣款", "扣數", "月費", "繳費", "交費", "俾錢", "付款",
		"發票", "自動轉賬", "信用卡", "費用", "亂收", "重複扣", "扣多", "收錯", "找數", "過數",
	}},
	{"ACCOUNT", []string{
		"login", "log in", "sign in", "password", "account", "membership", "member", "points", "email change",
		"change my email", "username", "profile", "personal details", "registered", "register", "verify",
		"verification", "2fa", "otp", "address on file", "update my", "locked out", "reset my password", "redeem",
		"reward", "loyalty", "vip", "my details", "contact number", "phone number", "email",
		"登入", "登錄", "密碼", "會員", "積分", "帳戶", "賬戶", "帳號", "賬號", "戶口", "個人資料", "電郵", "郵箱",
		"驗證", "註冊", "改資料", "換地址", "登記", "兌換", "積分換",
	}},
	{"BUY", []string{
		"buy", "purchase", "in stock", "stock", "price of", "how much", "price", "cost", "want to get", "place an order",
		"order a", "order one", "available", "availability", "quote", "cart", "checkout", "restock", "colour", "color",
		"do you sell", "do you have", "sell", "promotion", "offer", "i will take", "want one", "get one",
		"買", "訂", "有冇貨", "有沒有貨", "有貨", "現貨", "幾錢", "多少錢", "價錢", "價格", "報價", "落單", "下單",
		"購買", "入貨", "補貨", "訂購", "想要", "有冇得賣", "有賣", "要一部", "要一個",
	}},
	{"HUMAN", []string{
		"human", "agent", "real person", "staff", "representative", "operator", "live chat", "talk to someone",
		"speak to someone", "speak to", "talk to", "callback", "call me", "call back", "transfer", "colleague",
		"manager", "supervisor", "customer service", "hotline", "bot", "auto reply", "actual person", "someone",
		"真人", "客服", "轉人工", "人工", "職員", "同事", "經理", "負責人", "打俾我", "打電話", "回電", "覆電",
		"接線生", "機器人", "搵人", "找人", "有冇人",
	}},
	{"SMALLTALK", []string{
		"hi", "hello", "thanks", "thank you", "bye", "goodbye", "okay", "good morning", "good night", "good afternoon",
		"see you", "cheers", "no problem", "never mind", "that is all", "noted", "sure", "great", "cool",
		"have a nice day", "how are you", "no rush", "got it", "alright", "later",
		"多謝", "謝謝", "唔該晒", "拜拜", "早晨", "你好", "好的", "收到", "明白", "冇嘢", "沒事", "辛苦", "晚安",
		"唔使", "不用了", "好嘅",
	}},
	{"HOURS", []string{
		"open", "opening", "close", "closing", "closed", "hours", "opening hours", "business hours", "holiday",
		"public holiday", "sunday", "saturday", "weekend", "what time", "until when", "until", "walk in",
		"christmas", "lunar new year", "chinese new year", "easter", "latest", "earliest", "branch", "shop", "store",
		"幾點", "開門", "營業", "假期", "公眾假期", "關門", "收鋪", "星期日", "星期六", "週末", "周末", "禮拜",
		"開到", "營業時間", "休息", "新年", "聖誕", "分店", "門市", "幾時開", "開唔開",
	}},
	{"RETURNS", []string{
		"return", "returns", "exchange", "return policy", "within 7 days", "7 days", "swap", "send back",
		"ship it back", "send it back", "receipt", "unopened", "original packaging", "change for another",
		"exchange policy", "warranty",
		"退貨", "換貨", "退換", "換過", "寄回", "換一部", "換新", "保養", "保用", "退貨政策", "包裝", "收據",
	}},
}

// conceptPhrase is one dictionary phrase as a sequence of model tokens.
type conceptPhrase struct {
	units []uint64
	slot  int
}

// conceptIndex holds the dictionary phrases keyed by their first token, and
// the feature id and value of each slot. Hand-rolled: the message is already
// tokenised, and a map lookup per token over a few hundred short phrases
// costs less than building an Aho-Corasick automaton from a library.
type conceptIndex struct {
	first map[uint64][]conceptPhrase
	ids   []uint64  // by slot: 2*concept for English phrases, +1 for Han ones
	vals  []float32 // by slot
}

var concepts = newConceptIndex()

// conceptWeight is the value of one concept matched by an English phrase,
// relative to a token (1 chosen by 5-fold CV on train among 0.5–2).
var conceptWeight float32 = 1

// hanConceptWeight is the value of a concept matched by a Han phrase. Han
// phrases share the concept's feature with English ones (so evidence learnt
// in one language carries to the other) but weigh less: the character
// n-grams already cover most Chinese wording (0.7 chosen by 5-fold CV on
// train, among 0.5, 0.7 and 1).
var hanConceptWeight float32 = 0.7

func newConceptIndex() *conceptIndex {
	ix := &conceptIndex{first: map[uint64][]conceptPhrase{}}
	var words []string
	for c, entry := range conceptTable {
		id := mix(nsConcept, hashString(entry.concept))
		ix.ids = append(ix.ids, id, id)
		ix.vals = append(ix.vals, conceptWeight, hanConceptWeight)
		for _, p := range entry.phrases {
			var u []uint64
			u, words = units(fold(p), nil, words[:0])
			if len(u) == 0 {
				continue
			}
			slot := 2 * c
			if strings.ContainsFunc(p, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
				slot++
			}
			ix.first[u[0]] = append(ix.first[u[0]], conceptPhrase{units: u, slot: slot})
		}
	}
	return ix
}

// match returns the set of concepts found in the token sequence u as a bit
// mask (bit i is slot i: conceptTable[i/2], Latin or Han phrase).
func (ix *conceptIndex) match(u []uint64) uint64 {
	var mask uint64
	for i, x := range u {
		for _, p := range ix.first[x] {
			if i+len(p.units) <= len(u) && slicesEqual(u[i:i+len(p.units)], p.units) {
				mask |= 1 << uint(p.slot)
			}
		}
	}
	return mask
}

func slicesEqual(a, b []uint64) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
