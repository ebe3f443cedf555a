package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// chatServer is a local OpenAI-compatible chat-completions endpoint that
// answers every request with content (status 200) or with an API error.
func chatServer(t *testing.T, status int, content string, calls *atomic.Int64) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Model          string            `json:"model"`
			Messages       []json.RawMessage `json:"messages"`
			ResponseFormat struct {
				Type string `json:"type"`
			} `json:"response_format"`
		}
		if r.URL.Path != "/v1/chat/completions" || json.NewDecoder(r.Body).Decode(&req) != nil ||
			req.Model == "" || len(req.Messages) == 0 || req.ResponseFormat.Type != "json_schema" {
			http.Error(w, `{"error":{"type":"invalid_request_error"}}`, http.StatusBadRequest)
			return
		}
		calls.Add(1)
		w.Header().Set("Content-Type", "application/json")
		if status != http.StatusOK {
			w.WriteHeader(status)
			_, _ = w.Write([]byte(`{"error":{"message":"down","type":"server_error","code":null}}`))
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"object": "chat.completion", "choices": []any{
			map[string]any{"index": 0, "finish_reason": "stop", "message": map[string]any{"role": "assistant", "content": content}}}})
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/v1"
}

func TestEvalEngineLLM(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "logs.jsonl")
	lines := `{"text":"what time do you open on Sunday?","language":"en","intent":"business_hours","negative":false}` + "\n" +
		`{"text":"how many days do I have to return an unopened kettle?","language":"en","intent":"return_policy","negative":false}` + "\n"
	if err := os.WriteFile(f, []byte(lines), 0o600); err != nil {
		t.Fatal(err)
	}
	report := func(t *testing.T) (map[string]any, string) {
		var out, errw bytes.Buffer
		if err := evalCommand([]string{"--file", f, "--engine", "llm", "--json"}, &out, &errw); err != nil {
			t.Fatal(err)
		}
		var js struct {
			Report map[string]any `json:"report"`
		}
		if err := json.Unmarshal(out.Bytes(), &js); err != nil {
			t.Fatal(err)
		}
		return js.Report, errw.String()
	}

	// The model reads everything as a return-policy question: it is scored
	// as the model, so one of two intents is right.
	var calls atomic.Int64
	t.Setenv("HARBORDESK_LLM_URL", chatServer(t, http.StatusOK,
		`{"language":"en","script":"Latn","intent":"return_policy","negative":false,"sentiment":0,"priority":"P4","confidence":0.9}`, &calls))
	rep, tally := report(t)
	if rep["IntentAccuracy"] != 0.5 || calls.Load() != 2 || !strings.Contains(tally, "2 items read by the model, 0 fell back") {
		t.Fatalf("llm engine: intent accuracy %v, %d calls, %q", rep["IntentAccuracy"], calls.Load(), tally)
	}

	// A model that is down: every item falls back to the offline reading.
	calls.Store(0)
	t.Setenv("HARBORDESK_LLM_URL", chatServer(t, http.StatusBadGateway, "", &calls))
	rep, tally = report(t)
	if rep["IntentAccuracy"] != 1.0 || !strings.Contains(tally, "0 items read by the model, 2 fell back") {
		t.Fatalf("fallback: intent accuracy %v, %q", rep["IntentAccuracy"], tally)
	}
}

func TestEvalEngineErrors(t *testing.T) {
	var out, errw bytes.Buffer
	var ue usageError
	if err := evalCommand([]string{"--engine", "gpt"}, &out, &errw); !errors.As(err, &ue) {
		t.Fatalf("unknown engine: %v", err)
	}
	t.Setenv("HARBORDESK_LLM_URL", "")
	if err := evalCommand([]string{"--engine", "llm"}, &out, &errw); !errors.As(err, &ue) || !strings.Contains(err.Error(), "HARBORDESK_LLM_URL") {
		t.Fatalf("llm without URL: %v", err)
	}
}
