package crm

import "testing"

func TestExtractOrderNumber(t *testing.T) {
	tests := []struct {
		text string
		want string
		ok   bool
	}{
		{"my order HK20461 hasn't arrived", "HK20461", true},
		{"Where is #A-20931?", "A-20931", true},
		{"order 88123 still not shipped", "88123", true},
		{"Order no. 88123", "88123", true},
		{"order number is hk20461.", "HK20461", true},
		{"訂單號碼：HK20461，幾時送到？", "HK20461", true},
		{"我張訂單係 88123 點解未出貨", "88123", true},
		{"订单号 A-20931 还没发货", "A-20931", true},
		{"唔該check下我張柯打 77881", "77881", true},
		{"全形 ＨＫ２０４６１ 訂單", "HK20461", true},
		{"ref #558812 please", "558812", true},
		{"HK20461 and HK20462", "HK20461", true},
		{"my order 12345, call me on 91234567", "12345", true},
		// Not order numbers.
		{"call me on 91234567", "", false},
		{"my number is +852 9123 4567", "", false},
		{"手機 13812345678 訂單未到", "", false},
		{"order 85291234567", "", false},
		{"order 13812345678", "", false},
		{"I paid HKD1200 yesterday", "", false},
		{"my HKID is A1234563", "", false},
		{"身份證 A123456(3)", "", false},
		{"email me at chan1234@example.com", "", false},
		{"see https://shop.hk/p/ab12345", "", false},
		{"the border 2024 issue", "", false},
		{"it cost $12345", "", false},
		{"opened at 10:00 on 2024-05-01", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			got, ok := ExtractOrderNumber(tt.text)
			if got != tt.want || ok != tt.ok {
				t.Fatalf("ExtractOrderNumber(%q) = %q, %v; want %q, %v", tt.text, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestValidHKID(t *testing.T) {
	for s, want := range map[string]bool{"A1234563": true, "a1234563": true, "A1234564": false, "HK204611": false, "AB987654": false, "Z683365A": true, "Z6833650": false} {
		if got := validHKID(s); got != want {
			t.Errorf("validHKID(%q) = %v, want %v", s, got, want)
		}
	}
}

func FuzzExtractOrderNumber(f *testing.F) {
	for _, s := range []string{"order HK20461", "#A-20931", "訂單號碼：88123", "call 91234567", "A123456(3)", "ＨＫ２０４６１"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		got, ok := ExtractOrderNumber(text)
		if ok != (got != "") {
			t.Fatalf("ok=%v with %q", ok, got)
		}
		if ok && (got[0] == '#' || validHKID(got)) {
			t.Fatalf("returned %q", got)
		}
	})
}

func BenchmarkExtractOrderNumber(b *testing.B) {
	text := "唔該幫我check下我張訂單號碼：HK20461，我打咗好多次電話 91234567 都冇人聽"
	for b.Loop() {
		ExtractOrderNumber(text)
	}
}
