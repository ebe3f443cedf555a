package nlu

import (
	"fmt"
	"io"

	"github.com/harbordesk/harbordesk/internal/lexicon"
)

// Retraining is the outcome of one learning-loop run: the test-split scores
// of the corpus-only model and of the model retrained with corrections.
type Retraining struct {
	Corrections int       // corrections given
	Used        int       // corrections with consent and a valid label
	Training    []Example // the combined training set
	Before      Report
	After       Report
	Classifier  *Classifier // the retrained model
}

// Retrain trains on train alone and on train plus corrections, and scores
// both on test. before may be nil, in which case the corpus-only model is
// trained here.
func Retrain(lex *lexicon.Lexicon, train, test []Example, corrections []Correction, before *Classifier) (Retraining, error) {
	r := Retraining{Corrections: len(corrections), Used: len(TrainingExamples(corrections))}
	if before == nil {
		var err error
		if before, err = New(lex, train); err != nil {
			return r, err
		}
	}
	r.Training = CombinedTrainingSet(train, corrections)
	after, err := New(lex, r.Training)
	if err != nil {
		return r, err
	}
	r.Classifier = after
	r.Before, r.After = Evaluate(before, test), Evaluate(after, test)
	return r, nil
}

// WriteText prints the before/after comparison: overall language, intent
// and negative-signal figures, then intent accuracy per language.
func (r Retraining) WriteText(w io.Writer) {
	fmt.Fprintf(w, "corrections: %d given, %d used (consented, valid), %d dropped\n", r.Corrections, r.Used, r.Corrections-r.Used)
	fmt.Fprintf(w, "training examples: %d\n", len(r.Training))
	fmt.Fprintf(w, "test examples: %d\n\n", r.After.N)
	fmt.Fprintf(w, "%-22s %8s %8s %8s\n", "", "before", "after", "change")
	row := func(name string, b, a float64) {
		fmt.Fprintf(w, "%-22s %8.3f %8.3f %+8.3f\n", name, b, a, a-b)
	}
	row("language accuracy", r.Before.LanguageAccuracy, r.After.LanguageAccuracy)
	row("intent accuracy", r.Before.IntentAccuracy, r.After.IntentAccuracy)
	row("negative precision", r.Before.Negative.Precision, r.After.Negative.Precision)
	row("negative recall", r.Before.Negative.Recall, r.After.Negative.Recall)
	row("negative F1", r.Before.Negative.F1, r.After.Negative.F1)
	for _, k := range sortedKeys(r.After.ByLanguage) {
		row("intent "+k, r.Before.ByLanguage[k].Accuracy, r.After.ByLanguage[k].Accuracy)
	}
}

// BeforeAfter scores the corpus-only model and the retrained one on any
// labelled items (an operator's own logs, a public source): the learning
// loop's effect beyond the shipped test split.
func (r Retraining) BeforeAfter(before Reader, items []Item) (Report, Report) {
	return EvaluateItems(before, items), EvaluateItems(r.Classifier, items)
}

// WriteComparison prints a before/after table of two reports on the same items.
func WriteComparison(w io.Writer, title string, b, a Report) {
	fmt.Fprintf(w, "\n%s (%d items)\n", title, a.N)
	fmt.Fprintf(w, "%-22s %8s %8s %8s\n", "", "before", "after", "change")
	row := func(name string, bv, av float64) {
		fmt.Fprintf(w, "%-22s %8.3f %8.3f %+8.3f\n", name, bv, av, av-bv)
	}
	if a.LanguageN > 0 {
		row("language accuracy", b.LanguageAccuracy, a.LanguageAccuracy)
	}
	if a.IntentN > 0 {
		row("intent accuracy", b.IntentAccuracy, a.IntentAccuracy)
	}
	if a.Negative.N() > 0 {
		row("negative precision", b.Negative.Precision, a.Negative.Precision)
		row("negative recall", b.Negative.Recall, a.Negative.Recall)
		row("negative F1", b.Negative.F1, a.Negative.F1)
	}
}
