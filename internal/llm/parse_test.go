package llm

import (
	"errors"
	"slices"
	"testing"
)

var parseArticles = []Article{
	{ID: "returns-policy", Title: "退貨政策", Body: "未開封貨品 14 日內可退。"},
	{ID: "payment-methods", Title: "付款方法", Body: "接受八達通、FPS、PayMe。"},
}

func TestParse(t *testing.T) {
	tests := []struct {
		name, locale, reply string
		wantText            string
		wantSources         []string
		wantErr             error
	}{
		{"yue good", "yue-Hant", "未開封嘅貨品 14 日內可以退㗎。\nSOURCES: returns-policy",
			"未開封嘅貨品 14 日內可以退㗎。", []string{"returns-policy"}, nil},
		{"two sources, dedup, full-width colon", "zh-Hant", "未開封的貨品可於 14 日內退貨，並可用八達通付款。\nSOURCES：payment-methods，returns-policy, payment-methods",
			"未開封的貨品可於 14 日內退貨，並可用八達通付款。", []string{"payment-methods", "returns-policy"}, nil},
		{"markdown label, bracketed ids, trailing blank", "en", "Unopened items can be returned within 14 days.\n\n**Sources:** [returns-policy]\n\n",
			"Unopened items can be returned within 14 days.", []string{"returns-policy"}, nil},
		{"inline markers stripped", "en", "Unopened items can be returned within 14 days [returns-policy].\nSOURCES: returns-policy",
			"Unopened items can be returned within 14 days .", []string{"returns-policy"}, nil},
		{"zh-Hans good", "zh-Hans", "未开封的货品可于 14 日内退货。\nSOURCES: returns-policy",
			"未开封的货品可于 14 日内退货。", []string{"returns-policy"}, nil},
		{"neutral Han suits Hans", "yue-Hans", "你好，14 日内可以退。\nSOURCES: returns-policy",
			"你好，14 日内可以退。", []string{"returns-policy"}, nil},
		{"en lenient with a Chinese shop name", "en", "Our Causeway Bay shop (銅鑼灣店) accepts returns of unopened items within 14 days.\nSOURCES: returns-policy",
			"Our Causeway Bay shop (銅鑼灣店) accepts returns of unopened items within 14 days.", []string{"returns-policy"}, nil},

		{"empty", "en", "  \n ", "", nil, ErrEmpty},
		{"only sources", "en", "SOURCES: returns-policy", "", nil, ErrEmpty},
		{"no answer", "yue-Hant", "NO_ANSWER", "", nil, ErrNoAnswer},
		{"no answer decorated", "en", "**NO_ANSWER.**\nSOURCES: returns-policy", "", nil, ErrNoAnswer},
		{"no sources line", "en", "Unopened items can be returned within 14 days.", "", nil, ErrUncited},
		{"sources not last", "en", "SOURCES: returns-policy\nUnopened items can be returned.", "", nil, ErrUncited},
		{"empty sources", "en", "Unopened items can be returned.\nSOURCES: ", "", nil, ErrUncited},
		{"hallucinated id", "en", "Unopened items can be returned.\nSOURCES: returns-policy, vip-discount", "", nil, ErrUnknownSource},
		{"Hans for Hant", "yue-Hant", "未开封的货品可以退货，请带同收据。\nSOURCES: returns-policy", "", nil, ErrWrongScript},
		{"Hant for Hans", "zh-Hans", "未開封的貨品可以退貨，請帶同收據。\nSOURCES: returns-policy", "", nil, ErrWrongScript},
		{"English for zh", "zh-Hant", "Unopened items can be returned within 14 days.\nSOURCES: returns-policy", "", nil, ErrWrongScript},
		{"Chinese for en", "en", "未開封貨品 14 日內可退 (unopened).\nSOURCES: returns-policy", "", nil, ErrWrongScript},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := Parse(Question{Locale: tt.locale, Articles: parseArticles}, tt.reply)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if g.Text != tt.wantText || !slices.Equal(g.Sources, tt.wantSources) {
				t.Errorf("got %q %v, want %q %v", g.Text, g.Sources, tt.wantText, tt.wantSources)
			}
		})
	}
}
