package phrase

// templates holds every message per locale. Cantonese is colloquial written
// Cantonese; zh-Hant/zh-Hans are standard written Chinese; the PDPO notice
// states the purpose of collection, the policy link and how to opt out.
var templates = map[string]map[Key]string{
	"yue-Hant": {
		PrivacyNotice:      "你好！呢度係 Harbour Home & Tech 客戶服務。我哋會收集你喺對話入面提供嘅資料，只用嚟處理你嘅查詢同跟進訂單（《個人資料（私隱）條例》）。私隱政策：{policy_url}。如果唔想再收到我哋嘅訊息，隨時回覆「STOP」或者「取消」。",
		OptOutConfirmed:    "已經幫你取消咗，之後唔會再主動send訊息俾你。如果想再搵我哋，直接send訊息就得。",
		Handoff:            "收到，我已經將你嘅查詢轉咗俾同事，佢哋會盡快跟進，請等一等。",
		HandoffAfterHours:  "收到，我已經將你嘅查詢轉咗俾同事。而家係非辦公時間，我哋團隊{back_day} {back_at} 返嚟之後會第一時間跟進。",
		HumanOnlyAck:       "收到你嘅訊息，我哋嘅客服同事會親自覆你，請稍等。",
		AskOrderNumber:     "唔該話俾我知你嘅訂單號碼（HH 開頭加 8 個數字，例如 HH12345678），我幫你查一查。",
		OrderStatus:        "你嘅訂單 {order_id} 而家嘅狀態係：{status}。追蹤號碼：{tracking}。",
		SurveyRequest:      "你嘅查詢已經處理好。你對今次服務有幾滿意？請回覆 1 至 5（5 係非常滿意）。",
		SurveyThanks:       "多謝你嘅評分！我哋會繼續努力。",
		LowConfidence:      "唔好意思，呢個問題我唔太肯定點答，我已經請同事幫手，佢哋會盡快覆你。",
		SurveyInvalidReply: "唔該回覆 1 至 5 之間嘅數字（5 係非常滿意）。",
	},
	"zh-Hant": {
		PrivacyNotice:      "您好！這裏是 Harbour Home & Tech 客戶服務。我們會收集您在對話中提供的資料，僅用於處理您的查詢及跟進訂單（《個人資料（私隱）條例》）。私隱政策：{policy_url}。如不欲再收到我們的訊息，請隨時回覆「STOP」或「取消」。",
		OptOutConfirmed:    "已為您取消，我們不會再主動向您發送訊息。如需再次聯絡我們，直接發送訊息即可。",
		Handoff:            "收到，您的查詢已轉交同事，我們會盡快跟進，請稍候。",
		HandoffAfterHours:  "收到，您的查詢已轉交同事。現在是非辦公時間，我們的團隊將於{back_day} {back_at} 上班後第一時間跟進。",
		HumanOnlyAck:       "已收到您的訊息，客服同事會親自回覆您，請稍候。",
		AskOrderNumber:     "請提供您的訂單號碼（以 HH 開頭，後接 8 位數字，例如 HH12345678），我們會為您查詢。",
		OrderStatus:        "您的訂單 {order_id} 目前狀態為：{status}。追蹤號碼：{tracking}。",
		SurveyRequest:      "您的查詢已處理完畢。您對本次服務的滿意程度如何？請回覆 1 至 5（5 為非常滿意）。",
		SurveyThanks:       "感謝您的評分！我們會繼續努力。",
		LowConfidence:      "抱歉，我未能確定這個問題的答案，已請同事協助，我們會盡快回覆您。",
		SurveyInvalidReply: "請回覆 1 至 5 之間的數字（5 為非常滿意）。",
	},
	"zh-Hans": {
		PrivacyNotice:      "您好！这里是 Harbour Home & Tech 客户服务。我们会收集您在对话中提供的资料，仅用于处理您的查询及跟进订单（《个人资料（私隐）条例》）。私隐政策：{policy_url}。如不欲再收到我们的信息，请随时回复“STOP”或“取消”。",
		OptOutConfirmed:    "已为您取消，我们不会再主动向您发送信息。如需再次联络我们，直接发送信息即可。",
		Handoff:            "收到，您的查询已转交同事，我们会尽快跟进，请稍候。",
		HandoffAfterHours:  "收到，您的查询已转交同事。现在是非办公时间，我们的团队将于{back_day} {back_at} 上班后第一时间跟进。",
		HumanOnlyAck:       "已收到您的信息，客服同事会亲自回复您，请稍候。",
		AskOrderNumber:     "请提供您的订单号码（以 HH 开头，后接 8 位数字，例如 HH12345678），我们会为您查询。",
		OrderStatus:        "您的订单 {order_id} 目前状态为：{status}。追踪号码：{tracking}。",
		SurveyRequest:      "您的查询已处理完毕。您对本次服务的满意程度如何？请回复 1 至 5（5 为非常满意）。",
		SurveyThanks:       "感谢您的评分！我们会继续努力。",
		LowConfidence:      "抱歉，我未能确定这个问题的答案，已请同事协助，我们会尽快回复您。",
		SurveyInvalidReply: "请回复 1 至 5 之间的数字（5 为非常满意）。",
	},
	"en": {
		PrivacyNotice:      "Hi! This is Harbour Home & Tech customer service. We collect the information you give in this chat only to handle your enquiry and follow up your orders (Personal Data (Privacy) Ordinance). Privacy policy: {policy_url}. Reply STOP at any time to stop receiving our messages.",
		OptOutConfirmed:    "Done: we won't message you again. If you need us, just send a message.",
		Handoff:            "Thanks, I've passed your enquiry to a colleague, who will follow up shortly.",
		HandoffAfterHours:  "Thanks, I've passed your enquiry to a colleague. We're outside office hours now; our team is back at {back_at} {back_day} and will follow up first thing.",
		HumanOnlyAck:       "Thanks for your message. One of our customer service colleagues will reply to you personally shortly.",
		AskOrderNumber:     "Could you send me your order number (HH followed by 8 digits, e.g. HH12345678)? I'll check it for you.",
		OrderStatus:        "Your order {order_id} is currently: {status}. Tracking number: {tracking}.",
		SurveyRequest:      "Your enquiry has been resolved. How satisfied were you with our service? Please reply with a number from 1 to 5 (5 = very satisfied).",
		SurveyThanks:       "Thank you for your rating! We'll keep improving.",
		LowConfidence:      "Sorry, I'm not sure about the answer to that. I've asked a colleague to help, and they will reply to you shortly.",
		SurveyInvalidReply: "Please reply with a number from 1 to 5 (5 = very satisfied).",
	},
}
