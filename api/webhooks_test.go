package api

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/gin-gonic/gin"

	"github.com/harbordesk/harbordesk/internal/contact"
	"github.com/harbordesk/harbordesk/internal/pgtest"
	"github.com/harbordesk/harbordesk/internal/store/contacts"
)

const (
	waSecret    = "status-test-secret"
	waRecipient = "85291239876"
)

func waStatusBody(statuses ...map[string]any) string {
	for _, s := range statuses {
		s["recipient_id"] = waRecipient
		s["timestamp"] = "1764111605"
	}
	b, _ := json.Marshal(map[string]any{"object": "whatsapp_business_account", "entry": []any{map[string]any{
		"id": "102290129340398", "changes": []any{map[string]any{"field": "messages", "value": map[string]any{
			"messaging_product": "whatsapp", "metadata": map[string]string{"phone_number_id": "109876543210"},
			"statuses": statuses}}}}}})
	return string(b)
}

func waSign(body string) string {
	m := hmac.New(sha256.New, []byte(waSecret))
	m.Write([]byte(body))
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Signed status webhooks update the replies they name; unsigned ones, unknown
// messages and database failures are handled without losing or inventing a
// state, and the recipient's number never reaches the log.
func TestWhatsAppStatusWebhook(t *testing.T) {
	st := pgtest.New(t)
	ctx := context.Background()
	var logs bytes.Buffer
	srv := &Server{Store: st, MaxBody: 1 << 20, Log: slog.New(slog.NewTextHandler(&logs, nil)),
		Registry: prometheus.NewRegistry(), Extra: []func(*gin.Engine, *Server){MountWebhooks(&WhatsApp{VerifyToken: "v", AppSecret: waSecret}, "")}}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)

	p := contact.Params{ContactID: "ct_wastatus", Channel: "whatsapp", ConversationID: "wa_conv", CustomerID: "wa_cust", Arm: "ai"}
	at := time.Date(2026, 11, 25, 23, 0, 0, 0, time.UTC)
	if _, err := contacts.New(st.Pool).RecordIntake(ctx, contacts.Intake{Params: p, MessageID: "wamid.IN1", Kind: "text", ReceivedAt: at,
		Reading:    contact.Reading{Language: "en", Script: "Latn", Intent: "order_status", Priority: "P3", MaskedText: "hi"},
		TicketKind: "tracking", NoticeVer: "v1"}); err != nil {
		t.Fatal(err)
	}
	for i, k := range []string{"bot/1/answer", "bot/2/answer"} {
		if _, err := contacts.New(st.Pool).RecordReply(ctx, contacts.ReplyRecord{Params: p, At: at, MaskedText: "answer",
			Reply: contact.Reply{Key: k, Author: contact.AuthorBot, Kind: contact.KindAnswer, Text: "answer"}}); err != nil {
			t.Fatal(err)
		}
		if err := contacts.New(st.Pool).MarkDelivered(ctx, p.ContactID, k, []string{"wamid.OUT1", "wamid.OUT2"}[i]); err != nil {
			t.Fatal(err)
		}
	}
	state := func(key string) (delivery, channel string) {
		t.Helper()
		if err := st.Pool.QueryRow(ctx, `SELECT delivery_state, channel_status FROM replies WHERE contact_id = $1 AND reply_key = $2`,
			p.ContactID, key).Scan(&delivery, &channel); err != nil {
			t.Fatal(err)
		}
		return
	}

	delivered := waStatusBody(map[string]any{"id": "wamid.OUT1", "status": "delivered", "biz_opaque_callback_data": "ct_wastatus/bot/1/answer"})
	failed := waStatusBody(map[string]any{"id": "wamid.OUT2", "status": "failed",
		"errors": []any{map[string]any{"code": 131026, "title": "Message undeliverable to " + waRecipient}}})
	unknown := waStatusBody(map[string]any{"id": "wamid.NOPE", "status": "read", "biz_opaque_callback_data": "ct_nope/bot/9/answer"})
	for _, tc := range []struct {
		name, body, sig string
		want            int
		applied         float64
		key, delivery   string
		channel         string
	}{
		{"unsigned changes nothing", delivered, "", http.StatusUnauthorized, 0, "bot/1/answer", "delivered", ""},
		{"wrong signature changes nothing", delivered, waSign(delivered + " "), http.StatusUnauthorized, 0, "bot/1/answer", "delivered", ""},
		{"delivered by callback data", delivered, waSign(delivered), http.StatusOK, 1, "bot/1/answer", "delivered", "delivered"},
		{"redelivery is acknowledged and changes nothing", delivered, waSign(delivered), http.StatusOK, 0, "bot/1/answer", "delivered", "delivered"},
		{"failed by message id", failed, waSign(failed), http.StatusOK, 1, "bot/2/answer", "failed", "failed"},
		{"unknown message is acknowledged", unknown, waSign(unknown), http.StatusOK, 0, "bot/1/answer", "delivered", "delivered"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodPost, ts.URL+"/webhooks/whatsapp", strings.NewReader(tc.body))
			if tc.sig != "" {
				req.Header.Set("X-Hub-Signature-256", tc.sig)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			var out map[string]any
			_ = json.NewDecoder(resp.Body).Decode(&out)
			resp.Body.Close()
			if resp.StatusCode != tc.want {
				t.Fatalf("status %d, want %d (%v)", resp.StatusCode, tc.want, out)
			}
			if tc.want == http.StatusOK && out["applied"] != tc.applied {
				t.Errorf("applied = %v, want %v", out["applied"], tc.applied)
			}
			if d, c := state(tc.key); d != tc.delivery || c != tc.channel {
				t.Errorf("reply %s: %s/%s, want %s/%s", tc.key, d, c, tc.delivery, tc.channel)
			}
		})
	}
	if !strings.Contains(logs.String(), "error_code=131026") {
		t.Errorf("the failure was not logged with its code: %s", logs.String())
	}
	if strings.Contains(logs.String(), waRecipient) {
		t.Errorf("a phone number reached the log: %s", logs.String())
	}

	t.Run("database down is not acknowledged", func(t *testing.T) {
		st.Close()
		req, _ := http.NewRequest(http.MethodPost, ts.URL+"/webhooks/whatsapp", strings.NewReader(delivered))
		req.Header.Set("X-Hub-Signature-256", waSign(delivered))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode < 500 {
			t.Errorf("status %d with the database closed, want 5xx so WhatsApp redelivers", resp.StatusCode)
		}
	})
}

// A signed webhook whose message text or ID cannot be stored safely is 422
// before anything reaches the contact's workflow (Desk is nil here: reaching
// it would panic and fail the test with a 500).
func TestWhatsAppWebhookRefusesControlCharacters(t *testing.T) {
	srv := &Server{MaxBody: 1 << 20, Log: slog.New(slog.DiscardHandler), Registry: prometheus.NewRegistry(),
		Extra: []func(*gin.Engine, *Server){MountWebhooks(&WhatsApp{VerifyToken: "v", AppSecret: waSecret}, "")}}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	msgBody := func(id, text string) string {
		b, _ := json.Marshal(map[string]any{"object": "whatsapp_business_account", "entry": []any{map[string]any{
			"id": "102290129340398", "changes": []any{map[string]any{"field": "messages", "value": map[string]any{
				"messaging_product": "whatsapp", "metadata": map[string]string{"phone_number_id": "109876543210"},
				"messages": []any{map[string]any{"from": waRecipient, "id": id, "timestamp": "1764111605", "type": "text",
					"text": map[string]string{"body": text}}}}}}}}})
		return string(b)
	}
	for name, body := range map[string]string{
		"NUL in text":       msgBody("wamid.A", "hel\x00lo"),
		"escape in text":    msgBody("wamid.B", "\x1b[2J"),
		"NUL in message id": msgBody("wamid.\x00", "hello"),
	} {
		req, _ := http.NewRequest("POST", ts.URL+"/webhooks/whatsapp", strings.NewReader(body))
		req.Header.Set("X-Hub-Signature-256", waSign(body))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var e errorBody
		_ = json.NewDecoder(resp.Body).Decode(&e)
		resp.Body.Close()
		if resp.StatusCode != 422 || e.Error.Code != "invalid" {
			t.Errorf("%s: %d %+v, want 422 invalid", name, resp.StatusCode, e)
		}
	}
}

func TestWebhookText(t *testing.T) {
	if msg := webhookText("wamid.1", "你好\n"+strings.Repeat("長", 5000)); msg != "" {
		t.Errorf("a long clean text is cut by the caller, not refused: %q", msg)
	}
	for _, tc := range [][2]string{{"", "hi"}, {strings.Repeat("x", 201), "hi"}, {"id", "a\x00"}, {"id", "\xff"}} {
		if webhookText(tc[0], tc[1]) == "" {
			t.Errorf("webhookText(%q, %q) accepted", tc[0], tc[1])
		}
	}
}
