package channel

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/harbordesk/harbordesk/internal/channel/dingtalkbot"
	"github.com/harbordesk/harbordesk/internal/channel/whatsapp"
)

var now = time.Date(2025, 3, 1, 23, 0, 0, 0, time.UTC)

// partners fakes both documented endpoints: the Graph API messages endpoint
// (optionally rejecting free-form text with 131047, or failing with a
// status) and DingTalk's sendBySession.
type partners struct {
	srv         *httptest.Server
	mu          sync.Mutex
	graph       []map[string]any
	ding        []map[string]any
	rejectText  bool
	graphStatus int
	dingErrcode int
}

func newPartners(t *testing.T) *partners {
	p := &partners{}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v21.0/PNID/messages", func(w http.ResponseWriter, r *http.Request) {
		var b map[string]any
		json.NewDecoder(r.Body).Decode(&b)
		p.mu.Lock()
		defer p.mu.Unlock()
		if r.Header.Get("Authorization") != "Bearer tok" {
			w.WriteHeader(401)
			io.WriteString(w, `{"error":{"code":190,"message":"bad token"}}`)
			return
		}
		if p.graphStatus != 0 {
			w.WriteHeader(p.graphStatus)
			io.WriteString(w, `{"error":{"code":100,"message":"x"}}`)
			return
		}
		if p.rejectText && b["type"] == "text" {
			w.WriteHeader(400)
			io.WriteString(w, `{"error":{"code":131047,"message":"Re-engagement message"}}`)
			return
		}
		p.graph = append(p.graph, b)
		io.WriteString(w, `{"messaging_product":"whatsapp","messages":[{"id":"wamid.OUT"}]}`)
	})
	mux.HandleFunc("POST /robot/sendBySession", func(w http.ResponseWriter, r *http.Request) {
		var b map[string]any
		json.NewDecoder(r.Body).Decode(&b)
		p.mu.Lock()
		defer p.mu.Unlock()
		p.ding = append(p.ding, b)
		json.NewEncoder(w).Encode(map[string]any{"errcode": p.dingErrcode, "errmsg": "x"})
	})
	p.srv = httptest.NewServer(mux)
	t.Cleanup(p.srv.Close)
	return p
}

func (p *partners) router() *Router {
	u, _ := url.Parse(p.srv.URL)
	return NewRouter(map[string]Sender{
		WhatsApp: WhatsAppSender{Client: whatsapp.NewClient(p.srv.URL+"/v21.0", "tok", "PNID"), Now: func() time.Time { return now }},
		DingTalk: DingTalkSender{Replier: &dingtalkbot.Replier{AllowedHosts: []string{u.Host}, Now: func() time.Time { return now }}},
	})
}

func TestRouterWhatsApp(t *testing.T) {
	tests := []struct {
		name       string
		last       time.Time
		locale     string
		rejectText bool
		wantType   string
		wantLang   string
	}{
		{"inside window sends text", now.Add(-time.Hour), "yue", false, "text", ""},
		{"outside window sends template", now.Add(-25 * time.Hour), "yue", false, "template", "zh_HK"},
		{"never wrote sends template", time.Time{}, "zh-Hans", false, "template", "zh_CN"},
		{"window closed per WhatsApp falls back", now.Add(-time.Hour), "en", true, "template", "en"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newPartners(t)
			p.rejectText = tt.rejectText
			ref, err := p.router().Send(context.Background(), Outbound{
				Channel: WhatsApp, To: "85291234567", Text: "你嘅訂單\n已經出貨", Key: "c1/r1", LastInbound: tt.last, Locale: tt.locale,
			})
			if err != nil || ref != "wamid.OUT" {
				t.Fatalf("Send = %q, %v", ref, err)
			}
			if len(p.graph) != 1 {
				t.Fatalf("%d sends recorded", len(p.graph))
			}
			b := p.graph[0]
			if b["type"] != tt.wantType || b["to"] != "85291234567" || b["biz_opaque_callback_data"] != "c1/r1" {
				t.Fatalf("body = %v", b)
			}
			if tt.wantType == "template" {
				tpl := b["template"].(map[string]any)
				lang := tpl["language"].(map[string]any)["code"]
				param := tpl["components"].([]any)[0].(map[string]any)["parameters"].([]any)[0].(map[string]any)["text"]
				if tpl["name"] != FollowupTemplate || lang != tt.wantLang || param != "你嘅訂單 已經出貨" {
					t.Fatalf("template = %v", tpl)
				}
			}
		})
	}
}

func TestRouterDingTalkAndWeb(t *testing.T) {
	p := newPartners(t)
	r := p.router()
	ref, err := r.Send(context.Background(), Outbound{Channel: DingTalk, Text: "收到", SessionWebhook: p.srv.URL + "/robot/sendBySession?session=s1", SessionWebhookExpires: now.Add(time.Hour)})
	if err != nil || ref != DingTalk || len(p.ding) != 1 {
		t.Fatalf("dingtalk Send = %q, %v (%d posts)", ref, err, len(p.ding))
	}
	if got, _ := json.Marshal(p.ding[0]); string(got) != `{"msgtype":"text","text":{"content":"收到"}}` {
		t.Fatalf("dingtalk body = %s", got)
	}
	ref, err = r.Send(context.Background(), Outbound{Channel: Web, Text: "hi"})
	if err != nil || ref != Web {
		t.Fatalf("web Send = %q, %v", ref, err)
	}
}

func TestRouterErrors(t *testing.T) {
	tests := []struct {
		name        string
		m           Outbound
		graphStatus int
		dingErrcode int
		wantErr     error
		permanent   bool
	}{
		{"unknown channel", Outbound{Channel: "sms", Text: "x"}, 0, 0, ErrUnknownChannel, true},
		{"whatsapp without recipient", Outbound{Channel: WhatsApp, Text: "x", LastInbound: now}, 0, 0, ErrNoRecipient, true},
		{"whatsapp 500 retryable", Outbound{Channel: WhatsApp, To: "852", Text: "x", LastInbound: now}, 500, 0, nil, false},
		{"whatsapp 400 permanent", Outbound{Channel: WhatsApp, To: "852", Text: "x", LastInbound: now}, 400, 0, nil, true},
		{"dingtalk without session", Outbound{Channel: DingTalk, Text: "x"}, 0, 0, ErrNoSession, true},
		{"dingtalk expired session", Outbound{Channel: DingTalk, Text: "x", SessionWebhook: "SELF", SessionWebhookExpires: now.Add(-time.Minute)}, 0, 0, dingtalkbot.ErrSessionExpired, true},
		{"dingtalk errcode permanent", Outbound{Channel: DingTalk, Text: "x", SessionWebhook: "SELF"}, 0, 310000, nil, true},
		{"dingtalk busy retryable", Outbound{Channel: DingTalk, Text: "x", SessionWebhook: "SELF"}, 0, -1, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newPartners(t)
			p.graphStatus, p.dingErrcode = tt.graphStatus, tt.dingErrcode
			if tt.m.SessionWebhook == "SELF" {
				tt.m.SessionWebhook = p.srv.URL + "/robot/sendBySession?session=s1"
			}
			_, err := p.router().Send(context.Background(), tt.m)
			if err == nil || (tt.wantErr != nil && !errors.Is(err, tt.wantErr)) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if IsPermanent(err) != tt.permanent {
				t.Fatalf("IsPermanent(%v) = %v", err, !tt.permanent)
			}
		})
	}
	if IsPermanent(nil) || IsPermanent(context.DeadlineExceeded) {
		t.Fatal("IsPermanent true for nil or timeout")
	}
}

func TestTemplateLanguage(t *testing.T) {
	for locale, want := range map[string]string{
		"yue": "zh_HK", "yue-Hant": "zh_HK", "zh-Hant": "zh_HK", "zh_HK": "zh_HK", "zh-TW": "zh_HK",
		"zh": "zh_CN", "zh-Hans": "zh_CN", "cmn": "zh_CN", "en": "en", "en-GB": "en", "": "en", "fr": "en",
	} {
		if got := TemplateLanguage(locale); got != want {
			t.Errorf("TemplateLanguage(%q) = %q, want %q", locale, got, want)
		}
	}
}

func TestNewRouterSkipsNilSenders(t *testing.T) {
	r := NewRouter(map[string]Sender{WhatsApp: nil})
	if _, err := r.Send(context.Background(), Outbound{Channel: WhatsApp}); !errors.Is(err, ErrUnknownChannel) {
		t.Fatalf("err = %v", err)
	}
}
