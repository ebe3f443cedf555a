package script

import "testing"

func TestDetect(t *testing.T) {
	cases := []struct{ text, want string }{
		{"唔該催下貨，我張單等咗成個禮拜", Hant},
		{"你们周末几点开门", Hans},
		{"你們週末幾點開門", Hant},
		{"早晨", Hant},
		{"hello?", Latn},
		{"", Latn},
		{"唔该check下我张order", Hans},
		{"個mon裂咗", Hant},
		{"退款什么时候到账？", Hans},
		{"12345 !!", Latn},
	}
	for _, c := range cases {
		if got := Detect(c.text); got != c.want {
			t.Errorf("Detect(%q) = %s, want %s", c.text, got, c.want)
		}
	}
}

func TestConvertAndFold(t *testing.T) {
	if got := ToSimplified("唔該催下貨"); got != "唔该催下货" {
		t.Errorf("ToSimplified = %q", got)
	}
	if got := ToTraditional("你们周末几点开门"); got != "你們週末幾點開門" {
		t.Errorf("ToTraditional = %q", got)
	}
	for in, want := range map[rune]rune{'貨': '货', '們': '们', '货': '货', 'a': 'a', '嘅': '嘅'} {
		if got := FoldRune(in); got != want {
			t.Errorf("FoldRune(%q) = %q, want %q", in, got, want)
		}
	}
}

func BenchmarkCount(b *testing.B) {
	Init()
	for i := 0; i < b.N; i++ {
		Count("唔該催下貨，我張單等咗成個禮拜 please check")
	}
}
