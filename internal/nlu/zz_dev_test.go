package nlu

import (
	"fmt"
	"os"
	"testing"

	"github.com/harbordesk/harbordesk/internal/lexicon"
)

// Temporary dev harness: 5-fold CV on train.
func TestZZDevCV(t *testing.T) {
	if os.Getenv("NLU_DEV") == "" {
		t.Skip()
	}
	train, _ := LoadCorpus("train")
	var all []Miss
	tot := Report{}
	var li, ii, n int
	var tp, fp, fn int
	byLang := map[string][2]int{}
	for k := 0; k < 5; k++ {
		var tr, te []Example
		for i, e := range train {
			if i%5 == k {
				te = append(te, e)
			} else {
				tr = append(tr, e)
			}
		}
		c, err := New(lexicon.Default(), tr)
		if err != nil {
			t.Fatal(err)
		}
		r := Evaluate(c, te)
		n += r.N
		li += int(r.LanguageAccuracy*float64(r.N) + 0.5)
		ii += int(r.IntentAccuracy*float64(r.N) + 0.5)
		tp += r.Negative.TP
		fp += r.Negative.FP
		fn += r.Negative.FN
		for l, s := range r.ByLanguage {
			v := byLang[l]
			v[0] += s.Correct
			v[1] += s.N
			byLang[l] = v
		}
		all = append(all, r.Misses...)
	}
	_ = tot
	p, rc := float64(tp)/float64(tp+fp), float64(tp)/float64(tp+fn)
	fmt.Printf("CV n=%d lang %.3f intent %.3f negP %.3f negR %.3f negF1 %.3f", n, float64(li)/float64(n), float64(ii)/float64(n), p, rc, 2*p*rc/(p+rc))
	for _, l := range []string{"en", "yue", "zh"} {
		fmt.Printf(" %s %.3f", l, float64(byLang[l][0])/float64(byLang[l][1]))
	}
	fmt.Println()
	if f := os.Getenv("NLU_MISSES"); f != "" {
		w, _ := os.Create(f)
		defer w.Close()
		for _, m := range all {
			e, g := m.Example, m.Got
			tag := ""
			if e.Lang != g.Language {
				tag += "L"
			}
			if e.Intent != g.Intent {
				tag += "I"
			}
			if e.Negative != g.Negative {
				tag += "N"
			}
			fmt.Fprintf(w, "%s\t%s/%s\t%s>%s\t%v>%v\t%.2f\t%s\n", tag, e.Lang, g.Language, e.Intent, g.Intent, e.Negative, g.Negative, g.Sentiment, e.Text)
		}
	}
}
