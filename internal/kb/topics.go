package kb

import "strings"

// topicSynonyms maps an article Topic to trigger phrases. A question that
// contains a trigger gets the topic's token, which every article of that
// topic carries, so "閂門" or "幾點收" reach the hours articles even when the
// article text never uses those words. Han triggers are written in Simplified
// (questions are folded to Simplified before matching) and match as
// substrings ("a+b": both parts anywhere in the question, as in
// "啲錢要幾耐先會退返"); English triggers match whole stemmed words.
var topicSynonyms = map[string][]string{
	"hours":        {"几点", "几时开", "开门", "关门", "闩门", "收铺", "开铺", "收工", "营业", "开到", "开唔开", "有冇开", "开不开", "几点开", "几点收", "hour", "open", "close", "closing", "opening", "地址", "address", "location", "点去"},
	"returns":      {"退货", "退返", "退回", "换货", "换过", "退换", "可唔可以退", "能不能退", "退唔退", "退得", "可以退", "能退", "退吗", "还能退", "return", "exchange", "换型号", "换机", "换颜色"},
	"refund":       {"退款", "退钱", "回钱", "还钱", "钱+退", "款+退", "refund", "reimburse", "money"},
	"damaged":      {"坏", "损坏", "破损", "有问题", "开唔着", "开不了", "死机", "烂", "花屏", "doa", "defective", "damage", "broken", "faulty", "crack", "故障", "换新", "开唔著", "没有反应", "没反应", "无反应", "开不到机", "开不着", "不能开机", "faulty"},
	"delivery":     {"送货", "运费", "配送", "送到", "派送", "送唔送", "外岛", "离岛", "送货时间", "delivery", "deliver", "shipping", "ship", "courier", "送达", "几耐到", "多久到"},
	"tracking":     {"查订单", "订单状态", "追踪", "跟踪", "单号", "物流", "到咗边", "到了哪", "几时到", "track", "tracking", "status", "到哪", "去到边", "到边", "查单", "order"},
	"payment":      {"付款", "俾钱", "畀钱", "支付", "八达通", "转数快", "信用卡", "payme", "alipayhk", "alipay", "fps", "octopu", "octopus", "visa", "mastercard", "pay", "payment"},
	"instalment":   {"分期", "免息", "instalment", "installment"},
	"warranty":     {"保养", "保修", "保用", "warranty", "guarantee"},
	"repair":       {"维修", "修理", "整返", "送修", "repair", "fix", "过了保", "过保"},
	"installation": {"安装", "装机", "上门", "师傅", "install", "installation", "installer", "mount"},
	"appointment":  {"改期", "预约", "改时间", "改日子", "约咗", "reschedule", "appointment", "booking", "book", "postpone", "rebook"},
	"mobile":       {"5g", "月费", "上台", "数据", "套餐", "plan", "data", "sim", "contract"},
	"roaming":      {"漫游", "外游", "出国", "旅行", "roaming", "roam", "abroad", "travel", "overseas"},
	"topup":        {"增值", "充值", "储值", "top", "topup", "recharge", "prepaid"},
	"billing":      {"账单", "帐单", "收费", "扣钱", "扣款", "月结", "多收", "bill", "billing", "charge", "statement"},
	"membership":   {"会员", "积分", "member", "membership", "point", "reward"},
	"account":      {"登入", "登录", "密码", "户口", "帐户", "账户", "注册", "login", "log", "password", "account", "register", "sign"},
	"recycling":    {"回收", "旧机", "四电一脑", "旧电器", "recycle", "recycling", "trade", "old", "旧嘅", "旧的", "收走", "away"},
	"pickup":       {"自取", "门市取", "店取", "取货", "pick", "collect", "collection", "自提", "门店取", "自己拿", "门市拿", "门店拿"},
	"contact":      {"热线", "客服", "真人", "人工", "职员", "hotline", "agent", "human", "staff", "phone", "whatsapp"},
	"ordercancel":  {"取消订单", "取消张单", "改地址", "改订单", "cancel", "取消"},
	"receipts":     {"发票", "收据", "单据", "补单", "receipt", "invoice"},
}

// verbTrigger is a one-character Chinese verb that names a topic on its own
// in colloquial speech ("想退", "要幾多日內退先得", "退唔退得") unless a
// following character makes it another word (退款 is a refund, 退休 is
// retirement). Listing every phrasing of "return it" as a synonym would
// never end; the verb with its exclusions covers them.
type verbTrigger struct {
	verb       rune
	notFollows string // characters that, right after verb, make another word
}

var topicVerbs = map[string][]verbTrigger{
	"returns":     {{verb: '退', notFollows: "款钱费订休出烧役伍票色押税场"}, {verb: '换', notFollows: "新电季班届"}},
	"appointment": {{verb: '改', notFollows: "地密订单善进良变正革造装"}},
}

// verbHit reports whether s contains v.verb not followed by an excluded
// character.
func verbHit(s string, v verbTrigger) bool {
	rs := []rune(s)
	for i, r := range rs {
		if r != v.verb {
			continue
		}
		if i+1 < len(rs) && strings.ContainsRune(v.notFollows, rs[i+1]) {
			continue
		}
		return true
	}
	return false
}

// topicTerms returns the topic tokens triggered by a folded question and its
// word tokens.
func topicTerms(folded string, words map[string]bool) []string {
	var out []string
	for _, topic := range sortedKeys(topicSynonyms) {
		hit := false
		for _, v := range topicVerbs[topic] {
			hit = hit || verbHit(folded, v)
		}
		for _, trig := range topicSynonyms[topic] {
			if hit {
				break
			}
			if strings.IndexFunc(trig, isHan) >= 0 {
				hit = true
				for part := range strings.SplitSeq(trig, "+") {
					hit = hit && strings.Contains(folded, part)
				}
			} else {
				hit = words[trig]
			}
		}
		if hit {
			out = append(out, topicPrefix+topic)
		}
	}
	return out
}
