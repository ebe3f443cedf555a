package demo

// Language is how a demo customer writes: a language and a script, as the
// understanding result reports them.
type Language struct {
	Code   string // yue, zh or en (CONTRACT.md)
	Script string // Hant, Hans or Latn
}

// The languages of the demo customers.
var (
	Cantonese       = Language{"yue", "Hant"}
	MandarinHant    = Language{"zh", "Hant"}
	MandarinHans    = Language{"zh", "Hans"}
	English         = Language{"en", "Latn"}
	demoLanguages   = []Language{Cantonese, MandarinHant, MandarinHans, English}
	languageWeights = []int{55, 10, 15, 20} // a Hong Kong shop's inbox
)

// String is the language tag, e.g. "yue-Hant".
func (l Language) String() string { return l.Code + "-" + l.Script }

// Kind is what a demo customer wants.
type Kind string

// The kinds of demo contact.
const (
	KindKB        Kind = "kb_question"
	KindOrder     Kind = "order_status"
	KindComplaint Kind = "complaint"
	KindDamaged   Kind = "damaged_item"
	KindHuman     Kind = "human_request"
	KindSmalltalk Kind = "smalltalk"
)

var (
	demoKinds   = []Kind{KindKB, KindOrder, KindComplaint, KindDamaged, KindHuman, KindSmalltalk}
	kindWeights = []int{35, 25, 8, 7, 10, 15}
)

// openers are the first messages, by kind and language. They are written the
// way customers write (colloquial Cantonese, code-mixing, slang) and carry
// no personal data.
var openers = map[Kind]map[Language][]string{
	KindKB: {
		Cantonese:    {"你哋幾點收舖？", "請問星期日有冇開？", "退貨有咩規矩？買咗三日仲可唔可以退？", "你哋銅鑼灣分店喺邊度？", "公眾假期照開唔開門呀？"},
		MandarinHant: {"請問你們的營業時間是幾點到幾點？", "請問退貨政策是怎樣的？", "週末有營業嗎？"},
		MandarinHans: {"请问你们几点关门？", "退货政策是什么？七天内可以退吗？", "周末营业吗？"},
		English:      {"What are your opening hours?", "What is your return policy?", "Are you open on public holidays?", "Can I return an item I bought last week?"},
	},
	KindOrder: {
		Cantonese:    {"唔該check下我張order去到邊", "我張單等咗成個禮拜都未到，幾時送到呀？", "唔該催下貨，我上個禮拜落咗單", "我啲嘢幾時寄出？"},
		MandarinHant: {"請問我的訂單什麼時候送到？", "我的包裹還沒收到，可以幫我查一下嗎？"},
		MandarinHans: {"请问我的订单到哪里了？", "我的快递一周了还没到，帮我查一下物流"},
		English:      {"Where is my order? It's been a week.", "Can you check the delivery status of my order please?", "My parcel hasn't arrived yet"},
	},
	KindComplaint: {
		Cantonese:    {"你哋啲服務真係好差，我要投訴！", "個店員好無禮貌，我要投訴佢", "再唔處理我就去消委會投訴"},
		MandarinHant: {"你們的服務太差了，我要投訴", "客服一直不回覆，我非常不滿"},
		MandarinHans: {"你们的服务太差了，我要投诉", "等了三天都没人处理，我要投诉"},
		English:      {"This is unacceptable, I want to make a complaint", "Your service is terrible, I will go to the Consumer Council"},
	},
	KindDamaged: {
		Cantonese:    {"收到件貨爛咗，個盒都扁埋", "個杯收到嗰陣已經裂咗，點算？", "件衫有個窿，係咪可以換過？"},
		MandarinHant: {"收到的商品破損了，請問怎麼處理？", "包裝打開發現杯子碎了"},
		MandarinHans: {"收到的商品破损了，怎么处理？", "快递送到的时候盒子压坏了，东西也坏了"},
		English:      {"The item arrived damaged", "My order came broken, the glass is cracked", "The box was crushed and the product is damaged"},
	},
	KindHuman: {
		Cantonese:    {"同我轉真人客服啦", "唔該搵個真人同我傾", "我想同職員講，唔想同機械人傾"},
		MandarinHant: {"請幫我轉接人工客服", "我想和真人客服說話"},
		MandarinHans: {"转人工客服", "我要找真人客服"},
		English:      {"Can I talk to a real person please?", "I want to speak to an agent", "human please"},
	},
	KindSmalltalk: {
		Cantonese:    {"你好", "早晨！", "多謝晒"},
		MandarinHant: {"你好", "謝謝你"},
		MandarinHans: {"你好", "谢谢"},
		English:      {"Hi there", "Hello!", "Thanks a lot"},
	},
}

// agentReplies are what the demo agent writes, in the customer's language
// and script.
var agentReplies = map[Language][]string{
	Cantonese:    {"你好，我係客服小陳，而家幫你跟進，請稍等。", "唔好意思要你等，我已經幫你安排好，今日會有同事聯絡你。", "收到，我哋會幫你換過件新嘅，唔使另外俾錢。"},
	MandarinHant: {"您好，我是客服小陳，現在幫您跟進。", "很抱歉讓您久等，我已經為您安排好了。"},
	MandarinHans: {"您好，我是客服小陈，现在为您跟进。", "很抱歉让您久等，已经为您安排好了。"},
	English:      {"Hi, this is Chris from customer care. I'm looking into it now.", "Sorry for the wait. I've arranged it for you and a colleague will follow up today."},
}

// resolutionCodes maps a kind to the code an agent picks when resolving
// (the console's resolve-code values).
var resolutionCodes = map[Kind]string{
	KindDamaged:   "replacement",
	KindComplaint: "follow_up",
	KindOrder:     "answered",
	KindHuman:     "answered",
	KindKB:        "answered",
	KindSmalltalk: "other",
}

// hourWeights is the share of a Hong Kong consumer inbox by hour of the day:
// quiet small hours, a lunch peak and a long evening peak.
var hourWeights = [24]int{3, 2, 1, 1, 1, 1, 2, 4, 6, 8, 9, 10, 12, 12, 9, 8, 8, 9, 10, 12, 14, 14, 11, 6}

// scores are the survey answers a customer gives, mostly satisfied.
var (
	surveyScores = []string{"5", "4", "2"}
	scoreWeights = []int{55, 30, 15}
)
