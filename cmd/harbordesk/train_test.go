package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/harbordesk/harbordesk/internal/nlu"
)

func TestTrainCommand(t *testing.T) {
	dir := t.TempDir()
	corr := filepath.Join(dir, "corrections.jsonl")
	lines := `{"text":"my parcel is lost, where is it","intent":"order_status","negative":true,"training_consent":true}` + "\n" +
		`{"text":"no consent given","intent":"other","training_consent":false}` + "\n"
	if err := os.WriteFile(corr, []byte(lines), 0o600); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "bad.jsonl")
	if err := os.WriteFile(bad, []byte("{oops\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	var stdout bytes.Buffer
	if err := trainCommand([]string{"--corrections", corr, "--out", out}, &stdout); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"2 given, 1 used", "before", "after", "intent accuracy", "negative F1"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, stdout.String())
		}
	}
	data, err := os.ReadFile(filepath.Join(out, "train.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	exs, err := nlu.ParseExamples(data)
	if err != nil {
		t.Fatal(err)
	}
	corpus, _ := nlu.LoadCorpus("train")
	if len(exs) <= len(corpus) || exs[len(exs)-1].Text != "my parcel is lost, where is it" {
		t.Errorf("combined set has %d examples (corpus %d), last %+v", len(exs), len(corpus), exs[len(exs)-1])
	}
	if strings.Contains(string(data), "no consent given") {
		t.Error("unconsented correction written to the training set")
	}
	if _, err := os.Stat(filepath.Join(out, "report.txt")); err != nil {
		t.Error("report.txt not written:", err)
	}

	errCases := []struct {
		name string
		args []string
		want func(error) bool
	}{
		{"from db", []string{"--from-db"}, func(err error) bool { return errors.Is(err, errFromDB) }},
		{"unknown flag", []string{"--nope"}, isUsage},
		{"extra arg", []string{"x"}, isUsage},
		{"missing file", []string{"--corrections", filepath.Join(dir, "none.jsonl")}, func(err error) bool { return errors.Is(err, os.ErrNotExist) }},
		{"bad file", []string{"--corrections", bad}, func(err error) bool { return errors.Is(err, nlu.ErrCorrectionLine) }},
		{"out is a file", []string{"--out", corr}, func(err error) bool { return err != nil }},
	}
	for _, c := range errCases {
		t.Run(c.name, func(t *testing.T) {
			if err := trainCommand(c.args, &bytes.Buffer{}); !c.want(err) {
				t.Errorf("err = %v", err)
			}
		})
	}
}

func isUsage(err error) bool {
	var ue usageError
	return errors.As(err, &ue)
}

func TestTrainCommandBeforeAfterOnFile(t *testing.T) {
	dir := t.TempDir()
	corr := filepath.Join(dir, "corrections.jsonl")
	if err := os.WriteFile(corr, []byte(`{"text":"my parcel is lost, where is it","intent":"order_status","negative":true,"training_consent":true}`+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	logs := filepath.Join(dir, "logs.jsonl")
	if err := os.WriteFile(logs, []byte(`{"text":"parcel lost, where is it??","language":"en","intent":"order_status","negative":true}`+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var stdout bytes.Buffer
	if err := trainCommand([]string{"--corrections", corr, "--file", logs}, &stdout); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"on logs.jsonl (1 items)", "intent accuracy", "negative F1"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, stdout.String())
		}
	}
	bad := filepath.Join(dir, "bad.jsonl")
	if err := os.WriteFile(bad, []byte(`{"text":"x","intent":"nope"}`+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var ue usageError
	if err := trainCommand([]string{"--file", bad}, &stdout); !errors.As(err, &ue) {
		t.Errorf("bad file: got %v, want a usage error", err)
	}
}
