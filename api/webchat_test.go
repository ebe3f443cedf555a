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

	"github.com/harbordesk/harbordesk/internal/config"
	"github.com/harbordesk/harbordesk/internal/contact"
	"github.com/harbordesk/harbordesk/internal/pgtest"
	"github.com/harbordesk/harbordesk/internal/store"
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
		Replies: store.NewReplyHub(ctx, e.st, log),
		Keys: map[string]config.APIKey{
			"intake-key": {Key: "intake-key", Role: config.RoleIntake, Identity: "shop-web"},
			"agent-key":  {Key: "agent-key", Role: config.RoleAgent, Identity: "agent-ken"},
		},
		Extra: []func(*gin.Engine, *Server){func(r *gin.Engine, s *Server) {
			mountWebChat(r, s, webChat{s: s, heartbeat: heartbeat, maxLife: time.Minute})
		}}}
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
	return contact.Params{ContactID: contact.ID(contact.WorkflowID(channel, conv)), Channel: channel,
		ConversationID: conv, CustomerID: customer, Arm: "ai"}
}

func (e *chatEnv) seed(channel, conv, customer, messageID, masked string) {
	e.t.Helper()
	ctx := context.Background()
	p := params(channel, conv, customer)
	if _, err := e.st.EnsureContact(ctx, store.NewContact{ID: p.ContactID, WorkflowID: contact.WorkflowID(channel, conv),
		Channel: channel, ConversationID: conv, CustomerID: customer, Arm: "ai", ReceivedAt: e.t0}); err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.st.RecordIntake(ctx, store.Intake{Params: p, MessageID: messageID, Kind: "text", ReceivedAt: e.t0,
		Reading:    contact.Reading{Language: "yue", Script: "Hant", Intent: "business_hours", Priority: "P4", MaskedText: masked},
		TicketKind: contact.TicketKind("business_hours"), Summary: "hours", NoticeVer: "v1"}); err != nil {
		e.t.Fatal(err)
	}
}

func (e *chatEnv) reply(channel, conv, key, author, agent, text string, n int) {
	e.t.Helper()
	p := params(channel, conv, "")
	if _, err := e.st.RecordReply(context.Background(), store.ReplyRecord{Params: p,
		Reply:      contact.Reply{Key: key, Author: author, Agent: agent, Kind: contact.KindAnswer, Text: text},
		MaskedText: text, At: e.t0.Add(time.Duration(n) * time.Second)}); err != nil {
		e.t.Error(err) // may run on a goroutine: no Fatal
	}
}

func (e *chatEnv) get(ctx context.Context, path, key string, hdr ...string) *http.Response {
	e.t.Helper()
	req, err := http.NewRequestWithContext(ctx, "GET", e.ts.URL+path, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
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
	resp := e.get(context.Background(), path, "intake-key")
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
	tests := []struct {
		name, path, key string
		status          int
		code            string
	}{
		{"messages without key", "/v1/chat/" + convA + "/messages", "", 401, "unauthorized"},
		{"messages with unknown key", "/v1/chat/" + convA + "/messages", "nope", 401, "unauthorized"},
		{"events without key", "/v1/chat/" + convA + "/events", "", 401, "unauthorized"},
		{"intake key reads", "/v1/chat/" + convA + "/messages", "intake-key", 200, ""},
		{"agent key reads too", "/v1/chat/" + convA + "/messages", "agent-key", 200, ""},
		{"guessable conversation id", "/v1/chat/k1/messages", "intake-key", 422, "invalid"},
		{"guessable id on events", "/v1/chat/order-1234/events", "intake-key", 422, "invalid"},
		{"id with a dot", "/v1/chat/wc-AAAAAAAAAAAAAAAAAAAA.AA/messages", "intake-key", 422, "invalid"},
		{"bad after", "/v1/chat/" + convA + "/messages?after=-1", "intake-key", 422, "invalid"},
		{"bad after on events", "/v1/chat/" + convA + "/events?after=x", "intake-key", 422, "invalid"},
		{"bad Last-Event-ID", "/v1/chat/" + convA + "/events", "intake-key", 422, "invalid"},
		{"wait too long", "/v1/chat/" + convA + "/messages?wait=31s", "intake-key", 422, "invalid"},
		{"wait not a duration", "/v1/chat/" + convA + "/messages?wait=soon", "intake-key", 422, "invalid"},
		{"page needs no key", "/chat/", "", 200, ""},
		{"widget needs no key", "/chat/widget.js", "", 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var hdr []string
			if tt.name == "bad Last-Event-ID" {
				hdr = []string{"Last-Event-ID", "abc"}
			}
			resp := e.get(context.Background(), tt.path, tt.key, hdr...)
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
		req.Header.Set("Authorization", "Bearer intake-key")
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
	resp := e.get(ctx, path, "intake-key", hdr...)
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
				Keys: e.srv.Keys, Extra: []func(*gin.Engine, *Server){MountWebChat}}
			ts := httptest.NewServer(srv.Handler())
			defer ts.Close()
			req, _ := http.NewRequest("GET", ts.URL+tt.path, nil)
			req.Header.Set("Authorization", "Bearer intake-key")
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
	req.Header.Set("Authorization", "Bearer intake-key")
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
