package nlu

import (
	"fmt"
	"os"
	"testing"
)

// TestCrossValidation reports 5-fold cross-validated figures on the train
// split (folds by index modulo 5, so deterministic) and the test-split
// figures of the default model. It is a measuring tool for tuning features,
// not an acceptance test, so it runs only with NLU_CV=1 (about 10 s).
func TestCrossValidation(t *testing.T) {
	if os.Getenv("NLU_CV") == "" {
		t.Skip("set NLU_CV=1 to run the 5-fold cross-validation")
	}
	train, err := LoadCorpus("train")
	if err != nil {
		t.Fatal(err)
	}
	const folds = 5
	total := Report{ByLanguage: map[string]Score{}}
	var neg BinaryScore
	for k := 0; k < folds; k++ {
		var fit, held []Example
		for i, e := range train {
			if i%folds == k {
				held = append(held, e)
			} else {
				fit = append(fit, e)
			}
		}
		c, err := New(Default().lex, fit)
		if err != nil {
			t.Fatal(err)
		}
		r := Evaluate(c, held)
		total.N += r.N
		for l, s := range r.ByLanguage {
			a := total.ByLanguage[l]
			a.N += s.N
			a.Correct += s.Correct
			total.ByLanguage[l] = a
		}
		neg.TP += r.Negative.TP
		neg.FP += r.Negative.FP
		neg.FN += r.Negative.FN
	}
	var ok int
	for _, s := range total.ByLanguage {
		ok += s.Correct
	}
	fmt.Printf("CV intent %.4f (%d/%d)", ratio(ok, total.N), ok, total.N)
	for _, l := range sortedKeys(total.ByLanguage) {
		s := total.ByLanguage[l]
		fmt.Printf("  %s %.4f (%d/%d)", l, ratio(s.Correct, s.N), s.Correct, s.N)
	}
	p, r := ratio(neg.TP, neg.TP+neg.FP), ratio(neg.TP, neg.TP+neg.FN)
	fmt.Printf("  negF1 %.4f\n", 2*p*r/(p+r))

	test, err := LoadCorpus("test")
	if err != nil {
		t.Fatal(err)
	}
	full, err := New(Default().lex, train)
	if err != nil {
		t.Fatal(err)
	}
	tr := Evaluate(full, test)
	fmt.Printf("test intent %.4f", tr.IntentAccuracy)
	for _, l := range sortedKeys(tr.ByLanguage) {
		s := tr.ByLanguage[l]
		fmt.Printf("  %s %.4f (%d/%d)", l, s.Accuracy, s.Correct, s.N)
	}
	fmt.Printf("  negF1 %.4f lang %.4f\n", tr.Negative.F1, tr.LanguageAccuracy)
}
