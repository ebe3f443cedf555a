package nlu

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseItemsOptionalLabels(t *testing.T) {
	data := []byte(`{"text":"where is my parcel","language":"en","intent":"order_status"}

{"text":"垃圾","lang":"yue","negative":true}
{"text":"hello"}
`)
	items, err := ParseItems(data, "s")
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 3 {
		t.Fatalf("got %d items, want 3", len(items))
	}
	if items[0].Lang != "en" || items[0].Intent != "order_status" || items[0].Negative != nil {
		t.Errorf("item 1 = %+v", items[0])
	}
	if items[1].Lang != "yue" || items[1].Negative == nil || !*items[1].Negative || items[1].Intent != "" {
		t.Errorf("item 2 = %+v", items[1])
	}
	if items[2].Lang != "" || items[2].Source != "s" {
		t.Errorf("item 3 = %+v", items[2])
	}
	for _, bad := range []string{`{"text":"x","intent":"chat"}`, `{"text":"x","language":"fr"}`, `{"intent":"other"}`, `not json`} {
		_, err := ParseItems([]byte("{\"text\":\"ok\"}\n"+bad), "s")
		if err == nil || !strings.Contains(err.Error(), "line 2") {
			t.Errorf("ParseItems(%s) error = %v, want a line-2 error", bad, err)
		}
		if err != nil && strings.Contains(err.Error(), `"x"`) {
			t.Errorf("error quotes the text: %v", err)
		}
	}
}

func TestEvaluateItemsScoresOnlyLabelledFields(t *testing.T) {
	yes, no := true, false
	fixed := ReaderFunc(func(string) Result { return Result{Language: "en", Intent: "complaint", Negative: true} })
	r := EvaluateItems(fixed, []Item{
		{Text: "a", Lang: "en", Intent: "complaint", Negative: &yes},
		{Text: "b", Lang: "zh", Negative: &no},
		{Text: "c", Intent: "other"},
	})
	if r.LanguageN != 2 || r.LanguageAccuracy != 0.5 {
		t.Errorf("language: n %d acc %.2f, want 2 / 0.5", r.LanguageN, r.LanguageAccuracy)
	}
	if r.IntentN != 2 || r.IntentAccuracy != 0.5 {
		t.Errorf("intent: n %d acc %.2f, want 2 / 0.5", r.IntentN, r.IntentAccuracy)
	}
	if r.Negative.TP != 1 || r.Negative.FP != 1 || r.Negative.N() != 2 {
		t.Errorf("negative = %+v", r.Negative)
	}
	if zh := r.NegativeByLanguage["zh"]; zh.FP != 1 || zh.F1 != 0 {
		t.Errorf("zh negative = %+v", zh)
	}
	if len(r.Misses) != 2 {
		t.Errorf("misses = %d, want 2", len(r.Misses))
	}
}

func TestLeaveOneSourceOut(t *testing.T) {
	train, err := LoadCorpus("train")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a.jsonl", `{"text":"my parcel never arrived, refund me now","language":"en","negative":true}
{"text":"thanks a lot, all good","language":"en","negative":false}
`)
	write("b.jsonl", `{"text":"what is the weather tomorrow in Paris","language":"en","intent":"other"}
`)
	srcs, err := LoadSources(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(srcs) != 2 || srcs[0].Name != "a" {
		t.Fatalf("sources = %+v", srcs)
	}
	ev, err := LeaveOneSourceOut(Default().lex, ItemsOf(train[:600], "own"), srcs)
	if err != nil {
		t.Fatal(err)
	}
	if len(ev.Sources) != 2 || ev.Sources[0].LOSO.Negative.N() != 2 || ev.Sources[1].LOSO.IntentN != 1 {
		t.Errorf("per-source reports wrong: %+v", ev.Sources)
	}
	if ev.Pooled.N != 3 || ev.PooledOwn.N != 3 {
		t.Errorf("pooled n = %d / %d, want 3", ev.Pooled.N, ev.PooledOwn.N)
	}
	var b strings.Builder
	ev.WriteText(&b)
	if !strings.Contains(b.String(), "loso") {
		t.Errorf("text report lacks the loso rows:\n%s", b.String())
	}
	if _, err := LoadSources(t.TempDir()); err == nil {
		t.Error("LoadSources on an empty directory: want an error")
	}
}
