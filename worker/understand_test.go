package worker

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/harbordesk/harbordesk/internal/contact"
	"github.com/harbordesk/harbordesk/internal/llm"
)

// TestUnderstandLLMEngine runs the understanding step against a local
// OpenAI-compatible server: a schema-conforming reading is used and marked
// read_by=llm; an error, a timeout or a garbage answer falls back to the
// offline reading, marked read_by=offline. Only masked text is sent.
func TestUnderstandLLMEngine(t *testing.T) {
	const text = "部雪櫃一送到就凹咗！我電話 91234567，即刻打俾我"
	offline := NewUnderstander().Understand(t.Context(), text)
	if offline.ReadBy != contact.ReadByOffline {
		t.Fatalf("offline reading read_by = %q", offline.ReadBy)
	}
	llmJSON := `{"language":"yue","script":"Hant","intent":"complaint","negative":true,"sentiment":-0.8,"priority":"P1","confidence":0.88}`
	tests := []struct {
		name   string
		status int
		reply  string
		want   string // read_by
	}{
		{"schema answer", http.StatusOK, llmJSON, contact.ReadByLLM},
		{"garbage", http.StatusOK, "I think this customer is upset.", contact.ReadByOffline},
		{"label outside the contract", http.StatusOK, strings.Replace(llmJSON, `"complaint"`, `"angry"`, 1), contact.ReadByOffline},
		{"server error", http.StatusServiceUnavailable, "", contact.ReadByOffline},
		{"timeout", 0, "", contact.ReadByOffline},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := &fakeLLM{reply: func([]string) (int, string) { return tt.status, tt.reply }}
			srv := httptest.NewServer(fake)
			defer srv.Close()
			u := NewUnderstander()
			u.LLM = llm.NewOpenAI(srv.URL+"/v1", "test-model", "sk-test", llm.WithReadTimeout(200*time.Millisecond))
			u.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
			start := time.Now()
			got := u.Understand(t.Context(), text)
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("understanding took %v; the read timeout is 200ms", d)
			}
			if got.ReadBy != tt.want {
				t.Fatalf("read_by = %q, want %q", got.ReadBy, tt.want)
			}
			if got.MaskedText != offline.MaskedText || got.Normalized != offline.Normalized {
				t.Errorf("masking/normalisation changed: %q", got.MaskedText)
			}
			if tt.want == contact.ReadByLLM {
				if got.Intent != "complaint" || !got.Negative || got.Priority != "P1" || got.Confidence != 0.88 || got.Sentiment != -0.8 {
					t.Errorf("llm labels not used: %+v", got)
				}
			} else if got.Intent != offline.Intent || got.Negative != offline.Negative || got.Priority != offline.Priority {
				t.Errorf("fallback reading %+v differs from offline %+v", got, offline)
			}
			reqs := fake.requests()
			if len(reqs) != 1 {
				t.Fatalf("%d requests, want 1", len(reqs))
			}
			for _, m := range reqs[0].Messages {
				if strings.Contains(m.Content, "91234567") {
					t.Fatalf("raw phone number left the process: %q", m.Content)
				}
			}
			if !strings.Contains(reqs[0].Messages[1].Content, "[PHONE]") {
				t.Errorf("model did not get the masked text: %q", reqs[0].Messages[1].Content)
			}
		})
	}
}
