package worker

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/harbordesk/harbordesk/internal/kb"
	"github.com/harbordesk/harbordesk/internal/llm"
)

// fakeLLM is a local OpenAI-compatible chat-completions server: POST
// /v1/chat/completions with a bearer key and a JSON body {model, messages}
// answered by a scripted chat.completion (or an API error, or no reply).
type fakeLLM struct {
	reply func(ids []string) (status int, content string) // status 0: hang until the client gives up

	mu   sync.Mutex
	reqs []fakeLLMRequest
}

type fakeLLMRequest struct {
	Model    string `json:"model"`
	Messages []struct {
		Role    string `json:"role"`
		Content string `json:"content"`
	} `json:"messages"`
}

var promptIDRE = regexp.MustCompile(`\[ID: ([a-z0-9-]+)\]`)

func (f *fakeLLM) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	if r.Method != http.MethodPost || r.URL.Path != "/v1/chat/completions" || r.Header.Get("Authorization") != "Bearer sk-test" {
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"error":{"message":"bad request","type":"invalid_request_error","code":"invalid_api_key"}}`))
		return
	}
	var req fakeLLMRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || len(req.Messages) != 2 {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"error":{"message":"bad body","type":"invalid_request_error","code":null}}`))
		return
	}
	f.mu.Lock()
	f.reqs = append(f.reqs, req)
	f.mu.Unlock()
	var ids []string
	for _, m := range promptIDRE.FindAllStringSubmatch(req.Messages[0].Content, -1) {
		ids = append(ids, m[1])
	}
	status, content := f.reply(ids)
	switch {
	case status == 0:
		<-r.Context().Done()
	case status != http.StatusOK:
		w.WriteHeader(status)
		_, _ = w.Write([]byte(`{"error":{"message":"scripted","type":"server_error","code":null}}`))
	default:
		_ = json.NewEncoder(w).Encode(map[string]any{"id": "chatcmpl-1", "object": "chat.completion", "created": 1767225600,
			"model": req.Model, "choices": []any{map[string]any{"index": 0, "finish_reason": "stop",
				"message": map[string]any{"role": "assistant", "content": content}}}})
	}
}

func (f *fakeLLM) requests() []fakeLLMRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]fakeLLMRequest(nil), f.reqs...)
}

func TestGroundedAnswerer(t *testing.T) {
	now := time.Date(2026, 3, 10, 15, 0, 0, 0, time.FixedZone("HKT", 8*3600))
	const returnsQ = "退貨政策係點？我電話係 [PHONE]" // masked, as Compose passes it
	live := kb.NewLive(kb.DefaultArticles())
	want, ok := live.Index().Answer(returnsQ, "return_policy", "yue", "Hant", now)
	if !ok || want.ArticleID != "returns-policy" {
		t.Fatalf("retrieval baseline: %+v ok=%v", want, ok)
	}
	const llmText = "未開封嘅貨品 14 日內可以拎返嚟退㗎。"
	tests := []struct {
		name, q, intent, lang, script string
		reply                         func(ids []string) (int, string)
		wantOK                        bool
		wantText, wantArticle         string
		wantCalls                     int
		wantLog                       string
	}{
		{name: "grounded answer", q: returnsQ, intent: "return_policy", lang: "yue", script: "Hant",
			reply:  func(ids []string) (int, string) { return 200, llmText + "\nSOURCES: " + ids[0] },
			wantOK: true, wantText: llmText, wantArticle: "returns-policy", wantCalls: 1},
		{name: "article id is the first cited", q: returnsQ, intent: "return_policy", lang: "yue", script: "Hant",
			reply:  func(ids []string) (int, string) { return 200, llmText + "\nSOURCES: " + ids[1] + ", " + ids[0] },
			wantOK: true, wantText: llmText, wantArticle: "(second)", wantCalls: 1},
		{name: "hallucinated citation", q: returnsQ, intent: "return_policy", lang: "yue", script: "Hant",
			reply:  func([]string) (int, string) { return 200, llmText + "\nSOURCES: vip-lifetime-returns" },
			wantOK: true, wantText: want.Text, wantArticle: "returns-policy", wantCalls: 1, wantLog: "cites an article it was not given"},
		{name: "no answer", q: returnsQ, intent: "return_policy", lang: "yue", script: "Hant",
			reply:  func([]string) (int, string) { return 200, "NO_ANSWER" },
			wantOK: true, wantText: want.Text, wantArticle: "returns-policy", wantCalls: 1, wantLog: "no answer"},
		{name: "wrong script", q: returnsQ, intent: "return_policy", lang: "yue", script: "Hant",
			reply: func(ids []string) (int, string) {
				return 200, "未开封的货品可以退货，请带同收据。\nSOURCES: " + ids[0]
			},
			wantOK: true, wantText: want.Text, wantArticle: "returns-policy", wantCalls: 1, wantLog: "language or script"},
		{name: "server error", q: returnsQ, intent: "return_policy", lang: "yue", script: "Hant",
			reply:  func([]string) (int, string) { return 500, "" },
			wantOK: true, wantText: want.Text, wantArticle: "returns-policy", wantCalls: 1, wantLog: "HTTP 500"},
		{name: "slow", q: returnsQ, intent: "return_policy", lang: "yue", script: "Hant",
			reply:  func([]string) (int, string) { return 0, "" },
			wantOK: true, wantText: want.Text, wantArticle: "returns-policy", wantCalls: 1, wantLog: "deadline exceeded"},
		{name: "no confident retrieval: llm not asked", q: "Can you recommend a good dentist in Causeway Bay?", intent: "other", lang: "en", script: "Latn",
			reply:  func(ids []string) (int, string) { return 200, "Try Dr Wong.\nSOURCES: " + ids[0] },
			wantOK: false, wantCalls: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := &fakeLLM{reply: tt.reply}
			srv := httptest.NewServer(fake)
			defer srv.Close()
			var logs bytes.Buffer
			g := GroundedAnswerer{KB: live, Log: slog.New(slog.NewTextHandler(&logs, nil)),
				LLM: llm.NewOpenAI(srv.URL+"/v1", "test-model", "sk-test", llm.WithTimeout(150*time.Millisecond))}
			got, ok := g.Answer(t.Context(), tt.q, tt.intent, tt.lang, tt.script, now)
			reqs := fake.requests()
			if ok != tt.wantOK || len(reqs) != tt.wantCalls {
				t.Fatalf("ok=%v calls=%d, want ok=%v calls=%d", ok, len(reqs), tt.wantOK, tt.wantCalls)
			}
			if !ok {
				return
			}
			r := reqs[0]
			ids := promptIDRE.FindAllStringSubmatch(r.Messages[0].Content, -1)
			if r.Model != "test-model" || r.Messages[1].Content != tt.q || len(ids) != DefaultGroundingArticles || ids[0][1] != "returns-policy" {
				t.Fatalf("request: model %q user %q ids %v", r.Model, r.Messages[1].Content, ids)
			}
			if !strings.Contains(r.Messages[0].Content, want.Text) {
				t.Errorf("the retrieval answer's text is not in the prompt")
			}
			wantArticle := tt.wantArticle
			if wantArticle == "(second)" {
				wantArticle = ids[1][1]
			}
			if got.Text != tt.wantText || got.ArticleID != wantArticle || got.Locale != "yue-Hant" || got.Confidence != want.Confidence {
				t.Errorf("got %+v, want text %q article %s", got, tt.wantText, wantArticle)
			}
			if !strings.Contains(logs.String(), tt.wantLog) || (tt.wantLog == "" && logs.Len() > 0) {
				t.Errorf("log = %q, want %q", logs.String(), tt.wantLog)
			}
			if strings.Contains(logs.String(), "退貨") || strings.Contains(logs.String(), "货品") {
				t.Errorf("log carries text: %q", logs.String())
			}
		})
	}
}

func TestGroundedAnswererWithoutLLM(t *testing.T) {
	now := time.Date(2026, 3, 10, 15, 0, 0, 0, time.FixedZone("HKT", 8*3600))
	live := kb.NewLive(kb.DefaultArticles())
	tests := []struct {
		q, intent, lang, script string
		wantOK                  bool
	}{
		{"return policy?", "return_policy", "en", "Latn", true},
		{"退货政策是怎样？", "return_policy", "zh", "Hans", true},
		{"今日天氣點呀", "other", "yue", "Hant", false},
	}
	for _, tt := range tests {
		want, wantOK := live.Index().Answer(tt.q, tt.intent, tt.lang, tt.script, now)
		got, ok := GroundedAnswerer{KB: live}.Answer(t.Context(), tt.q, tt.intent, tt.lang, tt.script, now)
		if ok != tt.wantOK || ok != wantOK || got.Text != want.Text || got.ArticleID != want.ArticleID || got.Locale != want.Locale {
			t.Errorf("%q: got %+v ok=%v, want %+v ok=%v", tt.q, got, ok, want, wantOK)
		}
	}
}

func TestLocaleVersion(t *testing.T) {
	a := kb.Article{Versions: map[string]kb.Version{
		kb.LocaleYueHant: {Title: "退貨", Body: "未開封嘅貨品可以退"},
		kb.LocaleZhHans:  {Title: "退货", Body: "未开封的货品可以退货"},
	}}
	onlyHant := kb.Article{Versions: map[string]kb.Version{kb.LocaleZhHant: {Title: "退貨", Body: "貨品可以退貨"}}}
	tests := []struct {
		a      kb.Article
		loc    string
		want   string
		wantOK bool
	}{
		{a, kb.LocaleYueHant, "未開封嘅貨品可以退", true},
		{a, kb.LocaleYueHans, "未开封嘅货品可以退", true},
		{a, kb.LocaleZhHans, "未开封的货品可以退货", true},
		{a, kb.LocaleZhHant, "未開封的貨品可以退貨", true},
		{a, kb.LocaleEn, "", false},
		{onlyHant, kb.LocaleYueHant, "貨品可以退貨", true},
		{onlyHant, kb.LocaleYueHans, "货品可以退货", true},
		{onlyHant, kb.LocaleZhHans, "货品可以退货", true},
		{onlyHant, "fr", "", false},
	}
	for _, tt := range tests {
		v, ok := localeVersion(tt.a, tt.loc)
		if ok != tt.wantOK || v.Body != tt.want {
			t.Errorf("%s: %q ok=%v, want %q ok=%v", tt.loc, v.Body, ok, tt.want, tt.wantOK)
		}
	}
}
