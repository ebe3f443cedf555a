package nlu

import "testing"

func TestNormalizeEnglishWord(t *testing.T) {
	cases := []struct{ in, want string }{
		{"u", "you"}, {"pls", "please"}, {"appt", "appointment"}, {"can't", "can not"},
		{"won't", "will not"}, {"don't", "do not"}, {"it's", "it"}, {"i'm", "i am"},
		{"they're", "they are"}, {"refund", "refund"}, {"'quoted'", "quoted"},
	}
	for _, c := range cases {
		if got := normalizeEnglishWord(c.in); got != c.want {
			t.Errorf("normalizeEnglishWord(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestStem(t *testing.T) {
	cases := []struct{ in, want string }{
		{"charged", "charg"}, {"charges", "charge"}, {"charging", "charg"}, {"stopped", "stop"},
		{"delivery", "delivery"}, {"deliveries", "delivery"}, {"boxes", "box"}, {"status", "status"},
		{"address", "address"}, {"quickly", "quick"}, {"is", "is"}, {"running", "run"},
	}
	for _, c := range cases {
		if got := stem(c.in); got != c.want {
			t.Errorf("stem(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestUnitsShareFeatures checks that spelling variants give the same tokens.
func TestUnitsShareFeatures(t *testing.T) {
	pairs := [][2]string{
		{"pls chk my appt", "please check my appointment"},
		{"i can't login", "I cannot login"},
		{"refunds", "refund"},
	}
	for _, p := range pairs {
		a, _ := units(fold(p[0]), nil, nil)
		b, _ := units(fold(p[1]), nil, nil)
		if len(a) != len(b) {
			t.Errorf("%q vs %q: %d vs %d tokens", p[0], p[1], len(a), len(b))
			continue
		}
		for i := range a {
			if a[i] != b[i] {
				t.Errorf("%q vs %q: token %d differs", p[0], p[1], i)
			}
		}
	}
}

func TestLanguageConstructions(t *testing.T) {
	cases := []struct {
		name, text, lang string
	}{
		{"sentence-final 咋 is Cantonese", "得三日咋", "yue"},
		{"咋 before a verb is Mandarin", "WiFi密码咋改", "zh"},
		{"咋 before a verb in Traditional", "安裝日期咋改", "zh"},
		{"verb 下 ending a clause", "我考慮下先", "yue"},
		{"下 in 一下 is not", "請稍等一下", "zh"},
		{"點 how before a verb", "打印機點連wifi", "yue"},
		{"點 how before English", "APN要點set", "yue"},
		{"幾點 is o'clock", "星期日幾點關門", "zh"},
		{"code-mixed English verb", "幫我book個時間", "yue"},
		{"product nouns are not code-mixing", "App無法登入", "zh"},
		{"Cantonese word", "屋企上唔到網", "yue"},
		{"Simplified needs clear evidence", "亲，帮我查下积分", "zh"},
		{"decisive marker wins a tie", "我哋有興趣嗎", "yue"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got, _ := DetectLanguage(c.text); got != c.lang {
				t.Errorf("DetectLanguage(%q) = %s, want %s", c.text, got, c.lang)
			}
		})
	}
}
