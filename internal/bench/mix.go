package bench

import "math/rand/v2"

// Category is what a customer message is about, which decides what kind of
// first reply Harbordesk gives (an answer, or a handoff message).
type Category string

// Categories in the mix.
const (
	CatHours       Category = "business_hours"
	CatReturns     Category = "return_policy"
	CatDelivery    Category = "delivery"
	CatPayment     Category = "payment"
	CatWarranty    Category = "warranty"
	CatOrderStatus Category = "order_status"
	CatComplaint   Category = "complaint"
	CatHuman       Category = "human_agent"
)

// Message is one customer text of the mix.
type Message struct {
	Locale   string // yue, zh-Hant, zh-Hans, en
	Category Category
	Text     string
}

// localeWeights is the Hong Kong channel mix: mostly Cantonese, then English,
// then Mandarin in either script.
var localeWeights = []struct {
	locale string
	weight float64
}{{"yue", 0.45}, {"en", 0.25}, {"zh-Hant", 0.15}, {"zh-Hans", 0.15}}

// Mix is the table the load is drawn from: KB questions (hours, returns,
// delivery, payment, warranty), order-status questions, complaints and
// requests for a person, in all four locales. No personal data on purpose:
// bench traffic must be safe to log and to keep.
var Mix = []Message{
	// Cantonese (written colloquial), some mixed with English as HK people write.
	{"yue", CatHours, "你哋幾點開門呀？"},
	{"yue", CatHours, "請問星期日同公眾假期有冇開？"},
	{"yue", CatHours, "今晚幾點收工㗎？"},
	{"yue", CatReturns, "買咗唔啱size可唔可以退貨？"},
	{"yue", CatReturns, "退貨要幾多日內搞？使唔使單據？"},
	{"yue", CatDelivery, "送貨去新界要幾耐？"},
	{"yue", CatDelivery, "你哋有冇得送上門？運費幾多錢？"},
	{"yue", CatPayment, "可唔可以用八達通或者FPS俾錢？"},
	{"yue", CatPayment, "收唔收信用卡同PayMe？"},
	{"yue", CatWarranty, "部機有冇保養㗎？保養幾耐？"},
	{"yue", CatWarranty, "保養期內壞咗點搞？"},
	{"yue", CatOrderStatus, "唔該check下我張order HD20240518去到邊？"},
	{"yue", CatOrderStatus, "我上星期落嘅單點解仲未到？"},
	{"yue", CatComplaint, "你哋啲服務差到爆，我要投訴！"},
	{"yue", CatComplaint, "收到件貨爛咗，我要賠償，唔係我去消委會"},
	{"yue", CatHuman, "我想搵真人同我傾，唔該轉職員"},
	{"yue", CatHuman, "可唔可以叫個客服打俾我？"},
	// Traditional-script Mandarin / standard written Chinese.
	{"zh-Hant", CatHours, "請問你們的營業時間是幾點到幾點？"},
	{"zh-Hant", CatReturns, "請問退貨政策是怎樣的？"},
	{"zh-Hant", CatDelivery, "請問送貨需要多少天？"},
	{"zh-Hant", CatPayment, "請問可以用什麼方式付款？"},
	{"zh-Hant", CatWarranty, "產品的保修期是多久？"},
	{"zh-Hant", CatOrderStatus, "我想查詢訂單HD20240602的送貨狀態。"},
	{"zh-Hant", CatComplaint, "我對你們的服務非常不滿，我要投訴。"},
	{"zh-Hant", CatHuman, "請幫我轉接人工客服。"},
	// Simplified-script Mandarin.
	{"zh-Hans", CatHours, "请问你们几点开门？周末营业吗？"},
	{"zh-Hans", CatReturns, "买错了可以退货吗？退货政策是什么？"},
	{"zh-Hans", CatDelivery, "请问配送到香港岛要多久？"},
	{"zh-Hans", CatPayment, "可以用支付宝或者微信支付吗？"},
	{"zh-Hans", CatWarranty, "这个产品保修多长时间？"},
	{"zh-Hans", CatOrderStatus, "帮我查一下订单HD20240611到哪里了"},
	{"zh-Hans", CatComplaint, "收到的商品破损了，我要投诉并要求赔偿"},
	{"zh-Hans", CatHuman, "我要找人工客服"},
	// English.
	{"en", CatHours, "What are your opening hours?"},
	{"en", CatHours, "Are you open on public holidays?"},
	{"en", CatReturns, "What is your return policy?"},
	{"en", CatReturns, "Can I return an item without the receipt?"},
	{"en", CatDelivery, "How long does delivery take?"},
	{"en", CatDelivery, "Do you deliver to Lantau and how much is shipping?"},
	{"en", CatPayment, "Which payment methods do you accept?"},
	{"en", CatWarranty, "How long is the warranty on this product?"},
	{"en", CatOrderStatus, "Where is my order HD20240625? It has not arrived yet."},
	{"en", CatComplaint, "This is the worst service ever, I want to file a complaint."},
	{"en", CatComplaint, "My parcel arrived damaged and I want a refund."},
	{"en", CatHuman, "Can I talk to a real person please?"},
}

// byLocale indexes Mix once.
var byLocale = func() map[string][]Message {
	m := map[string][]Message{}
	for _, msg := range Mix {
		m[msg.Locale] = append(m[msg.Locale], msg)
	}
	return m
}()

// pick draws one message: a locale by weight, then a text of that locale.
func pick(r *rand.Rand) Message {
	x := r.Float64()
	loc := localeWeights[len(localeWeights)-1].locale
	for _, lw := range localeWeights {
		if x < lw.weight {
			loc = lw.locale
			break
		}
		x -= lw.weight
	}
	msgs := byLocale[loc]
	return msgs[r.IntN(len(msgs))]
}
