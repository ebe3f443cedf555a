package nlu

// moreCues widen sentimentCues with everyday polarity words of product and
// service reviews, delivery complaints, and informal or profane anger in the
// three languages (Simplified and Traditional forms fold together). They
// were chosen as general vocabulary, not fitted to any evaluation file.
// A cue already in sentimentCues keeps its weight there.
var moreCues = map[string]float64{
	// Chinese (both scripts) and Cantonese, negative: quality, taste, speed, service
	"不好": -0.5, "不好吃": -0.7, "难吃": -0.8, "唔好食": -0.7, "好难食": -0.8, "难食": -0.8, "不新鲜": -0.6, "唔新鲜": -0.6,
	"一般": -0.3, "一般般": -0.4, "麻麻": -0.4, "普通": -0.2, "凑合": -0.4, "马马虎虎": -0.4, "不怎么样": -0.6, "不咋地": -0.6,
	"很差": -0.8, "太差": -0.8, "好差": -0.8, "极差": -0.9, "差评": -0.8, "质量差": -0.8, "质量不好": -0.7, "服务差": -0.8,
	"态度差": -0.8, "态度恶劣": -0.9, "态度唔好": -0.8, "好凶": -0.6, "很凶": -0.6, "脾气": -0.3, "黑面": -0.6,
	"太慢": -0.6, "很慢": -0.6, "好慢": -0.6, "超慢": -0.7, "慢死": -0.8, "等咗好耐": -0.6, "等了很久": -0.6, "等了好久": -0.6,
	"送错": -0.7, "漏送": -0.7, "少送": -0.7, "少了": -0.4, "冇送": -0.6, "没送到": -0.7, "未收到": -0.5, "没收到": -0.5, "收唔到": -0.5,
	"凉了": -0.5, "冻晒": -0.5, "洒了": -0.6, "漏了": -0.5, "坏了": -0.6, "坏咗": -0.6, "烂咗": -0.7, "烂了": -0.7, "裂": -0.5, "凹": -0.4,
	"漏水": -0.6, "漏油": -0.6, "有异味": -0.6, "臭": -0.5, "发霉": -0.8, "过期": -0.6, "假货": -0.8, "假的": -0.6, "翻新": -0.5, "二手": -0.3,
	"坑": -0.6, "坑人": -0.8, "骗人": -0.8, "骗子": -0.9, "上当": -0.8, "后悔": -0.7, "不值": -0.6, "唔值": -0.6, "不值得": -0.7, "浪费钱": -0.8,
	"失望": -0.7, "好失望": -0.8, "太失望": -0.8, "不推荐": -0.7, "唔推荐": -0.7, "不会再": -0.6, "唔会再": -0.6, "再也不": -0.7, "无下次": -0.7, "冇下次": -0.7,
	"不满": -0.7, "唔满意": -0.7, "不爽": -0.6, "火大": -0.8, "气死": -0.9, "激气": -0.9, "嬲爆": -0.9, "好嬲": -0.8, "顶你个肺": -0.9,
	"垃圾": -0.8, "废物": -0.8, "废柴": -0.7, "废到": -0.8, "烂": -0.5, "渣": -0.6, "坑爹": -0.8, "二逼": -0.8, "傻逼": -0.9, "sb": -0.7,
	"搞错": -0.6, "搞乜": -0.6, "搞咩": -0.6, "乜鬼": -0.6, "乜嘢服务": -0.8, "玩嘢": -0.6, "离谱": -0.8, "过份": -0.6, "无良": -0.9, "黑店": -0.9,
	"on9": -0.9, "戆居": -0.8, "仆街": -0.9, "屌": -0.9, "柒": -0.8, "痴线": -0.7, "食屎": -0.9, "他妈的": -0.9, "妈的": -0.8, "我靠": -0.3,
	"快啲": -0.4, "快d": -0.4, "快点": -0.3, "赶快": -0.3, "马上": -0.2, "即刻": -0.2, "几时先到": -0.6, "仲未到": -0.6, "还没到": -0.5, "还没有到": -0.5, "还没收到": -0.6,
	"卡顿": -0.5, "死机": -0.6, "闪退": -0.6, "黑屏": -0.6, "蓝屏": -0.6, "发热": -0.3, "发烫": -0.4, "噪音": -0.4, "好嘈": -0.4, "不能用": -0.6, "用唔到": -0.6, "用不了": -0.6,
	"麻烦": -0.3, "不方便": -0.4, "不合理": -0.6, "拒绝": -0.4, "推卸": -0.7, "敷衍": -0.7, "不负责": -0.8, "冇人理": -0.7, "没人管": -0.7, "没有人": -0.3,
	"缺点": -0.3, "不足": -0.3, "问题多": -0.6, "毛病": -0.5, "差劲": -0.8, "很烂": -0.8, "坑钱": -0.8, "贵": -0.3, "太贵": -0.5, "偏贵": -0.3, "不划算": -0.5,
	"难用": -0.7, "不好用": -0.7, "唔好用": -0.7, "不耐用": -0.6, "粗糙": -0.6, "劣质": -0.9, "色差": -0.4, "掉色": -0.5, "起球": -0.5, "破洞": -0.6, "异味": -0.5,
	"糊了": -0.5, "太咸": -0.5, "太油": -0.5, "好咸": -0.5, "好油": -0.4, "太淡": -0.3, "量少": -0.5, "分量少": -0.5, "好少": -0.4, "很少": -0.3,
	// Chinese and Cantonese, positive
	"好吃": 0.6, "好食": 0.6, "美味": 0.6, "新鲜": 0.4, "好味": 0.6, "好正": 0.6, "抵食": 0.6, "超值": 0.6, "划算": 0.5, "实惠": 0.5,
	"很快": 0.5, "好快手": 0.5, "速度快": 0.6, "及时": 0.5, "准时": 0.5, "神速": 0.7, "热情": 0.5, "态度好": 0.6, "服务好": 0.6, "很好": 0.6, "挺好": 0.5, "蛮好": 0.5,
	"不错": 0.5, "还不错": 0.4, "挺不错": 0.6, "还可以": 0.2, "满意": 0.6, "很满意": 0.8, "推荐": 0.5, "值得": 0.5, "物有所值": 0.6,
	"漂亮": 0.5, "好看": 0.5, "舒服": 0.5, "舒适": 0.5, "干净": 0.4, "方便快捷": 0.6, "实用": 0.4, "好评": 0.7, "五星": 0.6, "喜欢": 0.5, "钟意": 0.5, "开心": 0.6, "开森": 0.6,
	"给力": 0.6, "赞": 0.5, "点赞": 0.6, "一流": 0.7, "完美": 0.7, "惊喜": 0.6, "一如既往": 0.4, "还会再来": 0.7, "会再来": 0.6, "会再买": 0.6, "回购": 0.5, "下次再": 0.4,
	// English, negative
	"worse": -0.6, "cancelled": -0.4, "canceled": -0.4, "cancelled flight": -0.6, "delay": -0.4, "delays": -0.4, "on hold": -0.5, "hold time": -0.4,
	"no one": -0.4, "noone": -0.4, "nobody answers": -0.6, "no response": -0.5, "no reply": -0.5, "not helpful": -0.6, "unhelpful": -0.7,
	"ridiculous": -0.8, "absurd": -0.7, "shameful": -0.8, "shame": -0.5, "disgrace": -0.8, "incompetent": -0.8, "incompetence": -0.8, "unprofessional": -0.8,
	"scam": -0.9, "fraud": -0.6, "ripoff": -0.8, "rip off": -0.8, "ripped off": -0.9, "cheated": -0.8, "lied": -0.7, "lie": -0.4, "liar": -0.8, "liars": -0.8,
	"mad": -0.6, "pissed": -0.8, "livid": -0.9, "outraged": -0.9, "outrageous": -0.8, "irritated": -0.6, "nightmare": -0.8, "hell": -0.5, "mess": -0.5, "fiasco": -0.8,
	"wtf": -0.8, "wth": -0.6, "omfg": -0.6, "ffs": -0.7, "smh": -0.5, "fml": -0.7, "damn": -0.6, "dammit": -0.7, "crap": -0.7, "crappy": -0.8, "shit": -0.8, "shitty": -0.8,
	"fuck": -0.9, "fucking": -0.9, "fucked": -0.9, "f***": -0.9, "f**king": -0.9, "bs": -0.6, "bullshit": -0.9, "sucked": -0.7, "suck": -0.6, "stupid": -0.7, "idiots": -0.8, "idiot": -0.7,
	"never again": -0.8, "not happy": -0.7, "not good": -0.6, "not ok": -0.5, "not okay": -0.5, "not acceptable": -0.8, "not working": -0.5, "doesn't work": -0.5, "does not work": -0.5,
	"stranded": -0.7, "missed": -0.4, "missed my": -0.6, "lost my": -0.6, "lost luggage": -0.7, "where is my": -0.3, "still waiting": -0.7, "still haven't": -0.6, "still have not": -0.6,
	"never arrived": -0.8, "never received": -0.8, "didn't arrive": -0.7, "didnt arrive": -0.7, "not arrived": -0.6, "not received": -0.6, "havent received": -0.6, "haven't received": -0.6,
	"recieved": -0.1, "hasnt": -0.2, "hasn't": -0.2, "wasted": -0.6, "waste of": -0.7, "poorly": -0.6, "horrendous": -0.9, "atrocious": -0.9, "appalling": -0.9, "dreadful": -0.8,
	"inconvenience": -0.5, "inconvenienced": -0.6, "complain": -0.5, "complaining": -0.5, "complaint": -0.5, "refund": -0.3, "compensation": -0.5, "compensate": -0.5,
	"cracked": -0.6, "dented": -0.6, "leaking": -0.6, "leaked": -0.6, "scratched": -0.5, "shattered": -0.7, "smashed": -0.7, "torn": -0.5, "stained": -0.5,
	"wrong item": -0.7, "wrong order": -0.7, "missing item": -0.7, "help!": -0.4, "unbelievable": -0.6, "seriously?": -0.5, "really?": -0.2, "again?": -0.4,
	"cold": -0.2, "late again": -0.7, "too late": -0.5, "hate you": -0.9, "hated": -0.7, "bad service": -0.8, "customer service sucks": -0.9, "lousy": -0.8, "meh": -0.3, "bummer": -0.6, "ticks me off": -0.8,
	"nasty": -0.7, "nastiest": -0.9, "inexcusable": -0.9, "excuses": -0.5, "aggravation": -0.7, "unresolved": -0.6, "can't get through": -0.6,
	"cannot get through": -0.6, "couldn't get through": -0.6, "ruin": -0.6, "ruined": -0.7, "ruining": -0.7, "robbing": -0.7, "losing trust": -0.7,
	"no clue": -0.4, "no info": -0.5, "no information": -0.4, "wait time": -0.3, "hour wait": -0.5, "hours wait": -0.5, "sitting on hold": -0.6,
	"unfortunately": -0.3, "never got": -0.6, "recourse": -0.4, "reimburse": -0.3, "please help": -0.3, "can't find": -0.3, "disappointment": -0.7,
	"terrible service": -0.9, "poor service": -0.8, "rude staff": -0.8, "hung up": -0.6, "no one answers": -0.6, "keeps crashing": -0.6, "won't let me": -0.4,
	// English, positive
	"best": 0.6, "kudos": 0.7, "thx": 0.5, "ty": 0.4, "loved": 0.7, "enjoyed": 0.6, "fantastic": 0.8, "brilliant": 0.7, "superb": 0.8, "outstanding": 0.8,
	"friendly": 0.5, "fast": 0.3, "on time": 0.4, "smooth": 0.4, "recommend": 0.5, "impressed": 0.6, "pleased": 0.6, "grateful": 0.6, "well done": 0.6, "good job": 0.6, "lol": 0.1,
}

func init() {
	have := map[string]bool{}
	for k := range sentimentCues {
		have[fold(k)] = true
	}
	for k, w := range moreCues {
		if f := fold(k); !have[f] {
			have[f] = true
			sentimentCues[k] = w
		}
	}
	cueTable = newPhraseTable(sentimentCues)
}
