package nlu

import (
	"fmt"
	"io"
	"sort"
)

// Reader reads one message. *Classifier is one; any other engine (an LLM
// reader, a remote service) is scored the same way through this interface.
type Reader interface {
	Understand(text string) Result
}

// ReaderFunc adapts a function to Reader.
type ReaderFunc func(text string) Result

// Understand implements Reader.
func (f ReaderFunc) Understand(text string) Result { return f(text) }

// Report is the scoring of a reader on labelled items. Each figure counts
// only the items that carry the gold label it needs.
type Report struct {
	N                int
	LanguageN        int
	IntentN          int
	LanguageAccuracy float64
	ScriptAccuracy   float64
	IntentAccuracy   float64
	ByLanguage       map[string]Score // keyed by gold language
	ByIntent         map[string]Score // keyed by gold intent
	// Confusion[gold][predicted] counts intents.
	Confusion map[string]map[string]int
	Negative  BinaryScore
	// NegativeByLanguage scores the negative signal per gold language.
	NegativeByLanguage map[string]BinaryScore
	Misses             []Miss
}

// Score is accuracy over a group of examples.
type Score struct {
	N, Correct int
	Accuracy   float64
	// LanguageAccuracy is set for per-language scores.
	LanguageAccuracy float64
}

// BinaryScore is precision, recall and F1 of the negative signal.
type BinaryScore struct {
	TP, FP, FN, TN        int
	Precision, Recall, F1 float64
}

func (b *BinaryScore) add(got, gold bool) {
	switch {
	case got && gold:
		b.TP++
	case got:
		b.FP++
	case gold:
		b.FN++
	default:
		b.TN++
	}
}

func (b *BinaryScore) finish() {
	b.Precision = ratio(b.TP, b.TP+b.FP)
	b.Recall = ratio(b.TP, b.TP+b.FN)
	b.F1 = 0
	if b.Precision+b.Recall > 0 {
		b.F1 = 2 * b.Precision * b.Recall / (b.Precision + b.Recall)
	}
}

// N is the number of scored items.
func (b BinaryScore) N() int { return b.TP + b.FP + b.FN + b.TN }

// Miss is one item the reader got wrong in some labelled field.
type Miss struct {
	Item Item
	Got  Result
}

// Evaluate scores r on fully labelled examples.
func Evaluate(r Reader, test []Example) Report { return EvaluateItems(r, ItemsOf(test, "")) }

// EvaluateItems scores r on items, each field only where the item has it.
func EvaluateItems(r Reader, test []Item) Report {
	return evaluate(test, func(e Item) Result { return r.Understand(e.Text) })
}

// evaluate scores the readings read gives for test.
func evaluate(test []Item, read func(Item) Result) Report {
	rep := Report{N: len(test), ByLanguage: map[string]Score{}, ByIntent: map[string]Score{},
		Confusion: map[string]map[string]int{}, NegativeByLanguage: map[string]BinaryScore{}}
	var langOK, scrOK, scrN, intentOK int
	langHit, langN := map[string]int{}, map[string]int{}
	for _, e := range test {
		got := read(e)
		miss := false
		if e.Lang != "" {
			rep.LanguageN++
			ok := got.Language == e.Lang
			langOK += b2i(ok)
			langHit[e.Lang] += b2i(ok)
			langN[e.Lang]++
			miss = miss || !ok
		}
		if e.Script != "" {
			scrN++
			scrOK += b2i(got.Script == e.Script)
			miss = miss || got.Script != e.Script
		}
		if e.Intent != "" {
			rep.IntentN++
			ok := got.Intent == e.Intent
			intentOK += b2i(ok)
			if e.Lang != "" {
				s := rep.ByLanguage[e.Lang]
				s.N++
				s.Correct += b2i(ok)
				rep.ByLanguage[e.Lang] = s
			}
			s := rep.ByIntent[e.Intent]
			s.N++
			s.Correct += b2i(ok)
			rep.ByIntent[e.Intent] = s
			if rep.Confusion[e.Intent] == nil {
				rep.Confusion[e.Intent] = map[string]int{}
			}
			rep.Confusion[e.Intent][got.Intent]++
			miss = miss || !ok
		}
		if e.Negative != nil {
			rep.Negative.add(got.Negative, *e.Negative)
			if e.Lang != "" {
				b := rep.NegativeByLanguage[e.Lang]
				b.add(got.Negative, *e.Negative)
				rep.NegativeByLanguage[e.Lang] = b
			}
			miss = miss || got.Negative != *e.Negative
		}
		if miss {
			rep.Misses = append(rep.Misses, Miss{Item: e, Got: got})
		}
	}
	rep.LanguageAccuracy = ratio(langOK, rep.LanguageN)
	rep.ScriptAccuracy = ratio(scrOK, scrN)
	rep.IntentAccuracy = ratio(intentOK, rep.IntentN)
	for l, n := range langN {
		s := rep.ByLanguage[l]
		s.Accuracy = ratio(s.Correct, s.N)
		s.LanguageAccuracy = ratio(langHit[l], n)
		rep.ByLanguage[l] = s
	}
	for k, s := range rep.ByIntent {
		s.Accuracy = ratio(s.Correct, s.N)
		rep.ByIntent[k] = s
	}
	rep.Negative.finish()
	for k, b := range rep.NegativeByLanguage {
		b.finish()
		rep.NegativeByLanguage[k] = b
	}
	return rep
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// WriteText prints the report as plain text: overall figures, per-language
// and per-intent accuracy, negative-signal precision/recall/F1 overall and
// per language, and the intent confusion matrix.
func (r Report) WriteText(w io.Writer) {
	fmt.Fprintf(w, "examples: %d (language-labelled %d, intent-labelled %d, negative-labelled %d)\n", r.N, r.LanguageN, r.IntentN, r.Negative.N())
	fmt.Fprintf(w, "language accuracy: %.3f\nscript accuracy: %.3f\nintent accuracy: %.3f\n", r.LanguageAccuracy, r.ScriptAccuracy, r.IntentAccuracy)
	fmt.Fprintf(w, "negative: precision %.3f recall %.3f F1 %.3f (tp %d fp %d fn %d tn %d)\n",
		r.Negative.Precision, r.Negative.Recall, r.Negative.F1, r.Negative.TP, r.Negative.FP, r.Negative.FN, r.Negative.TN)
	fmt.Fprintln(w, "\nby language:       n  language  intent(n)       negative P / R / F1 (n)")
	langs := map[string]bool{}
	for k := range r.ByLanguage {
		langs[k] = true
	}
	for k := range r.NegativeByLanguage {
		langs[k] = true
	}
	for _, k := range sortedKeys(langs) {
		s, b := r.ByLanguage[k], r.NegativeByLanguage[k]
		fmt.Fprintf(w, "  %-14s %5d  %8.3f  %6.3f(%d)  %13.3f / %.3f / %.3f (%d)\n", k, s.N, s.LanguageAccuracy, s.Accuracy, s.N, b.Precision, b.Recall, b.F1, b.N())
	}
	if len(r.ByIntent) == 0 {
		return
	}
	fmt.Fprintln(w, "\nby intent:              n  accuracy")
	for _, k := range sortedKeys(r.ByIntent) {
		s := r.ByIntent[k]
		fmt.Fprintf(w, "  %-20s %5d  %8.3f\n", k, s.N, s.Accuracy)
	}
	fmt.Fprintln(w, "\nconfusion (rows gold, columns predicted; abbreviated labels):")
	fmt.Fprintf(w, "%-20s", "")
	for _, p := range Intents {
		fmt.Fprintf(w, " %5.5s", p)
	}
	fmt.Fprintln(w)
	for _, g := range Intents {
		row, ok := r.Confusion[g]
		if !ok {
			continue
		}
		fmt.Fprintf(w, "%-20s", g)
		for _, p := range Intents {
			fmt.Fprintf(w, " %5d", row[p])
		}
		fmt.Fprintln(w)
	}
}
