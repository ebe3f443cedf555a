package nlu

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestTrainingExamplesDropsWithoutConsent(t *testing.T) {
	yes, no := true, false
	cs := []Correction{
		{Text: "my parcel is lost", Intent: "order_status", Negative: &yes, TrainingConsent: true},
		{Text: "唔該改期", Lang: "yue", Script: "Hant", Intent: "appointment_change", Negative: &no, TrainingConsent: false},
		{Text: "個雪櫃凹咗", Intent: "damaged_item", TrainingConsent: true},
		{Text: "how much is the plan", Intent: "billing", TrainingConsent: true},
		{Text: "  ", Intent: "smalltalk", TrainingConsent: true},
		{Text: "hello", Intent: "chitchat", TrainingConsent: true},
	}
	got := TrainingExamples(cs)
	want := []Example{
		{Text: "my parcel is lost", Lang: "en", Script: "Latn", Intent: "order_status", Negative: true},
		{Text: "個雪櫃凹咗", Lang: "yue", Script: "Hant", Intent: "damaged_item", Negative: true},
		{Text: "how much is the plan", Lang: "en", Script: "Latn", Intent: "billing", Negative: false},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d examples, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("example %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	for _, e := range got {
		if e.Text == "唔該改期" {
			t.Error("correction without training consent was used")
		}
	}
}

func TestCombinedTrainingSet(t *testing.T) {
	train := []Example{{Text: "hi", Lang: "en", Script: "Latn", Intent: "smalltalk"}}
	cs := []Correction{
		{Text: "refund me now", Intent: "refund_request", TrainingConsent: true},
		{Text: "no consent here", Intent: "other"},
	}
	got := CombinedTrainingSet(train, cs)
	if len(got) != 1+correctionWeight {
		t.Fatalf("len = %d, want %d", len(got), 1+correctionWeight)
	}
	if got[0] != train[0] || got[1].Text != "refund me now" || got[len(got)-1].Text != "refund me now" {
		t.Errorf("combined set = %+v", got)
	}
}

func TestNewWithCorrectionsLearns(t *testing.T) {
	train, err := LoadCorpus("train")
	if err != nil {
		t.Fatal(err)
	}
	// A made-up word the corpus never uses, taught as a human-agent request.
	msg := "zorblax zorblax"
	var cs []Correction
	for _, v := range []string{"zorblax", "zorblax pls", "zorblax now", "need zorblax"} {
		cs = append(cs, Correction{Text: v, Intent: "human_agent", TrainingConsent: true})
	}
	c, err := NewWithCorrections(Default().lex, train, cs)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Understand(msg).Intent; got != "human_agent" {
		t.Errorf("with consented corrections: intent %s, want human_agent", got)
	}
	for i := range cs {
		cs[i].TrainingConsent = false
	}
	c, err = NewWithCorrections(Default().lex, train, cs)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Understand(msg).Intent; got == "human_agent" {
		t.Errorf("without consent the corrections still changed the model")
	}
	if _, err := NewWithCorrections(nil, train, cs); err == nil {
		t.Error("nil lexicon accepted")
	}
}

func TestReadCorrections(t *testing.T) {
	cases := []struct {
		name, in string
		n        int
		wantErr  bool
	}{
		{"ok", `{"text":"where is my order","intent":"order_status","negative":false,"training_consent":true}` + "\n\n" + `{"text":"hi","intent":"smalltalk"}`, 2, false},
		{"empty", "", 0, false},
		{"not json", "{oops", 0, true},
		{"no text", `{"intent":"other","training_consent":true}`, 0, true},
		{"bad intent", `{"text":"x","intent":"chat"}`, 0, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := ReadCorrections(strings.NewReader(c.in))
			if (err != nil) != c.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, c.wantErr)
			}
			if err != nil {
				if !errors.Is(err, ErrCorrectionLine) || strings.Contains(err.Error(), "oops") {
					t.Errorf("error %q: not ErrCorrectionLine or leaks text", err)
				}
				return
			}
			if len(got) != c.n {
				t.Errorf("got %d corrections, want %d", len(got), c.n)
			}
		})
	}
	got, _ := ReadCorrections(strings.NewReader(`{"text":"where is my order","intent":"order_status","negative":true,"training_consent":true}`))
	if !got[0].TrainingConsent || got[0].Negative == nil || !*got[0].Negative {
		t.Errorf("fields not decoded: %+v", got[0])
	}
	if _, err := ReadCorrections(failReader{}); err == nil {
		t.Error("read error not returned")
	}
}

func TestWriteExamplesRoundTrip(t *testing.T) {
	exs := []Example{{Text: "唔該<phone>", Lang: "yue", Script: "Hant", Intent: "human_agent", Negative: true}}
	var buf bytes.Buffer
	if err := WriteExamples(&buf, exs); err != nil {
		t.Fatal(err)
	}
	back, err := ParseExamples(buf.Bytes())
	if err != nil || len(back) != 1 || back[0] != exs[0] {
		t.Fatalf("round trip = %+v, %v (%s)", back, err, buf.String())
	}
	if err := WriteExamples(failWriter{}, exs); err == nil {
		t.Error("write error not returned")
	}
}

func TestRetrain(t *testing.T) {
	train := []Example{
		{Text: "where is my order", Intent: "order_status"},
		{Text: "what time do you open", Intent: "business_hours"},
	}
	test := []Example{{Text: "where is my parcel", Lang: "en", Intent: "order_status"}}
	cs := []Correction{{Text: "parcel where", Intent: "order_status", TrainingConsent: true}, {Text: "x", Intent: "other"}}
	r, err := Retrain(Default().lex, train, test, cs, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Corrections != 2 || r.Used != 1 || len(r.Training) != 2+correctionWeight || r.Before.N != 1 || r.After.N != 1 || r.Classifier == nil {
		t.Errorf("retraining = %+v", r)
	}
	var buf bytes.Buffer
	r.WriteText(&buf)
	for _, want := range []string{"2 given, 1 used", "intent accuracy", "negative F1", "intent en"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, buf.String())
		}
	}
	if _, err := Retrain(nil, train, test, nil, nil); err == nil {
		t.Error("nil lexicon accepted")
	}
	if _, err := Retrain(Default().lex, nil, test, nil, Default()); err != ErrNoTrainingData {
		t.Errorf("empty training set: %v", err)
	}
}
