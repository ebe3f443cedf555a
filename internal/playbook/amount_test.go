package playbook

import "testing"

func TestExtractAmountHKD(t *testing.T) {
	tests := []struct {
		text string
		want float64
		ok   bool
	}{
		{"HK$1,299", 1299, true},
		{"hk$ 1299.50 please", 1299.5, true},
		{"$1299", 1299, true},
		{"1299蚊", 1299, true},
		{"部機1299元買", 1299, true},
		{"港幣1299", 1299, true},
		{"港币 1,299", 1299, true},
		{"1299 港元", 1299, true},
		{"HKD 2,000", 2000, true},
		{"2000 HKD", 2000, true},
		{"refund 350 dollars", 350, true},
		{"３千蚊", 3000, true},
		{"＄１２９９", 1299, true},
		{"$1.5k", 1500, true},
		{"2萬蚊", 20000, true},
		{"$200 同埋 $1,800", 1800, true},
		{"1800蚊定200蚊", 1800, true},
		{"訂單 HH12345678 未到", 0, false},
		{"HH12345678元", 0, false},
		{"打 [PHONE] 搵我", 0, false},
		{"我等咗3日", 0, false},
		{"", 0, false},
		{"$", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			got, ok := ExtractAmountHKD(tt.text)
			if got != tt.want || ok != tt.ok {
				t.Errorf("ExtractAmountHKD(%q) = %v, %v; want %v, %v", tt.text, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func BenchmarkExtractAmountHKD(b *testing.B) {
	for b.Loop() {
		ExtractAmountHKD("部雪櫃 HK$8,999 我要退款，訂單 HH12345678，電話 [PHONE]")
	}
}
