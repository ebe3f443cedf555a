package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// WhatsApp status webhooks reconciled end to end: the real binary answers two
// customers through the fake Graph API, then WhatsApp (this test) reports
// one reply delivered and read and the other failed, each as a signed
// webhook echoing the callback data the desk sent; the replies and the
// ticket history follow, once, however often WhatsApp redelivers.

// stSend is one message the desk sent, as the Graph API saw and answered it.
type stSend struct {
	To, CallbackData, MessageID string
}

// stGraph records what chGraph does not keep — the echoed callback data
// and the message id it answered — and otherwise is chGraph.
type stGraph struct {
	*chGraph
	front *httptest.Server
	mu    sync.Mutex
	sent  []stSend
}

func newStGraph(t *testing.T) *stGraph {
	g := &stGraph{chGraph: newChGraph(t, nil)}
	g.front = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		rec := httptest.NewRecorder()
		g.chGraph.ServeHTTP(rec, r)
		var req struct {
			To           string `json:"to"`
			CallbackData string `json:"biz_opaque_callback_data"`
		}
		var resp struct {
			Messages []struct {
				ID string `json:"id"`
			} `json:"messages"`
		}
		if json.Unmarshal(body, &req) == nil && json.Unmarshal(rec.Body.Bytes(), &resp) == nil && len(resp.Messages) == 1 {
			g.mu.Lock()
			g.sent = append(g.sent, stSend{To: req.To, CallbackData: req.CallbackData, MessageID: resp.Messages[0].ID})
			g.mu.Unlock()
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	}))
	t.Cleanup(g.front.Close)
	return g
}

func (g *stGraph) base() string { return g.front.URL + "/" + chGraphVersion }

func (g *stGraph) sentTo(to string) []stSend {
	g.mu.Lock()
	defer g.mu.Unlock()
	var out []stSend
	for _, s := range g.sent {
		if s.To == to {
			out = append(out, s)
		}
	}
	return out
}

// statusWebhook is WhatsApp's status notification for one sent message.
func statusWebhook(s stSend, status string, errCode int) []byte {
	st := map[string]any{"id": s.MessageID, "status": status, "timestamp": strconv.FormatInt(time.Now().Unix(), 10),
		"recipient_id": s.To, "biz_opaque_callback_data": s.CallbackData}
	if errCode != 0 {
		st["errors"] = []any{map[string]any{"code": errCode, "title": "Message undeliverable", "message": "Message undeliverable",
			"error_data": map[string]string{"details": "Message could not be delivered to " + s.To}}}
	}
	return chNotification(map[string]any{"statuses": []any{st}})
}

type stReply struct {
	Author, Kind, Delivery string
}

func (in *instance) replyDeliveries(id string) []stReply {
	in.t.Helper()
	var v struct {
		Replies []stReply `json:"replies"`
	}
	if code := in.call("GET", "/v1/contacts/"+id, adminKey, nil, &v); code != http.StatusOK {
		in.t.Fatalf("GET /v1/contacts/%s = %d", id, code)
	}
	return v.Replies
}

// queryDB runs one query on the instance's database.
func (in *instance) queryDB(sql string, args []any, dest ...any) {
	in.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, in.envValue("DATABASE_URL"))
	if err != nil {
		in.t.Fatalf("connect to the instance database: %v", err)
	}
	defer conn.Close(ctx)
	if err := conn.QueryRow(ctx, sql, args...).Scan(dest...); err != nil {
		in.t.Fatalf("query: %v", err)
	}
}

func TestWhatsAppDeliveryStatuses(t *testing.T) {
	t.Parallel()
	graph := newStGraph(t)
	in := start(t, "HARBORDESK_WHATSAPP_VERIFY_TOKEN="+chVerifyToken, "HARBORDESK_WHATSAPP_APP_SECRET="+chAppSecret,
		"HARBORDESK_WHATSAPP_TOKEN="+chGraphToken, "HARBORDESK_WHATSAPP_PHONE_NUMBER_ID="+chPhoneID,
		"HARBORDESK_WHATSAPP_API_BASE="+graph.base())

	// Two customers ask; each gets answered through the Graph API.
	const fromOK, fromBad = "85291235001", "85291235002"
	var ids []string
	for i, c := range []struct{ from, text string }{
		{fromOK, "請問你哋星期日開唔開門？"},
		{fromBad, "What are your opening hours on Sunday?"},
	} {
		msg := chTextMessage(c.from, "wamid.HBgLODUyOTEyMzUwMDEVAgASGBQz"+strconv.Itoa(i), c.text)
		if code := in.deliver(msg, chSign(chAppSecret, msg)); code != http.StatusOK {
			t.Fatalf("inbound from customer %d: %d, want 200", i+1, code)
		}
		id := in.newWhatsAppContact(ids, 20*time.Second)
		ids = append(ids, id)
		in.waitContact(id, 30*time.Second, func(v contactView) bool { return v.botAnswers() >= 1 })
		graph.waitSends(t, c.from, 10*time.Second, time.Second)
	}
	okID, badID := ids[0], ids[1]
	okSends, badSends := graph.sentTo(fromOK), graph.sentTo(fromBad)
	if len(okSends) == 0 || len(badSends) == 0 {
		t.Fatalf("sends recorded: %d and %d", len(okSends), len(badSends))
	}
	for _, s := range append(append([]stSend{}, okSends...), badSends...) {
		if s.CallbackData == "" || s.MessageID == "" {
			t.Fatalf("send %+v carries no callback data or got no message id", s)
		}
	}
	for _, r := range in.replyDeliveries(badID) {
		if r.Delivery != "delivered" {
			t.Fatalf("before any status, reply %+v: want delivered (accepted by the Graph API)", r)
		}
	}

	post := func(body []byte) {
		t.Helper()
		if code := in.deliver(body, chSign(chAppSecret, body)); code != http.StatusOK {
			t.Fatalf("status webhook: %d, want 200", code)
		}
	}
	channelStatus := func(contactID string) (n int, status string) {
		t.Helper()
		in.queryDB(`SELECT count(*), coalesce(min(channel_status), '') || '/' || coalesce(max(channel_status), '')
			FROM replies WHERE contact_id = $1`, []any{contactID}, &n, &status)
		return n, status
	}
	failures := func(contactID string) (n int, codes string) {
		t.Helper()
		in.queryDB(`SELECT count(*), coalesce(string_agg(e.detail->>'code', ','), '') FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id
			WHERE t.contact_id = $1 AND e.kind = 'delivery_failed'`, []any{contactID}, &n, &codes)
		return n, codes
	}

	t.Run("delivered then read, redelivered and out of order", func(t *testing.T) {
		for _, s := range okSends {
			post(statusWebhook(s, "sent", 0))
			post(statusWebhook(s, "delivered", 0))
			post(statusWebhook(s, "delivered", 0))
		}
		if n, st := channelStatus(okID); n == 0 || st != "delivered/delivered" {
			t.Errorf("after delivered: %d replies with channel status %s, want all delivered", n, st)
		}
		for _, s := range okSends {
			post(statusWebhook(s, "read", 0))
			post(statusWebhook(s, "sent", 0)) // late: changes nothing
		}
		if n, st := channelStatus(okID); n == 0 || st != "read/read" {
			t.Errorf("after read: %d replies with channel status %s, want all read", n, st)
		}
		for _, r := range in.replyDeliveries(okID) {
			if r.Delivery != "delivered" {
				t.Errorf("reply %+v: want delivered", r)
			}
		}
		if n, _ := failures(okID); n != 0 {
			t.Errorf("%d delivery failures recorded for a delivered contact", n)
		}
	})

	t.Run("failed shows on the replies and once on the ticket", func(t *testing.T) {
		for range 3 { // WhatsApp delivers at least once
			for _, s := range badSends {
				post(statusWebhook(s, "failed", 131026))
			}
		}
		for _, r := range in.replyDeliveries(badID) {
			if r.Delivery != "failed" {
				t.Errorf("reply %+v: want failed", r)
			}
		}
		n, codes := failures(badID)
		replies, _ := channelStatus(badID)
		if n != replies {
			t.Errorf("%d delivery_failed events for %d failed replies (codes %s)", n, replies, codes)
		}
		var detail string
		in.queryDB(`SELECT coalesce(string_agg(e.detail::text, ' '), '') FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id
			WHERE t.contact_id = $1 AND e.kind = 'delivery_failed'`, []any{badID}, &detail)
		for _, leak := range []string{fromBad, "undeliverable"} {
			if bytes.Contains([]byte(detail), []byte(leak)) {
				t.Errorf("ticket event detail %s carries %q", detail, leak)
			}
		}
		if !bytes.Contains([]byte(codes), []byte("131026")) {
			t.Errorf("failure codes %q, want 131026", codes)
		}
	})

	t.Run("unknown message is acknowledged", func(t *testing.T) {
		post(statusWebhook(stSend{To: fromOK, CallbackData: "ct_unknown/bot/1/answer", MessageID: "wamid.UNKNOWN"}, "failed", 131000))
		if n, _ := failures(okID); n != 0 {
			t.Errorf("an unknown status recorded %d failures", n)
		}
	})

	if bytes.Contains(in.log.Bytes(), []byte(fromBad)) || bytes.Contains(in.log.Bytes(), []byte(fromOK)) {
		t.Error("a customer's phone number reached the log")
	}
}
