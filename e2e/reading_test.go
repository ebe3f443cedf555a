package e2e

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeReader is an OpenAI-compatible chat-completions server for the
// reading engine: requests with response_format json_schema get the
// scripted reading; grounded-answer requests get a 503, so answers fall
// back to retrieval. It records every user message it was sent.
type fakeReader struct {
	reading atomic.Value // string: the content of the reading reply
	mu      sync.Mutex
	seen    []string
}

func (f *fakeReader) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Model    string `json:"model"`
		Messages []struct {
			Role, Content string
		} `json:"messages"`
		ResponseFormat *struct {
			Type string `json:"type"`
		} `json:"response_format"`
	}
	w.Header().Set("Content-Type", "application/json")
	if r.Method != http.MethodPost || r.URL.Path != "/v1/chat/completions" || json.NewDecoder(r.Body).Decode(&req) != nil || req.Model == "" {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"error":{"message":"bad request","type":"invalid_request_error","code":null}}`))
		return
	}
	f.mu.Lock()
	for _, m := range req.Messages {
		f.seen = append(f.seen, m.Content)
	}
	f.mu.Unlock()
	if req.ResponseFormat == nil || req.ResponseFormat.Type != "json_schema" {
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte(`{"error":{"message":"overloaded","type":"server_error","code":null}}`))
		return
	}
	_ = json.NewEncoder(w).Encode(map[string]any{"object": "chat.completion", "model": req.Model,
		"choices": []any{map[string]any{"index": 0, "finish_reason": "stop",
			"message": map[string]any{"role": "assistant", "content": f.reading.Load().(string)}}}})
}

type readingView struct {
	ReadBy     string `json:"read_by"`
	Intent     string `json:"intent"`
	Transcript []struct {
		MessageID  string `json:"message_id"`
		ReadBy     string `json:"read_by"`
		Intent     string `json:"intent"`
		Correction *struct {
			Intent   string `json:"intent"`
			Negative bool   `json:"negative"`
			Agent    string `json:"agent"`
		} `json:"correction"`
	} `json:"transcript"`
}

// TestLLMReadingAndCorrection runs the real binary with HARBORDESK_LLM_URL
// pointing at a local fake: a schema answer is the reading (read_by llm),
// a garbage answer falls back to the offline classifier (read_by offline)
// and the customer is still answered; no personal data reaches the model;
// an agent corrects a reading through the API.
func TestLLMReadingAndCorrection(t *testing.T) {
	fake := &fakeReader{}
	fake.reading.Store(`{"language":"en","script":"Latn","intent":"business_hours","negative":false,"sentiment":0.1,"priority":"P4","confidence":0.95}`)
	srv := httptest.NewServer(fake)
	defer srv.Close()
	in := start(t, "HARBORDESK_LLM_URL="+srv.URL+"/v1", "HARBORDESK_LLM_MODEL=fake-model", "HARBORDESK_LLM_READ_TIMEOUT=1s")

	read := func(id string) readingView {
		var v readingView
		if code := in.call("GET", "/v1/contacts/"+id, adminKey, nil, &v); code != 200 {
			t.Fatalf("GET contact %d", code)
		}
		return v
	}

	a := in.post("web", "cust-llm-1", "conv-llm-1", "m-llm-1", "What time do you open on Sunday? Call me on 9123 4567")
	in.waitContact(a.ContactID, 10*time.Second, func(c contactView) bool { return c.botAnswers() > 0 })
	v := read(a.ContactID)
	if v.ReadBy != "llm" || len(v.Transcript) != 1 || v.Transcript[0].ReadBy != "llm" || v.Transcript[0].Intent != "business_hours" {
		t.Fatalf("schema answer not used as the reading: %+v", v)
	}

	fake.reading.Store("The customer wants to know the opening hours.")
	b := in.post("web", "cust-llm-2", "conv-llm-2", "m-llm-2", "What time do you close tonight?")
	in.waitContact(b.ContactID, 10*time.Second, func(c contactView) bool { return c.botAnswers() > 0 })
	if v := read(b.ContactID); v.ReadBy != "offline" || v.Transcript[0].ReadBy != "offline" {
		t.Fatalf("garbage answer did not fall back to the offline reading: %+v", v)
	}

	fake.mu.Lock()
	for _, s := range fake.seen {
		if strings.Contains(s, "9123 4567") || strings.Contains(s, "91234567") {
			t.Errorf("personal data reached the model: %q", s)
		}
	}
	fake.mu.Unlock()

	path := "/v1/contacts/" + a.ContactID + "/messages/m-llm-1/correction"
	var e struct {
		Error struct{ Code string } `json:"error"`
	}
	if code := in.call("POST", path, "agent-a", map[string]any{"intent": "opening_hours", "negative": false}, &e); code != 422 || e.Error.Code != "invalid" {
		t.Fatalf("unknown intent: %d %+v", code, e)
	}
	if code := in.call("POST", path, "intake-k", map[string]any{"intent": "complaint", "negative": true}, nil); code != 403 {
		t.Fatalf("intake key corrected a reading: %d", code)
	}
	if code := in.call("POST", path, "agent-a", map[string]any{"intent": "complaint", "negative": true}, nil); code != 200 {
		t.Fatalf("correction: %d", code)
	}
	c := read(a.ContactID).Transcript[0].Correction
	if c == nil || c.Intent != "complaint" || !c.Negative || c.Agent != "agent-a" {
		t.Fatalf("correction not shown: %+v", c)
	}
}
