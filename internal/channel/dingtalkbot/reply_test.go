package dingtalkbot

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeSession speaks DingTalk's sendBySession: POST JSON, answer 200 with
// {"errcode":0,"errmsg":"ok"}, or the errcode/status the test asks for.
type fakeSession struct {
	srv    *httptest.Server
	mu     sync.Mutex
	bodies []map[string]any
	status int
	answer string
}

func newFakeSession(t *testing.T) *fakeSession {
	f := &fakeSession{status: 200, answer: `{"errcode":0,"errmsg":"ok"}`}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/robot/sendBySession" || r.URL.Query().Get("session") == "" {
			w.WriteHeader(404)
			return
		}
		var b map[string]any
		if err := json.NewDecoder(r.Body).Decode(&b); err != nil || r.Header.Get("Content-Type") != "application/json" {
			io.WriteString(w, `{"errcode":40035,"errmsg":"bad param"}`)
			return
		}
		f.mu.Lock()
		f.bodies = append(f.bodies, b)
		f.mu.Unlock()
		w.WriteHeader(f.status)
		io.WriteString(w, f.answer)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeSession) webhook() string { return f.srv.URL + "/robot/sendBySession?session=abc" }

func (f *fakeSession) replier(now time.Time) *Replier {
	u, _ := url.Parse(f.srv.URL)
	return &Replier{AllowedHosts: []string{u.Host}, Now: func() time.Time { return now }}
}

func TestReply(t *testing.T) {
	now := time.Date(2025, 3, 1, 23, 0, 0, 0, time.UTC)
	f := newFakeSession(t)
	if err := f.replier(now).Reply(context.Background(), f.webhook(), now.Add(time.Hour), "你好，我哋幫你查吓"); err != nil {
		t.Fatal(err)
	}
	got, _ := json.Marshal(f.bodies[0])
	if string(got) != `{"msgtype":"text","text":{"content":"你好，我哋幫你查吓"}}` {
		t.Fatalf("body = %s", got)
	}
}

func TestReplyErrors(t *testing.T) {
	now := time.Date(2025, 3, 1, 23, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		status    int
		answer    string
		webhook   string // "" = the fake's
		expires   time.Time
		text      string
		hosts     []string // nil = the fake's host
		wantErr   error
		permanent bool
	}{
		{"errcode in 200 body", 200, `{"errcode":310000,"errmsg":"keywords not in content"}`, "", time.Time{}, "hi", nil, nil, true},
		{"too fast", 200, `{"errcode":130101,"errmsg":"send too fast"}`, "", time.Time{}, "hi", nil, nil, false},
		{"system busy", 200, `{"errcode":-1,"errmsg":"busy"}`, "", time.Time{}, "hi", nil, nil, false},
		{"no errcode", 200, `{}`, "", time.Time{}, "hi", nil, nil, true},
		{"not json", 200, `ok`, "", time.Time{}, "hi", nil, nil, true},
		{"502", 502, `bad gateway`, "", time.Time{}, "hi", nil, nil, false},
		{"429", 429, `{"errcode":130101}`, "", time.Time{}, "hi", nil, nil, false},
		{"403", 403, `{"errcode":300001,"errmsg":"token"}`, "", time.Time{}, "hi", nil, nil, true},
		{"expired", 200, ``, "", now.Add(-time.Second), "hi", nil, ErrSessionExpired, true},
		{"empty text", 200, ``, "", time.Time{}, "  ", nil, ErrBadReply, true},
		{"over-long text", 200, ``, "", time.Time{}, strings.Repeat("x", MaxTextBytes+1), nil, ErrBadReply, true},
		{"foreign host", 200, ``, "https://evil.example/robot/sendBySession?session=1", time.Time{}, "hi", nil, ErrWebhookNotAllowed, true},
		{"default hosts need https", 200, ``, "http://oapi.dingtalk.com/robot/sendBySession?session=1", time.Time{}, "hi", []string{}, ErrWebhookNotAllowed, true},
		{"default hosts reject others", 200, ``, "https://127.0.0.1/robot/sendBySession?session=1", time.Time{}, "hi", []string{}, ErrWebhookNotAllowed, true},
		{"not a url", 200, ``, "::", time.Time{}, "hi", nil, ErrWebhookNotAllowed, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeSession(t)
			f.status, f.answer = tt.status, tt.answer
			r := f.replier(now)
			if tt.hosts != nil {
				r.AllowedHosts = tt.hosts
			}
			hook := tt.webhook
			if hook == "" {
				hook = f.webhook()
			}
			err := r.Reply(context.Background(), hook, tt.expires, tt.text)
			if err == nil {
				t.Fatal("no error")
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if IsPermanent(err) != tt.permanent {
				t.Fatalf("IsPermanent(%v) = %v", err, !tt.permanent)
			}
			if strings.Contains(err.Error(), "session=") {
				t.Fatalf("error leaks the session URL: %v", err)
			}
		})
	}
}

func TestReplyTransportErrorIsRetryable(t *testing.T) {
	f := newFakeSession(t)
	hook := f.webhook()
	r := f.replier(time.Now())
	f.srv.Close()
	err := r.Reply(context.Background(), hook, time.Time{}, "hi")
	var te *TransportError
	if !errors.As(err, &te) || IsPermanent(err) || strings.Contains(err.Error(), "session=") {
		t.Fatalf("err = %v", err)
	}
	if IsPermanent(nil) || IsPermanent(errors.New("x")) {
		t.Fatal("IsPermanent true for nil/unknown")
	}
	// The zero Replier uses real defaults.
	if (&Replier{}).now().IsZero() || (&Replier{}).client() == nil {
		t.Fatal("zero Replier unusable")
	}
}
