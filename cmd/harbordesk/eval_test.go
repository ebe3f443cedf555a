package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestEvalCommandFile(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "logs.jsonl")
	lines := `{"text":"我要投訴你哋，搞錯呀","language":"yue","negative":true}` + "\n" +
		`{"text":"what time do you open on Sunday?","language":"en","intent":"business_hours","negative":false}` + "\n"
	if err := os.WriteFile(f, []byte(lines), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errw bytes.Buffer
	if err := evalCommand([]string{"--file", f}, &out, &errw); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"examples: 2 (language-labelled 2, intent-labelled 1, negative-labelled 2)", "by language", "negative"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
	out.Reset()
	if err := evalCommand([]string{"--file", f, "--json"}, &out, &errw); err != nil {
		t.Fatal(err)
	}
	var js map[string]any
	if err := json.Unmarshal(out.Bytes(), &js); err != nil || js["report"] == nil {
		t.Errorf("--json output is not a report: %v %s", err, out.String())
	}
}

func TestEvalCommandErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.jsonl")
	if err := os.WriteFile(bad, []byte(`{"text":"x","intent":"chat"}`+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errw bytes.Buffer
	var ue usageError
	if err := evalCommand([]string{"--file", bad}, &out, &errw); !errors.As(err, &ue) {
		t.Errorf("unknown intent: got %v, want a usage error", err)
	}
	if err := evalCommand([]string{"--nope"}, &out, &errw); !errors.As(err, &ue) {
		t.Errorf("unknown flag: got %v, want a usage error", err)
	}
	if err := evalCommand([]string{"--file", filepath.Join(dir, "missing.jsonl")}, &out, &errw); err == nil {
		t.Error("missing file: want an error")
	}
	if err := evalCommand([]string{"--sources", t.TempDir()}, &out, &errw); err == nil {
		t.Error("empty sources directory: want an error")
	}
}
