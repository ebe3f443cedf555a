package bench

import (
	"math/rand/v2"
	"testing"
	"unicode"
)

func TestMixCoversLocalesAndCategories(t *testing.T) {
	if len(Mix) < 40 {
		t.Fatalf("mix has %d texts, want at least 40", len(Mix))
	}
	cats := map[Category]map[string]bool{}
	seen := map[string]bool{}
	for _, m := range Mix {
		if seen[m.Text] {
			t.Errorf("text repeated: %q", m.Text)
		}
		seen[m.Text] = true
		if cats[m.Category] == nil {
			cats[m.Category] = map[string]bool{}
		}
		cats[m.Category][m.Locale] = true
		han := false
		for _, r := range m.Text {
			if unicode.Is(unicode.Han, r) {
				han = true
			}
		}
		if (m.Locale == "en") == han {
			t.Errorf("%s text %q: script does not fit the locale", m.Locale, m.Text)
		}
	}
	for _, c := range []Category{CatHours, CatReturns, CatDelivery, CatPayment, CatWarranty, CatOrderStatus, CatComplaint, CatHuman} {
		for _, loc := range []string{"yue", "zh-Hant", "zh-Hans", "en"} {
			if !cats[c][loc] {
				t.Errorf("no %s text in %s", c, loc)
			}
		}
	}
	sum := 0.0
	for _, lw := range localeWeights {
		sum += lw.weight
		if len(byLocale[lw.locale]) == 0 {
			t.Errorf("weighted locale %s has no texts", lw.locale)
		}
	}
	if sum < 0.999 || sum > 1.001 {
		t.Errorf("locale weights sum to %v", sum)
	}
}

func TestPickFollowsLocaleWeights(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	got := map[string]int{}
	const n = 20000
	for range n {
		got[pick(r).Locale]++
	}
	for _, lw := range localeWeights {
		share := float64(got[lw.locale]) / n
		if share < lw.weight-0.02 || share > lw.weight+0.02 {
			t.Errorf("%s drawn %.3f of the time, want about %.2f", lw.locale, share, lw.weight)
		}
	}
}

func TestPickIsReproducibleBySeed(t *testing.T) {
	a, b := rand.New(rand.NewPCG(7, 9)), rand.New(rand.NewPCG(7, 9))
	for range 100 {
		if pick(a) != pick(b) {
			t.Fatal("same seed drew different messages")
		}
	}
}
