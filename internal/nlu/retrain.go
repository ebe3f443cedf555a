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
