package translate

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/harbordesk/harbordesk/internal/llm"
)

func TestOffline(t *testing.T) {
	tr := Translator{}
	for _, tc := range []struct {
		text, from, to, want, engine string
		available                    bool
	}{
		{"出糧先落單", "yue-Hant", "zh-Hant", "發工資先下單", EngineLexicon, true},
		{"出糧先落單", "yue-Hant", "zh-Hans", "发工资先下单", EngineLexicon, true},
		{"请帮我查订单", "zh-Hans", "zh-Hant", "請幫我查訂單", EngineScript, true},
		{"請幫我查訂單", "zh-Hant", "zh-Hans", "请帮我查订单", EngineScript, true},
		{"請幫我查訂單", "zh-Hant", "zh-Hant", "請幫我查訂單", EngineNone, true},
		{"where is my order", "en", "zh-Hant", "", "", false},
		{"我想落單", "zh-Hant", "en", "", "", false},
	} {
		r, err := tr.Translate(context.Background(), tc.text, tc.from, tc.to)
		if err != nil {
			t.Fatal(err)
		}
		if r.Text != tc.want || r.Engine != tc.engine || r.Available != tc.available || r.Original != tc.text || r.Machine {
			t.Errorf("%s %s→%s: %+v", tc.text, tc.from, tc.to, r)
		}
	}
	if _, err := tr.Translate(context.Background(), "x", "fr", "en"); !errors.Is(err, ErrLocale) {
		t.Fatalf("unknown locale: %v", err)
	}
}

// fakeChat is a local OpenAI-compatible chat-completions server: it checks
// the request shape, records what it was sent, and translates from a small
// phrase table (or stalls or fails when told to).
type fakeChat struct {
	mu      sync.Mutex
	seen    []string // user messages
	systems []string
	stall   time.Duration
	status  int
	table   map[string]string
}

func (f *fakeChat) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/v1/chat/completions" || r.Header.Get("Content-Type") != "application/json" {
		http.Error(w, `{"error":{"type":"invalid_request_error"}}`, http.StatusBadRequest)
		return
	}
	var req struct {
		Model    string `json:"model"`
		Messages []struct{ Role, Content string }
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Model == "" || len(req.Messages) != 2 ||
		req.Messages[0].Role != "system" || req.Messages[1].Role != "user" {
		http.Error(w, `{"error":{"type":"invalid_request_error"}}`, http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	f.seen = append(f.seen, req.Messages[1].Content)
	f.systems = append(f.systems, req.Messages[0].Content)
	stall, status := f.stall, f.status
	f.mu.Unlock()
	if stall > 0 {
		select {
		case <-time.After(stall):
		case <-r.Context().Done():
			return
		}
	}
	if status != 0 {
		w.WriteHeader(status)
		_, _ = w.Write([]byte(`{"error":{"type":"server_error","code":"overloaded","message":"echo: ` + req.Messages[1].Content + `"}}`))
		return
	}
	out, ok := f.table[req.Messages[1].Content]
	if !ok {
		out = "???"
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"choices": []map[string]any{{"message": map[string]string{"role": "assistant", "content": out}, "finish_reason": "stop"}}})
}

func newFake(t *testing.T, f *fakeChat) *llm.OpenAI {
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return llm.NewOpenAI(srv.URL+"/v1", "test-model", "", llm.WithTimeout(2*time.Second))
}

func TestMachineTranslation(t *testing.T) {
	f := &fakeChat{table: map[string]string{
		"我要找人工客服，電話 [PHONE]":         "I want to talk to a human agent, phone [PHONE]",
		"Your refund is on its way.": "你的退款已經喺處理緊。",
	}}
	tr := Translator{Machine: newFake(t, f), Timeout: time.Second}
	ctx := context.Background()

	// The customer's words reach the model masked; the original stays beside the translation.
	r, err := tr.Translate(ctx, "我要找人工客服，電話 9123 4567", "zh-Hant", "en")
	if err != nil {
		t.Fatal(err)
	}
	if r.Text != "I want to talk to a human agent, phone [PHONE]" || r.Engine != EngineLLM || !r.Machine ||
		r.Original != "我要找人工客服，電話 [PHONE]" {
		t.Fatalf("zh→en: %+v", r)
	}
	for _, s := range f.seen {
		if strings.Contains(s, "9123") {
			t.Fatalf("raw phone number sent to the model: %q", s)
		}
	}
	if !strings.Contains(f.systems[0], "English") || !strings.Contains(f.systems[0], "Traditional") {
		t.Fatalf("system prompt does not name the pair: %q", f.systems[0])
	}

	// The agent's English draft in the customer's Cantonese.
	r, _ = tr.Translate(ctx, "Your refund is on its way.", "en", "yue-Hant")
	if r.Text != "你的退款已經喺處理緊。" || !r.Machine {
		t.Fatalf("en→yue: %+v", r)
	}

	// A reply in the wrong script is refused: no translation rather than a wrong one.
	f.table["Thanks"] = "谢谢" // Simplified for a Traditional target
	r, _ = tr.Translate(ctx, "Thanks", "en", "zh-Hant")
	if r.Available || r.Fallback != "failed" {
		t.Fatalf("wrong script accepted: %+v", r)
	}

	// Script-only pairs never call the model.
	n := len(f.seen)
	if r, _ = tr.Translate(ctx, "请帮我查订单", "zh-Hans", "zh-Hant"); r.Engine != EngineScript || len(f.seen) != n {
		t.Fatalf("script pair used the model: %+v", r)
	}
}

func TestMachineFailureFallsBack(t *testing.T) {
	slow := &fakeChat{stall: 3 * time.Second}
	tr := Translator{Machine: newFake(t, slow), Timeout: 200 * time.Millisecond}
	start := time.Now()
	r, err := tr.Translate(context.Background(), "出糧先落單", "yue-Hant", "en")
	if err != nil {
		t.Fatal(err)
	}
	if time.Since(start) > 2*time.Second || r.Fallback != "timeout" || r.Available {
		t.Fatalf("slow model: %+v after %s", r, time.Since(start))
	}

	down := &fakeChat{status: http.StatusServiceUnavailable}
	tr = Translator{Machine: newFake(t, down)}
	// zh → yue falls back to the offline script conversion.
	r, _ = tr.Translate(context.Background(), "请帮我查订单", "zh-Hans", "yue-Hant")
	if r.Fallback != "failed" || r.Text != "請幫我查訂單" || r.Engine != EngineScript || r.Machine {
		t.Fatalf("model down: %+v", r)
	}
}
