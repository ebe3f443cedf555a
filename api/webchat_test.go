package api

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/harbordesk/harbordesk/internal/chatsession"
	"github.com/harbordesk/harbordesk/internal/config"
	"github.com/harbordesk/harbordesk/internal/contact"
	"github.com/harbordesk/harbordesk/internal/desk"
	"github.com/harbordesk/harbordesk/internal/identity"
	"github.com/harbordesk/harbordesk/internal/pgtest"
	"github.com/harbordesk/harbordesk/internal/store"
	"github.com/harbordesk/harbordesk/internal/store/contacts"
	"github.com/harbordesk/harbordesk/internal/webchat"
)

// Conversations seeded by chatEnv.
const (
	convA    = "wc-AAAAAAAAAAAAAAAAAAAAAA" // web, one customer message, one reply
	convB    = "wc-BBBBBBBBBBBBBBBBBBBBBB" // web, another customer
	convWA   = "wc-WWWWWWWWWWWWWWWWWWWWWW" // same shape of ID, but on WhatsApp
	convNone = "wc-NNNNNNNNNNNNNNNNNNNNNN" // never started
)

type chatEnv struct {
	t     testing.TB
	st    *store.Store
	srv   *Server
	ts    *httptest.Server
	dbURL string
	t0    time.Time
}

// Keys of the test server: contact IDs and session tokens.
var (
	testContactKey = []byte("test-contact-id-key-0123456789ab")
	testSessions   = mustSigner(time.Hour)
)

func mustSigner(ttl time.Duration) *chatsession.Signer {
	s, err := chatsession.New([]byte("test-chat-session-key-0123456789"), ttl)
	if err != nil {
		panic(err)
	}
	return s
}

const testIdentitySecret = "test-identity-secret"

// token is a session token for conv (as POST /v1/chat/sessions would issue).
func token(conv string) string {
	tok, _ := testSessions.Issue(chatsession.Claims{ConversationID: conv, CustomerID: "anon-test"})
	return tok
}

// chatPathConv is the conversation a /v1/chat/{conversation_id}/… path names.
func chatPathConv(path string) string {
	rest, ok := strings.CutPrefix(path, "/v1/chat/")
	if !ok {
		return ""
	}
	conv, _, _ := strings.Cut(rest, "/")
	return conv
}

// newChatEnv migrates a fresh database, seeds the conversations above and
// serves the API with MountWebChat (heartbeat as given).
func newChatEnv(t testing.TB, heartbeat time.Duration) *chatEnv {
	t.Helper()
	e := &chatEnv{t: t, st: pgtest.New(t), t0: time.Now().UTC().Truncate(time.Millisecond)}
	e.dbURL = e.st.Pool.Config().ConnString()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(func() {
		if e.ts != nil {
			e.ts.Close()
		}
		cancel()
	})
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	e.srv = &Server{Store: e.st, MaxBody: 1 << 20, Log: log, Registry: prometheus.NewRegistry(),
		Desk:    &desk.Desk{Store: e.st, ContactKey: testContactKey},
		Replies: store.NewReplyHub(ctx, e.st, log),
		Keys: map[string]config.APIKey{
			"public-key": {Key: "public-key", Role: config.RolePublic, Identity: "shop-web"},
			"intake-key": {Key: "intake-key", Role: config.RoleIntake, Identity: "shop-server"},
			"agent-key":  {Key: "agent-key", Role: config.RoleAgent, Identity: "agent-ken"},
		},
		Extra: []func(*gin.Engine, *Server){func(r *gin.Engine, s *Server) {
			mountWebChat(r, s, webChat{s: s, o: WebChat{Sessions: testSessions, IdentitySecret: []byte(testIdentitySecret), SubjectKey: []byte("subject-key")}, heartbeat: heartbeat, maxLife: time.Minute})
		}, MountPrivacy(Privacy{SubjectKey: []byte("subject-key")})}}
	e.ts = httptest.NewServer(e.srv.Handler())

	e.seed("web", convA, "cust-a", "m-a1", "你哋幾點收舖？我電話係 [PHONE]")
	e.reply("web", convA, "r-a1", contact.AuthorBot, "", "我哋朝十晚八", 1)
	e.seed("web", convB, "cust-b", "m-b1", "B's secret order question")
	e.reply("web", convB, "r-b1", contact.AuthorBot, "", "B's private answer", 1)
	e.seed("whatsapp", convWA, "85290000000", "m-w1", "WhatsApp text")
	e.reply("whatsapp", convWA, "r-w1", contact.AuthorBot, "", "WhatsApp answer", 1)
	return e
}

func params(channel, conv, customer string) contact.Params {
	return contact.Params{ContactID: contact.KeyedID(testContactKey, contact.WorkflowID(channel, conv)), Channel: channel,
		ConversationID: conv, CustomerID: customer, Arm: "ai"}
}

func (e *chatEnv) seed(channel, conv, customer, messageID, masked string) {
	e.t.Helper()
	ctx := context.Background()
	p := params(channel, conv, customer)
	if _, _, err := contacts.New(e.st.Pool).EnsureContact(ctx, contacts.NewContact{ID: p.ContactID, WorkflowID: contact.WorkflowID(channel, conv),
		Channel: channel, ConversationID: conv, CustomerID: customer, Arm: "ai", ReceivedAt: e.t0}); err != nil {
		e.t.Fatal(err)
	}
	if _, err := contacts.New(e.st.Pool).RecordIntake(ctx, contacts.Intake{Params: p, MessageID: messageID, Kind: "text", ReceivedAt: e.t0,
		Reading:    contact.Reading{Language: "yue", Script: "Hant", Intent: "business_hours", Priority: "P4", MaskedText: masked},
		TicketKind: contact.TicketKind("business_hours"), Summary: "hours", NoticeVer: "v1"}); err != nil {
		e.t.Fatal(err)
	}
}

func (e *chatEnv) reply(channel, conv, key, author, agent, text string, n int) {
	e.t.Helper()
	p := params(channel, conv, "")
	if _, err := contacts.New(e.st.Pool).RecordReply(context.Background(), contacts.ReplyRecord{Params: p,
		Reply:      contact.Reply{Key: key, Author: author, Agent: agent, Kind: contact.KindAnswer, Text: text},
		MaskedText: text, At: e.t0.Add(time.Duration(n) * time.Second)}); err != nil {
		e.t.Error(err) // may run on a goroutine: no Fatal
	}
}

func (e *chatEnv) get(ctx context.Context, path, key string, hdr ...string) *http.Response {
	e.t.Helper()
	return e.doCtx(ctx, "GET", path, key, nil, hdr...)
}

// do sends a request with key and, on /v1/chat/{conversation}/… paths,
// that conversation's session token; hdr are header name/value pairs that
// override (an empty X-Chat-Session removes the token).
func (e *chatEnv) do(method, path, key string, body io.Reader, hdr ...string) *http.Response {
	e.t.Helper()
	return e.doCtx(context.Background(), method, path, key, body, hdr...)
}

func (e *chatEnv) doCtx(ctx context.Context, method, path, key string, body io.Reader, hdr ...string) *http.Response {
	e.t.Helper()
	req, err := http.NewRequestWithContext(ctx, method, e.ts.URL+path, body)
	if err != nil {
		e.t.Fatal(err)
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	if conv := chatPathConv(path); conv != "" {
		req.Header.Set(SessionHeader, token(conv)) // the session of the path's conversation, unless hdr says otherwise
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		if hdr[i] == SessionHeader && hdr[i+1] == "" {
			req.Header.Del(SessionHeader)
			continue
		}
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp
}

func (e *chatEnv) transcript(path string) (webchat.Transcript, string) {
	e.t.Helper()
	resp := e.get(context.Background(), path, "public-key")
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		e.t.Fatalf("GET %s: %d %s", path, resp.StatusCode, body)
	}
	var tr webchat.Transcript
	if err := json.Unmarshal(body, &tr); err != nil {
		e.t.Fatal(err)
	}
	return tr, string(body)
}

func TestWebChatAuthAndValidation(t *testing.T) {
	e := newChatEnv(t, time.Minute)
	expired, _ := mustSigner(time.Nanosecond).Issue(chatsession.Claims{ConversationID: convA, CustomerID: "anon-test"})
	otherKey, _ := chatsession.New([]byte("another-servers-session-key-0123"), time.Hour)
	forged, _ := otherKey.Issue(chatsession.Claims{ConversationID: convA, CustomerID: "anon-test"})
	tests := []struct {
		name, path, key string
		session         []string // X-Chat-Session override ("" removes it); nil: the path's own
		status          int
		code            string
	}{
		{"messages without key", "/v1/chat/" + convA + "/messages", "", nil, 401, "unauthorized"},
		{"messages with unknown key", "/v1/chat/" + convA + "/messages", "nope", nil, 401, "unauthorized"},
		{"events without key", "/v1/chat/" + convA + "/events", "", nil, 401, "unauthorized"},
		{"public key with its session reads", "/v1/chat/" + convA + "/messages", "public-key", nil, 200, ""},
		{"intake key with a session reads", "/v1/chat/" + convA + "/messages", "intake-key", nil, 200, ""},
		{"no session", "/v1/chat/" + convA + "/messages", "public-key", []string{SessionHeader, ""}, 401, "unauthorized"},
		{"no session on events", "/v1/chat/" + convA + "/events", "public-key", []string{SessionHeader, ""}, 401, "unauthorized"},
		{"no session, agent key", "/v1/chat/" + convA + "/messages", "agent-key", []string{SessionHeader, ""}, 401, "unauthorized"},
		{"forged session", "/v1/chat/" + convA + "/messages", "public-key", []string{SessionHeader, forged}, 401, "unauthorized"},
		{"tampered session", "/v1/chat/" + convA + "/messages", "public-key", []string{SessionHeader, token(convA) + "x"}, 401, "unauthorized"},
		{"expired session", "/v1/chat/" + convA + "/messages", "public-key", []string{SessionHeader, expired}, 401, "session_expired"},
		{"another conversation's session", "/v1/chat/" + convA + "/messages", "public-key", []string{SessionHeader, token(convB)}, 403, "forbidden"},
		{"another conversation's session on events", "/v1/chat/" + convA + "/events", "public-key", []string{SessionHeader, token(convB)}, 403, "forbidden"},
		{"consent with another conversation's session", "/v1/chat/" + convA + "/consent", "public-key", []string{SessionHeader, token(convB)}, 403, "forbidden"},
		{"bad after", "/v1/chat/" + convA + "/messages?after=-1", "public-key", nil, 422, "invalid"},
		{"bad after on events", "/v1/chat/" + convA + "/events?after=x", "public-key", nil, 422, "invalid"},
		{"bad Last-Event-ID", "/v1/chat/" + convA + "/events", "public-key", []string{"Last-Event-ID", "abc"}, 422, "invalid"},
		{"wait too long", "/v1/chat/" + convA + "/messages?wait=31s", "public-key", nil, 422, "invalid"},
		{"wait not a duration", "/v1/chat/" + convA + "/messages?wait=soon", "public-key", nil, 422, "invalid"},
		{"page needs no key", "/chat/", "", nil, 200, ""},
		{"widget needs no key", "/chat/widget.js", "", nil, 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			method := "GET"
			if strings.HasSuffix(tt.path, "/consent") {
				method = "POST"
			}
			resp := e.do(method, tt.path, tt.key, nil, tt.session...)
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.status, body)
			}
			if tt.code != "" && !strings.Contains(string(body), `"code":"`+tt.code+`"`) {
				t.Errorf("body %s lacks code %q", body, tt.code)
			}
		})
	}
}

func TestChatSessionsOpen(t *testing.T) {
	e := newChatEnv(t, time.Minute)
	open := func(key, body string) (int, map[string]any) {
		t.Helper()
		var rd io.Reader
		if body != "" {
			rd = strings.NewReader(body)
		}
		resp := e.do("POST", "/v1/chat/sessions", key, rd, "Content-Type", "application/json")
		defer resp.Body.Close()
		var out map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&out)
		return resp.StatusCode, out
	}
	good := identity.Hash([]byte(testIdentitySecret), "cust-1001")

	t.Run("anonymous", func(t *testing.T) {
		for _, body := range []string{"", "{}"} {
			code, out := open("public-key", body)
			conv, _ := out["conversation_id"].(string)
			cust, _ := out["customer_id"].(string)
			if code != 201 || out["verified"] != false || !webchat.ValidConversationID(conv) || !strings.HasPrefix(cust, "anon-") || out["expires_at"] == nil {
				t.Fatalf("body %q: %d %v", body, code, out)
			}
			cl, err := testSessions.Verify(out["session_token"].(string))
			if err != nil || cl.ConversationID != conv || cl.CustomerID != cust || cl.Verified {
				t.Errorf("token claims %+v, %v", cl, err)
			}
		}
		_, a := open("public-key", "{}")
		_, b := open("public-key", "{}")
		if a["conversation_id"] == b["conversation_id"] || a["customer_id"] == b["customer_id"] {
			t.Error("two sessions share a conversation or customer")
		}
	})
	t.Run("verified", func(t *testing.T) {
		code, out := open("public-key", `{"customer_id":"cust-1001","customer_hash":"`+good+`"}`)
		if code != 201 || out["verified"] != true || out["customer_id"] != "cust-1001" {
			t.Fatalf("%d %v", code, out)
		}
	})
	t.Run("customer_id without a hash is anonymous", func(t *testing.T) {
		code, out := open("public-key", `{"customer_id":"cust-1001"}`)
		if code != 201 || out["verified"] != false || out["customer_id"] == "cust-1001" {
			t.Fatalf("%d %v", code, out)
		}
	})
	for name, tc := range map[string]struct {
		key, body string
		status    int
	}{
		"wrong hash":               {"public-key", `{"customer_id":"cust-1001","customer_hash":"` + strings.Repeat("00", 32) + `"}`, 403},
		"another customer's hash":  {"public-key", `{"customer_id":"cust-1002","customer_hash":"` + good + `"}`, 403},
		"hash without customer_id": {"public-key", `{"customer_hash":"` + good + `"}`, 422},
		"control chars in id":      {"public-key", `{"customer_id":"c-\u001b[31m","customer_hash":"` + good + `"}`, 422},
		"NUL in id":                {"public-key", `{"customer_id":"c\u0000","customer_hash":"` + good + `"}`, 422},
		"not JSON":                 {"public-key", `{`, 400},
		"no key":                   {"", `{}`, 401},
	} {
		t.Run(name, func(t *testing.T) {
			if code, out := open(tc.key, tc.body); code != tc.status || out["error"] == nil {
				t.Errorf("%d %v, want %d with an error body", code, out, tc.status)
			}
		})
	}
}

func TestChatSessionConsent(t *testing.T) {
	e := newChatEnv(t, time.Minute)
	resp := e.do("POST", "/v1/chat/"+convA+"/consent", "public-key", strings.NewReader(`{"purpose":"training","granted":true}`))
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("consent: %d %s", resp.StatusCode, body)
	}
	var granted bool
	if err := e.st.Pool.QueryRow(context.Background(),
		`SELECT granted FROM consents WHERE customer_id = 'anon-test' AND purpose = 'training'`).Scan(&granted); err != nil || !granted {
		t.Errorf("consent of the session's customer not recorded: %v %v", granted, err)
	}
	for name, b := range map[string]string{
		"other purpose":   `{"purpose":"marketing","granted":true}`,
		"granted missing": `{"purpose":"training"}`,
	} {
		resp := e.do("POST", "/v1/chat/"+convA+"/consent", "public-key", strings.NewReader(b))
		resp.Body.Close()
		if resp.StatusCode != 422 {
			t.Errorf("%s: %d, want 422", name, resp.StatusCode)
		}
	}
	// The customer endpoint is for admins: a public key cannot name a customer.
	resp = e.do("POST", "/v1/customers/anon-test/consent", "public-key", strings.NewReader(`{"purpose":"training","granted":false}`))
	resp.Body.Close()
	if resp.StatusCode != 403 {
		t.Errorf("public key on /v1/customers/{id}/consent: %d, want 403", resp.StatusCode)
	}
}

func TestWebChatPageHeaders(t *testing.T) {
	e := newChatEnv(t, time.Minute)
	for path, ctype := range map[string]string{"/chat/": "text/html; charset=utf-8", "/chat/widget.js": "text/javascript; charset=utf-8"} {
		resp := e.get(context.Background(), path, "")
		resp.Body.Close()
		if resp.Header.Get("Content-Type") != ctype || !strings.Contains(resp.Header.Get("Content-Security-Policy"), "script-src 'self'") {
			t.Errorf("%s: Content-Type %q, CSP %q", path, resp.Header.Get("Content-Type"), resp.Header.Get("Content-Security-Policy"))
		}
	}
}

func TestWebChatSeesOnlyItsOwnWebConversation(t *testing.T) {
	e := newChatEnv(t, time.Minute)
	e.reply("web", convA, "r-a2", contact.AuthorAgent, "agent-ken@shop.example", "我係客服小陳", 2)

	tr, body := e.transcript("/v1/chat/" + convA + "/messages")
	var texts []string
	for _, it := range tr.Items {
		texts = append(texts, it.Author+":"+it.Text)
	}
	want := []string{"customer:你哋幾點收舖？我電話係 [PHONE]", "bot:我哋朝十晚八", "agent:我係客服小陳"}
	if strings.Join(texts, "|") != strings.Join(want, "|") || tr.Replies != 2 || tr.ConversationID != convA {
		t.Errorf("transcript %+v, want items %v and 2 replies", tr, want)
	}
	for _, leak := range []string{"B's", "WhatsApp", "agent-ken", "cust-a", "contact_id", "ticket", "delivery"} {
		if strings.Contains(body, leak) {
			t.Errorf("conversation A's transcript shows %q: %s", leak, body)
		}
	}
	for _, conv := range []string{convWA, convNone} {
		tr, body := e.transcript("/v1/chat/" + conv + "/messages")
		if len(tr.Items) != 0 || tr.Replies != 0 || tr.State != webchat.StateNew {
			t.Errorf("%s: want an empty new conversation, got %s", conv, body)
		}
	}
}

func TestWebChatLongPoll(t *testing.T) {
	e := newChatEnv(t, time.Minute)
	t.Run("answers at once when a reply is already past the cursor", func(t *testing.T) {
		tr, _ := e.transcript("/v1/chat/" + convA + "/messages?after=0&wait=25s")
		if tr.Replies != 1 {
			t.Errorf("replies %d, want 1", tr.Replies)
		}
	})
	t.Run("returns early when a reply is recorded", func(t *testing.T) {
		go func() {
			time.Sleep(300 * time.Millisecond) // let the request start waiting
			e.reply("web", convA, "r-a2", contact.AuthorBot, "", "仲有咩可以幫到你？", 2)
		}()
		start := time.Now()
		tr, _ := e.transcript("/v1/chat/" + convA + "/messages?after=1&wait=25s")
		if took := time.Since(start); took > 20*time.Second {
			t.Errorf("long-poll sat out its wait (%v) instead of waking on the reply", took)
		}
		if tr.Replies != 2 || tr.Items[len(tr.Items)-1].Text != "仲有咩可以幫到你？" {
			t.Errorf("transcript %+v, want the new reply", tr)
		}
	})
	t.Run("another conversation's reply does not count", func(t *testing.T) {
		go e.reply("web", convB, "r-b2", contact.AuthorBot, "", "for B", 2)
		tr, _ := e.transcript("/v1/chat/" + convA + "/messages?after=2&wait=400ms")
		if tr.Replies != 2 {
			t.Errorf("replies %d, want still 2", tr.Replies)
		}
	})
	t.Run("ends when the client goes away", func(t *testing.T) {
		const route = "/v1/chat/:conversation_id/messages"
		before := served(t, e.srv.Registry, route)
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, "GET", e.ts.URL+"/v1/chat/"+convNone+"/messages?wait=25s", nil)
		req.Header.Set("Authorization", "Bearer public-key")
		req.Header.Set(SessionHeader, token(convNone))
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
			t.Fatalf("answered %d before the wait was over", resp.StatusCode)
		}
		waitServed(t, e.srv.Registry, route, before+1)
	})
}

// sseReader reads a text/event-stream response event by event.
type sseReader struct {
	t  testing.TB
	sc *bufio.Scanner
}

// next returns the next block's lines (an event or a comment).
func (r sseReader) next() []string {
	r.t.Helper()
	var lines []string
	for r.sc.Scan() {
		if r.sc.Text() == "" {
			if len(lines) > 0 {
				return lines
			}
			continue
		}
		lines = append(lines, r.sc.Text())
	}
	r.t.Fatalf("stream ended: %v", r.sc.Err())
	return nil
}

func (e *chatEnv) stream(ctx context.Context, path string, hdr ...string) sseReader {
	e.t.Helper()
	resp := e.get(ctx, path, "public-key", hdr...)
	e.t.Cleanup(func() { resp.Body.Close() })
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream" {
		b, _ := io.ReadAll(resp.Body)
		e.t.Fatalf("events: %d %q %s", resp.StatusCode, resp.Header.Get("Content-Type"), b)
	}
	r := sseReader{t: e.t, sc: bufio.NewScanner(resp.Body)}
	if got := r.next(); got[0] != ": connected" {
		e.t.Fatalf("first block %q, want the connected comment", got)
	}
	return r
}

func replyEvent(t *testing.T, lines []string) (id string, entry webchat.Entry) {
	t.Helper()
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "id:") || lines[1] != "event:reply" && lines[1] != "event: reply" || !strings.HasPrefix(lines[2], "data:") {
		t.Fatalf("not a reply event: %q", lines)
	}
	if err := json.Unmarshal([]byte(strings.TrimSpace(strings.TrimPrefix(lines[2], "data:"))), &entry); err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(strings.TrimPrefix(lines[0], "id:")), entry
}

func TestWebChatEvents(t *testing.T) {
	e := newChatEnv(t, time.Minute)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	t.Run("replays replies past the cursor", func(t *testing.T) {
		r := e.stream(ctx, "/v1/chat/"+convA+"/events")
		id, entry := replyEvent(t, r.next())
		if id != "1" || entry.Text != "我哋朝十晚八" || entry.Author != "bot" || entry.Seq != 1 {
			t.Errorf("event id %s entry %+v", id, entry)
		}
	})
	t.Run("delivers a new reply, and only this conversation's", func(t *testing.T) {
		r := e.stream(ctx, "/v1/chat/"+convA+"/events?after=1")
		go func() {
			time.Sleep(200 * time.Millisecond)
			e.reply("web", convB, "r-b2", contact.AuthorBot, "", "for B only", 2)
			e.reply("web", convA, "r-a2", contact.AuthorAgent, "agent-ken@shop.example", "我係客服小陳", 2)
		}()
		id, entry := replyEvent(t, r.next())
		if id != "2" || entry.Text != "我係客服小陳" || entry.Author != "agent" {
			t.Errorf("event id %s entry %+v, want A's agent reply", id, entry)
		}
	})
	t.Run("resumes from Last-Event-ID", func(t *testing.T) {
		r := e.stream(ctx, "/v1/chat/"+convA+"/events", "Last-Event-ID", "1")
		if id, entry := replyEvent(t, r.next()); id != "2" || entry.Text != "我係客服小陳" {
			t.Errorf("resumed at %s %+v, want 2", id, entry)
		}
	})
}

func TestWebChatEventsHeartbeatAndHangUp(t *testing.T) {
	e := newChatEnv(t, 50*time.Millisecond)
	ctx, cancel := context.WithCancel(context.Background())
	r := e.stream(ctx, "/v1/chat/"+convNone+"/events")
	for i := 0; i < 2; i++ {
		if got := r.next(); len(got) != 1 || got[0] != ": heartbeat" {
			t.Fatalf("block %q, want a heartbeat", got)
		}
	}
	cancel()
	waitServed(t, e.srv.Registry, "/v1/chat/:conversation_id/events", 1)
}

// waitServed waits until route has served n requests. The request metric is
// observed after the handler returns, so this is how a test sees a
// long-lived handler end once its client has gone (well before any wait).
func waitServed(t *testing.T, reg *prometheus.Registry, route string, n uint64) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if served(t, reg, route) >= n {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("%s: the handler kept running after its client left", route)
}

func served(t *testing.T, reg *prometheus.Registry, route string) uint64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var n uint64
	for _, mf := range mfs {
		if mf.GetName() != "harbordesk_http_request_seconds" {
			continue
		}
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "route" && l.GetValue() == route {
					n += m.GetHistogram().GetSampleCount()
				}
			}
		}
	}
	return n
}

func TestWebChatDependencyFailures(t *testing.T) {
	e := newChatEnv(t, time.Minute)
	broken, err := store.Open(context.Background(), e.dbURL, false)
	if err != nil {
		t.Fatal(err)
	}
	broken.Close() // every query now fails
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	tests := []struct {
		name    string
		replies *store.ReplyHub
		path    string
		status  int
	}{
		{"messages, store down", e.srv.Replies, "/v1/chat/" + convA + "/messages", 503},
		{"events, store down", e.srv.Replies, "/v1/chat/" + convA + "/events", 503},
		{"events without a reply hub", nil, "/v1/chat/" + convA + "/events", 503},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := broken
			if tt.replies == nil {
				st = e.st
			}
			srv := &Server{Store: st, MaxBody: 1 << 20, Log: log, Registry: prometheus.NewRegistry(), Replies: tt.replies,
				Desk: e.srv.Desk, Keys: e.srv.Keys, Extra: []func(*gin.Engine, *Server){MountWebChat(WebChat{Sessions: testSessions})}}
			ts := httptest.NewServer(srv.Handler())
			defer ts.Close()
			req, _ := http.NewRequest("GET", ts.URL+tt.path, nil)
			req.Header.Set("Authorization", "Bearer public-key")
			req.Header.Set(SessionHeader, token(chatPathConv(tt.path)))
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tt.status || !strings.Contains(string(body), `"error"`) {
				t.Errorf("status %d body %s, want %d with an error body", resp.StatusCode, body, tt.status)
			}
			if strings.Contains(string(body), "pool") || strings.Contains(string(body), "closed") {
				t.Errorf("internal error text leaked: %s", body)
			}
		})
	}
}

// BenchmarkWebChatMessages measures one transcript read over HTTP against
// PostgreSQL (the long-poll's re-read).
func BenchmarkWebChatMessages(b *testing.B) {
	e := newChatEnv(b, time.Minute)
	for i := 2; i <= 20; i++ {
		e.reply("web", convA, "r-bench-"+strconv.Itoa(i), contact.AuthorBot, "", "答覆 "+strconv.Itoa(i), i)
	}
	req, _ := http.NewRequest("GET", e.ts.URL+"/v1/chat/"+convA+"/messages", nil)
	req.Header.Set("Authorization", "Bearer public-key")
	req.Header.Set(SessionHeader, token(convA))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			b.Fatal(resp.StatusCode)
		}
	}
}
