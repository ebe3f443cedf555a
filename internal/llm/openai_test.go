package llm

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeChat is a local OpenAI-compatible chat-completions server: it checks
// the request the way the real API does (method, path, bearer key, JSON body
// with model and messages) and answers with a scripted reply.
type fakeChat struct {
	key   string
	reply func(req chatWire) (status int, body any)

	mu   sync.Mutex
	reqs []chatWire
}

// chatWire is the request as it arrives on the wire.
type chatWire struct {
	Model    string `json:"model"`
	Messages []struct {
		Role    string `json:"role"`
		Content string `json:"content"`
	} `json:"messages"`
	Temperature    *float64        `json:"temperature"`
	MaxTokens      int             `json:"max_tokens"`
	Stream         bool            `json:"stream"`
	ResponseFormat json.RawMessage `json:"response_format"`
}

func (f *fakeChat) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/v1/chat/completions" {
		writeJSON(w, http.StatusNotFound, apiError("invalid_request_error", "unknown_url"))
		return
	}
	if f.key != "" && r.Header.Get("Authorization") != "Bearer "+f.key {
		writeJSON(w, http.StatusUnauthorized, apiError("invalid_request_error", "invalid_api_key"))
		return
	}
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		writeJSON(w, http.StatusBadRequest, apiError("invalid_request_error", "bad_content_type"))
		return
	}
	var req chatWire
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Model == "" || len(req.Messages) == 0 {
		writeJSON(w, http.StatusBadRequest, apiError("invalid_request_error", "invalid_body"))
		return
	}
	f.mu.Lock()
	f.reqs = append(f.reqs, req)
	f.mu.Unlock()
	status, body := f.reply(req)
	if status == 0 { // "slow": hold the request until the client gives up
		<-r.Context().Done()
		return
	}
	writeJSON(w, status, body)
}

func (f *fakeChat) requests() []chatWire {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.reqs)
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if s, ok := body.(string); ok {
		_, _ = w.Write([]byte(s))
		return
	}
	_ = json.NewEncoder(w).Encode(body)
}

func apiError(typ, code string) map[string]any {
	return map[string]any{"error": map[string]any{"message": "scripted failure", "type": typ, "param": nil, "code": code}}
}

// completion is a chat.completion object as the API returns it.
func completion(content, finish string) map[string]any {
	return map[string]any{
		"id": "chatcmpl-test", "object": "chat.completion", "created": 1767225600, "model": "test-model",
		"choices": []any{map[string]any{"index": 0,
			"message":       map[string]any{"role": "assistant", "content": content},
			"finish_reason": finish}},
		"usage": map[string]any{"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120},
	}
}

func ok(content string) func(chatWire) (int, any) {
	return func(chatWire) (int, any) { return http.StatusOK, completion(content, "stop") }
}

func TestOpenAIAnswer(t *testing.T) {
	const masked = "我想退貨，我電話係 [PHONE]"
	tests := []struct {
		name        string
		locale      string
		reply       func(chatWire) (int, any)
		wantText    string
		wantSources []string
		wantErr     error
		wantStatus  int
	}{
		{name: "grounded answer", locale: "yue-Hant", reply: ok("未開封嘅貨品 14 日內可以退㗎。\nSOURCES: returns-policy"),
			wantText: "未開封嘅貨品 14 日內可以退㗎。", wantSources: []string{"returns-policy"}},
		{name: "hallucinated citation", locale: "yue-Hant", reply: ok("會員 9 折退貨。\nSOURCES: vip-discount"), wantErr: ErrUnknownSource},
		{name: "no answer", locale: "yue-Hant", reply: ok("NO_ANSWER"), wantErr: ErrNoAnswer},
		{name: "wrong script", locale: "yue-Hant", reply: ok("未开封的货品可以退货，请带同收据。\nSOURCES: returns-policy"), wantErr: ErrWrongScript},
		{name: "uncited", locale: "en", reply: ok("Unopened items can be returned within 14 days."), wantErr: ErrUncited},
		{name: "truncated", locale: "en", reply: func(chatWire) (int, any) {
			return http.StatusOK, completion("Unopened items can be", "length")
		}, wantErr: ErrTruncated},
		{name: "no choices", locale: "en", reply: func(chatWire) (int, any) {
			c := completion("", "stop")
			c["choices"] = []any{}
			return http.StatusOK, c
		}, wantErr: ErrEmpty},
		{name: "server error", locale: "en", reply: func(chatWire) (int, any) {
			return http.StatusInternalServerError, apiError("server_error", "")
		}, wantStatus: 500},
		{name: "rate limited", locale: "en", reply: func(chatWire) (int, any) {
			return http.StatusTooManyRequests, apiError("requests", "rate_limit_exceeded")
		}, wantStatus: 429},
		{name: "slow", locale: "en", reply: func(chatWire) (int, any) { return 0, nil }, wantErr: context.DeadlineExceeded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := &fakeChat{key: "sk-test", reply: tt.reply}
			srv := httptest.NewServer(fake)
			defer srv.Close()
			p := NewOpenAI(srv.URL+"/v1/", "test-model", "sk-test", WithTimeout(200*time.Millisecond))
			g, err := p.Answer(context.Background(), Question{Text: masked, Locale: tt.locale, Articles: parseArticles})
			switch {
			case tt.wantStatus != 0:
				var se *StatusError
				if !errors.As(err, &se) || se.Status != tt.wantStatus {
					t.Fatalf("err = %v, want HTTP %d", err, tt.wantStatus)
				}
			case !errors.Is(err, tt.wantErr):
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if err != nil && strings.Contains(err.Error(), "退") {
				t.Errorf("error carries text: %v", err)
			}
			if g.Text != tt.wantText || !slices.Equal(g.Sources, tt.wantSources) {
				t.Errorf("got %q %v", g.Text, g.Sources)
			}
			reqs := fake.requests()
			if len(reqs) != 1 {
				t.Fatalf("%d requests, want exactly 1 (no retries)", len(reqs))
			}
			r := reqs[0]
			if r.Model != "test-model" || r.Stream || r.Temperature == nil || *r.Temperature != 0 || r.MaxTokens != 400 {
				t.Errorf("request = model %q stream %v temperature %v max_tokens %d", r.Model, r.Stream, r.Temperature, r.MaxTokens)
			}
			if len(r.Messages) != 2 || r.Messages[0].Role != "system" || r.Messages[1].Role != "user" {
				t.Fatalf("messages = %+v", r.Messages)
			}
			for _, a := range parseArticles {
				if !strings.Contains(r.Messages[0].Content, "[ID: "+a.ID+"]") || !strings.Contains(r.Messages[0].Content, a.Body) {
					t.Errorf("article %s missing from the prompt", a.ID)
				}
			}
			if r.Messages[1].Content != masked {
				t.Errorf("user message = %q, want the masked text", r.Messages[1].Content)
			}
		})
	}
}

func TestOpenAIMasksRawText(t *testing.T) {
	fake := &fakeChat{reply: ok("Unopened items can be returned within 14 days.\nSOURCES: returns-policy")}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	p := NewOpenAI(srv.URL+"/v1", "test-model", "")
	raw := "Can I return it? Call me on 9123 4567 or mail chan.taiman@example.com"
	if _, err := p.Answer(context.Background(), Question{Text: raw, Locale: "en", Articles: parseArticles}); err != nil {
		t.Fatal(err)
	}
	got := fake.requests()[0].Messages[1].Content
	for _, leak := range []string{"9123", "4567", "chan.taiman", "example.com"} {
		if strings.Contains(got, leak) {
			t.Errorf("raw personal data %q reached the model: %q", leak, got)
		}
	}
	if !strings.Contains(got, "[PHONE]") || !strings.Contains(got, "[EMAIL]") {
		t.Errorf("masked text = %q", got)
	}
}

func TestOpenAITransportErrors(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T) (base, key string, q Question)
		want  error // nil: any error
		code  string
	}{
		{"no articles", func(t *testing.T) (string, string, Question) {
			return "http://127.0.0.1:1/v1", "", Question{Text: "hi", Locale: "en"}
		}, ErrNoArticles, ""},
		{"wrong key", func(t *testing.T) (string, string, Question) {
			srv := httptest.NewServer(&fakeChat{key: "sk-right", reply: ok("x")})
			t.Cleanup(srv.Close)
			return srv.URL + "/v1", "sk-wrong", Question{Text: "hi", Locale: "en", Articles: parseArticles}
		}, nil, "invalid_api_key"},
		{"not a chat completion", func(t *testing.T) (string, string, Question) {
			srv := httptest.NewServer(&fakeChat{reply: func(chatWire) (int, any) { return http.StatusOK, "<html>gateway</html>" }})
			t.Cleanup(srv.Close)
			return srv.URL + "/v1", "", Question{Text: "hi", Locale: "en", Articles: parseArticles}
		}, nil, ""},
		{"server down", func(t *testing.T) (string, string, Question) {
			srv := httptest.NewServer(http.NotFoundHandler())
			srv.Close()
			return srv.URL + "/v1", "", Question{Text: "hi", Locale: "en", Articles: parseArticles}
		}, nil, ""},
		{"bad base URL", func(t *testing.T) (string, string, Question) {
			return "http://bad host/v1", "", Question{Text: "hi", Locale: "en", Articles: parseArticles}
		}, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base, key, q := tt.setup(t)
			_, err := NewOpenAI(base, "test-model", key).Answer(context.Background(), q)
			if err == nil || (tt.want != nil && !errors.Is(err, tt.want)) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			var se *StatusError
			if tt.code != "" && (!errors.As(err, &se) || se.Code != tt.code) {
				t.Fatalf("err = %v, want code %s", err, tt.code)
			}
		})
	}
}

func TestStatusErrorText(t *testing.T) {
	tests := []struct {
		e    StatusError
		want string
	}{
		{StatusError{Status: 500}, "llm: chat completions: HTTP 500"},
		{StatusError{Status: 401, Type: "invalid_request_error", Code: "invalid_api_key"}, "llm: chat completions: HTTP 401 (invalid_request_error invalid_api_key)"},
	}
	for _, tt := range tests {
		if got := tt.e.Error(); got != tt.want {
			t.Errorf("%q, want %q", got, tt.want)
		}
	}
}
