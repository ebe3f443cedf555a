package nlu

import (
	"fmt"
	"io"
	"sort"
)

// Report is the scoring of a classifier on a labelled split.
type Report struct {
	N                int
	LanguageAccuracy float64
	ScriptAccuracy   float64
	IntentAccuracy   float64
	ByLanguage       map[string]Score // keyed by gold language
	ByIntent         map[string]Score // keyed by gold intent
	// Confusion[gold][predicted] counts intents.
	Confusion map[string]map[string]int
	Negative  BinaryScore
	Misses    []Miss
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

// Miss is one example the classifier got wrong in some field.
type Miss struct {
	Example Example
	Got     Result
}

// Evaluate scores c on test.
func Evaluate(c *Classifier, test []Example) Report {
	r := Report{N: len(test), ByLanguage: map[string]Score{}, ByIntent: map[string]Score{}, Confusion: map[string]map[string]int{}}
	var langOK, scrOK, scrN, intentOK int
	langHit := map[string]int{}
	for _, e := range test {
		got := c.Understand(e.Text)
		lOK, iOK := got.Language == e.Lang, got.Intent == e.Intent
		langOK += b2i(lOK)
		intentOK += b2i(iOK)
		if e.Script != "" {
			scrN++
			scrOK += b2i(got.Script == e.Script)
		}
		s := r.ByLanguage[e.Lang]
		s.N++
		s.Correct += b2i(iOK)
		langHit[e.Lang] += b2i(lOK)
		r.ByLanguage[e.Lang] = s
		s = r.ByIntent[e.Intent]
		s.N++
		s.Correct += b2i(iOK)
		r.ByIntent[e.Intent] = s
		if r.Confusion[e.Intent] == nil {
			r.Confusion[e.Intent] = map[string]int{}
		}
		r.Confusion[e.Intent][got.Intent]++
		switch {
		case got.Negative && e.Negative:
			r.Negative.TP++
		case got.Negative:
			r.Negative.FP++
		case e.Negative:
			r.Negative.FN++
		default:
			r.Negative.TN++
		}
		if !lOK || !iOK || got.Negative != e.Negative || (e.Script != "" && got.Script != e.Script) {
			r.Misses = append(r.Misses, Miss{Example: e, Got: got})
		}
	}
	r.LanguageAccuracy = ratio(langOK, len(test))
	r.ScriptAccuracy = ratio(scrOK, scrN)
	r.IntentAccuracy = ratio(intentOK, len(test))
	for k, s := range r.ByLanguage {
		s.Accuracy = ratio(s.Correct, s.N)
		s.LanguageAccuracy = ratio(langHit[k], s.N)
		r.ByLanguage[k] = s
	}
	for k, s := range r.ByIntent {
		s.Accuracy = ratio(s.Correct, s.N)
		r.ByIntent[k] = s
	}
	n := &r.Negative
	n.Precision = ratio(n.TP, n.TP+n.FP)
	n.Recall = ratio(n.TP, n.TP+n.FN)
	if n.Precision+n.Recall > 0 {
		n.F1 = 2 * n.Precision * n.Recall / (n.Precision + n.Recall)
	}
	return r
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
// and per-intent accuracy, the intent confusion matrix, and negative-signal
// precision/recall/F1.
func (r Report) WriteText(w io.Writer) {
	fmt.Fprintf(w, "examples: %d\n", r.N)
	fmt.Fprintf(w, "language accuracy: %.3f\nscript accuracy: %.3f\nintent accuracy: %.3f\n", r.LanguageAccuracy, r.ScriptAccuracy, r.IntentAccuracy)
	fmt.Fprintf(w, "negative: precision %.3f recall %.3f F1 %.3f (tp %d fp %d fn %d tn %d)\n",
		r.Negative.Precision, r.Negative.Recall, r.Negative.F1, r.Negative.TP, r.Negative.FP, r.Negative.FN, r.Negative.TN)
	fmt.Fprintln(w, "\nby language:       n  language  intent")
	for _, k := range sortedKeys(r.ByLanguage) {
		s := r.ByLanguage[k]
		fmt.Fprintf(w, "  %-14s %5d  %8.3f  %6.3f\n", k, s.N, s.LanguageAccuracy, s.Accuracy)
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
