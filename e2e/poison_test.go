package e2e

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// refuseMarker is text the test makes PostgreSQL refuse for good: a CHECK
// constraint on messages, the way any constraint violation or data exception
// (a NUL byte, an invalid encoding) refuses a customer message for ever.
const refuseMarker = "REFUSE-ME"

// refuseMessages adds the constraint to the messages and replies tables of
// the instance's database.
func refuseMessages(t *testing.T, in *instance) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, pgBase()+"/"+in.db+"?sslmode=disable")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	for _, table := range []string{"messages", "replies"} {
		if _, err := conn.Exec(ctx, `ALTER TABLE `+table+` ADD CONSTRAINT e2e_refuse CHECK (position('`+refuseMarker+`' in text) = 0)`); err != nil {
			t.Fatal(err)
		}
	}
}

// TestPoisonMessageHandsOffAndConversationGoesOn: a customer message the
// database refuses for ever (23514) no longer blocks the conversation. The
// contact goes to a person with reason processing_failed (the customer is
// told so, the message is kept as a placeholder without its words), the
// customer's next message is recorded for that person, and once the handoff
// is resolved the bot answers again.
func TestPoisonMessageHandsOffAndConversationGoesOn(t *testing.T) {
	t.Parallel()
	in := start(t)
	refuseMessages(t, in)
	conv := "k-poison"
	a := in.post("web", "c-poison", conv, "m1", "What time do you open?")
	in.waitContact(a.ContactID, 20*time.Second, func(v contactView) bool { return v.botAnswers() >= 1 })

	start := time.Now()
	in.post("web", "c-poison", conv, "m2", "My order "+refuseMarker+" please")
	v := in.waitContact(a.ContactID, 30*time.Second, func(v contactView) bool { return v.Handoff != nil && len(v.Transcript) == 2 })
	t.Logf("poisoned turn handed off after %v", time.Since(start).Round(time.Millisecond))
	if reason := in.handoffReason(t, a.ContactID); reason != "processing_failed" {
		t.Fatalf("handoff reason = %q, want processing_failed", reason)
	}
	if got := v.Transcript[1]; got.MessageID != "m2" || strings.Contains(got.Text, refuseMarker) || got.Text == "" {
		t.Errorf("refused message recorded as %+v, want a placeholder without its words", got)
	}
	last := v.Replies[len(v.Replies)-1]
	if last.Author != "bot" || last.Kind != "handoff" {
		t.Errorf("last reply = %+v, want the bot's handoff message", last)
	}

	in.post("web", "c-poison", conv, "m3", "Hello? Anyone there?")
	v = in.waitContact(a.ContactID, 20*time.Second, func(v contactView) bool { return len(v.Transcript) == 3 })
	bots := v.count("bot")

	hid := v.Handoff.ID
	if code := in.call("POST", "/v1/handoffs/"+hid+"/claim", "agent-a", nil, nil); code != http.StatusOK {
		t.Fatalf("claim = %d", code)
	}
	// An agent reply the database refuses is a 422 at once, not a hang or
	// "retry later", and the contact goes on.
	var refused struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	if code := in.call("POST", "/v1/handoffs/"+hid+"/reply", "agent-a", map[string]string{"text": "ok " + refuseMarker}, &refused); code != http.StatusUnprocessableEntity || refused.Error.Code != "invalid" {
		t.Errorf("agent reply the database refuses = %d %+v, want 422 invalid", code, refused)
	}
	if code := in.call("POST", "/v1/handoffs/"+hid+"/reply", "agent-a", map[string]string{"text": "Sorry, we are open 10:00-20:00."}, nil); code != http.StatusOK {
		t.Fatalf("agent reply = %d", code)
	}
	if code := in.call("POST", "/v1/handoffs/"+hid+"/resolve", "agent-a", map[string]string{"resolution": "answered"}, nil); code != http.StatusOK {
		t.Fatalf("resolve = %d", code)
	}
	v = in.waitContact(a.ContactID, 10*time.Second, func(v contactView) bool { return v.count("agent") == 1 && v.count("bot") == bots+1 })

	in.post("web", "c-poison", conv, "m4", "What time do you open?")
	v = in.waitContact(a.ContactID, 20*time.Second, func(v contactView) bool { return len(v.Transcript) == 4 && v.count("bot") == bots+2 })
	if last := v.Replies[len(v.Replies)-1]; last.Author != "bot" || last.Kind != "answer" {
		t.Errorf("after the handoff, reply = %+v, want the bot's answer", last)
	}
}

// waitAudioBlobs polls the stored voice notes of a contact until there are
// want of them or the timeout passes, and returns the last count.
func waitAudioBlobs(t *testing.T, in *instance, contactID string, want int, timeout time.Duration) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout+5*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, pgBase()+"/"+in.db+"?sslmode=disable")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	n := -1
	for deadline := time.Now().Add(timeout); ; time.Sleep(200 * time.Millisecond) {
		if err := conn.QueryRow(ctx, `SELECT count(*) FROM audio_blobs WHERE contact_id = $1`, contactID).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n == want || time.Now().After(deadline) {
			return n
		}
	}
}
