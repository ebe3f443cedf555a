package nlu

import (
	"fmt"
	"io"

	"github.com/harbordesk/harbordesk/internal/lexicon"
)

// SourceResult is the scoring of one public source S: by the model trained on
// the own corpus alone (Own), and by the model trained on the own corpus plus
// every other source (LOSO: leave-one-source-out, S never seen in training).
type SourceResult struct {
	Name string
	N    int
	Own  Report
	LOSO Report
}

// SourceEvaluation is a leave-one-source-out run over several sources.
type SourceEvaluation struct {
	Sources []SourceResult
	// Pooled scores every item of every source by the model that did not see
	// its source; PooledOwn by the own-corpus model.
	Pooled, PooledOwn Report
}

// LeaveOneSourceOut trains, for each source S, a classifier on own plus all
// sources but S, and scores it on S. own is the project's own corpus; it is
// always in training. Deterministic for the same inputs.
func LeaveOneSourceOut(lex *lexicon.Lexicon, own []Item, sources []Source) (SourceEvaluation, error) {
	var ev SourceEvaluation
	ownModel, err := NewFromItems(lex, own)
	if err != nil {
		return ev, err
	}
	models := map[string]*Classifier{}
	var all []Item
	for i, s := range sources {
		train := append([]Item(nil), own...)
		for j, o := range sources {
			if j != i {
				train = append(train, o.Items...)
			}
		}
		m, err := NewFromItems(lex, train)
		if err != nil {
			return ev, fmt.Errorf("nlu: train without %s: %w", s.Name, err)
		}
		models[s.Name] = m
		ev.Sources = append(ev.Sources, SourceResult{Name: s.Name, N: len(s.Items),
			Own: EvaluateItems(ownModel, s.Items), LOSO: EvaluateItems(m, s.Items)})
		for _, it := range s.Items {
			it.Source = s.Name
			all = append(all, it)
		}
	}
	ev.Pooled = evaluate(all, func(e Item) Result { return models[e.Source].Understand(e.Text) })
	ev.PooledOwn = EvaluateItems(ownModel, all)
	return ev, nil
}

// WriteText prints one line per source and model, then the pooled reports.
func (ev SourceEvaluation) WriteText(w io.Writer) {
	fmt.Fprintln(w, "leave-one-source-out (own = trained on the own corpus only; loso = own corpus + all other sources, never this one)")
	fmt.Fprintf(w, "%-24s %5s %-5s %8s %8s %8s %8s %8s %8s\n", "source", "n", "model", "language", "intent", "neg P", "neg R", "neg F1", "neg n")
	line := func(name string, n int, model string, r Report) {
		f := func(v float64, k int) string {
			if k == 0 {
				return "       -"
			}
			return fmt.Sprintf("%8.3f", v)
		}
		fmt.Fprintf(w, "%-24s %5d %-5s %s %s %s %s %s %8d\n", name, n, model,
			f(r.LanguageAccuracy, r.LanguageN), f(r.IntentAccuracy, r.IntentN),
			f(r.Negative.Precision, r.Negative.N()), f(r.Negative.Recall, r.Negative.N()), f(r.Negative.F1, r.Negative.N()), r.Negative.N())
	}
	for _, s := range ev.Sources {
		line(s.Name, s.N, "own", s.Own)
		line("", s.N, "loso", s.LOSO)
	}
	fmt.Fprintln(w, "\npooled over all sources, own-corpus model:")
	ev.PooledOwn.WriteText(w)
	fmt.Fprintln(w, "\npooled over all sources, leave-one-source-out:")
	ev.Pooled.WriteText(w)
}
