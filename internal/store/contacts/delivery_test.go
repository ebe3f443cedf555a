package contacts_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/harbordesk/harbordesk/internal/contact"
	"github.com/harbordesk/harbordesk/internal/store/contacts"
	"github.com/harbordesk/harbordesk/internal/store/db"
)

type report struct {
	key, mid, status string
	code             int
}

type replyState struct {
	Delivery, Channel, Ref string
}

// seedReplies records a contact with a ticket and the given pending replies;
// ref, when set, marks them accepted by the channel under that message id
// (as the send activity does, batched replies sharing one id).
func seedReplies(t *testing.T, d db.TxDB, contactID, ref string, keys ...string) {
	t.Helper()
	ctx := context.Background()
	st := contacts.New(d)
	at := time.Date(2026, 11, 25, 23, 0, 0, 0, time.UTC)
	p := contact.Params{ContactID: contactID, Channel: "whatsapp", ConversationID: "k-" + contactID, CustomerID: "c-" + contactID, Arm: "ai"}
	if _, err := st.RecordIntake(ctx, contacts.Intake{Params: p, MessageID: "m1", Kind: "text", ReceivedAt: at,
		Reading:    contact.Reading{Language: "en", Script: "Latn", Intent: "order_status", Priority: "P3", MaskedText: "where is my order"},
		TicketKind: "tracking", NoticeVer: "v1"}); err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		if _, err := st.RecordReply(ctx, contacts.ReplyRecord{Params: p, At: at, MaskedText: "answer " + k,
			Reply: contact.Reply{Key: k, Author: contact.AuthorBot, Kind: contact.KindAnswer, Text: "answer " + k}}); err != nil {
			t.Fatal(err)
		}
		if ref != "" {
			if err := st.MarkDelivered(ctx, contactID, k, ref); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func readReply(t *testing.T, d db.DB, contactID, key string) replyState {
	t.Helper()
	var r replyState
	if err := d.QueryRow(context.Background(), `SELECT delivery_state, channel_status, delivery_ref FROM replies WHERE contact_id = $1 AND reply_key = $2`,
		contactID, key).Scan(&r.Delivery, &r.Channel, &r.Ref); err != nil {
		t.Fatal(err)
	}
	return r
}

func failureEvents(t *testing.T, d db.DB, contactID string) []map[string]any {
	t.Helper()
	rows, err := d.Query(context.Background(), `
		SELECT e.detail FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id
		WHERE t.contact_id = $1 AND e.kind = 'delivery_failed' ORDER BY e.id`, contactID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []map[string]any
	for rows.Next() {
		var b []byte
		if err := rows.Scan(&b); err != nil {
			t.Fatal(err)
		}
		var d map[string]any
		if err := json.Unmarshal(b, &d); err != nil {
			t.Fatal(err)
		}
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// Status reports move a reply forward only, are idempotent, find replies by
// callback key or message id, and record failures on the ticket.
func TestRecordDeliveryStatus(t *testing.T) {
	ctx := context.Background()
	const mid = "wamid.OUT"
	for i, tc := range []struct {
		name    string
		ref     string   // message id the send recorded ("" = not yet)
		keys    []string // replies, sent batched in one message
		reports []report // "{key}" in key is the contact's "<contact_id>/<last key>"
		changed []bool
		want    map[string]replyState
		events  int
	}{
		{name: "delivered by callback key", ref: mid, keys: []string{"r1"},
			reports: []report{{"{key}", mid, "delivered", 0}}, changed: []bool{true},
			want: map[string]replyState{"r1": {"delivered", "delivered", mid}}},
		{name: "redelivered report changes nothing", ref: mid, keys: []string{"r1"},
			reports: []report{{"{key}", mid, "delivered", 0}, {"{key}", mid, "delivered", 0}}, changed: []bool{true, false},
			want: map[string]replyState{"r1": {"delivered", "delivered", mid}}},
		{name: "read after delivered moves on", ref: mid, keys: []string{"r1"},
			reports: []report{{"{key}", mid, "delivered", 0}, {"{key}", mid, "read", 0}}, changed: []bool{true, true},
			want: map[string]replyState{"r1": {"delivered", "read", mid}}},
		{name: "delivered after read (out of order) is stale", ref: mid, keys: []string{"r1"},
			reports: []report{{"{key}", mid, "read", 0}, {"{key}", mid, "delivered", 0}}, changed: []bool{true, false},
			want: map[string]replyState{"r1": {"delivered", "read", mid}}},
		{name: "sent after delivered changes nothing", ref: mid, keys: []string{"r1"},
			reports: []report{{"{key}", mid, "delivered", 0}, {"{key}", mid, "sent", 0}}, changed: []bool{true, false},
			want: map[string]replyState{"r1": {"delivered", "delivered", mid}}},
		{name: "sent before the send was recorded fills in the message id", keys: []string{"r1"},
			reports: []report{{"{key}", mid, "sent", 0}}, changed: []bool{true},
			want: map[string]replyState{"r1": {"pending", "sent", mid}}},
		{name: "delivered reconciles a reply whose send was never recorded", keys: []string{"r1"},
			reports: []report{{"{key}", mid, "delivered", 0}}, changed: []bool{true},
			want: map[string]replyState{"r1": {"delivered", "delivered", mid}}},
		{name: "failed after the API accepted it", ref: mid, keys: []string{"r1"},
			reports: []report{{"{key}", mid, "sent", 0}, {"{key}", mid, "failed", 131026}}, changed: []bool{true, true},
			want: map[string]replyState{"r1": {"failed", "failed", mid}}, events: 1},
		{name: "failed reported twice records one event", ref: mid, keys: []string{"r1"},
			reports: []report{{"{key}", mid, "failed", 131047}, {"{key}", mid, "failed", 131047}}, changed: []bool{true, false},
			want: map[string]replyState{"r1": {"failed", "failed", mid}}, events: 1},
		{name: "failed after delivered is ignored", ref: mid, keys: []string{"r1"},
			reports: []report{{"{key}", mid, "delivered", 0}, {"{key}", mid, "failed", 131000}}, changed: []bool{true, false},
			want: map[string]replyState{"r1": {"delivered", "delivered", mid}}},
		{name: "delivered after failed is ignored", ref: mid, keys: []string{"r1"},
			reports: []report{{"{key}", mid, "failed", 131026}, {"{key}", mid, "read", 0}}, changed: []bool{true, false},
			want: map[string]replyState{"r1": {"failed", "failed", mid}}, events: 1},
		{name: "found by message id without callback data", ref: mid, keys: []string{"r1"},
			reports: []report{{"", mid, "delivered", 0}}, changed: []bool{true},
			want: map[string]replyState{"r1": {"delivered", "delivered", mid}}},
		{name: "found by message id when the key names no reply", ref: mid, keys: []string{"r1"},
			reports: []report{{"ct_unknown/r9", mid, "read", 0}}, changed: []bool{true},
			want: map[string]replyState{"r1": {"delivered", "read", mid}}},
		{name: "batched replies all follow their message", ref: mid, keys: []string{"r1", "r2"},
			reports: []report{{"{key}", mid, "failed", 131049}}, changed: []bool{true},
			want: map[string]replyState{"r1": {"failed", "failed", mid}, "r2": {"failed", "failed", mid}}, events: 2},
		{name: "unknown key and message id are ignored", ref: mid, keys: []string{"r1"},
			reports: []report{{"ct_unknown/r1", "wamid.OTHER", "delivered", 0}, {"no-slash", "", "failed", 1}}, changed: []bool{false, false},
			want: map[string]replyState{"r1": {"delivered", "", mid}}},
		{name: "unknown status is ignored", ref: mid, keys: []string{"r1"},
			reports: []report{{"{key}", mid, "deleted", 0}, {"{key}", mid, "", 0}}, changed: []bool{false, false},
			want: map[string]replyState{"r1": {"delivered", "", mid}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x := tx(t)
			st := contacts.New(x)
			cid := fmt.Sprintf("ct_delivery%02d", i)
			// Message ids are unique per send, as the channel's are.
			ref := ""
			if tc.ref != "" {
				ref = fmt.Sprintf("%s%02d", tc.ref, i)
			}
			seedReplies(t, x, cid, ref, tc.keys...)
			at := time.Date(2026, 11, 25, 23, 0, 5, 0, time.UTC)
			for j, r := range tc.reports {
				key := r.key
				if key == "{key}" {
					key = cid + "/" + tc.keys[len(tc.keys)-1]
				}
				m := r.mid
				if m == mid {
					m = fmt.Sprintf("%s%02d", mid, i)
				}
				got, err := st.RecordDeliveryStatus(ctx, key, m, r.status, r.code, at.Add(time.Duration(j)*time.Second))
				if err != nil {
					t.Fatalf("report %d: %v", j, err)
				}
				if got != tc.changed[j] {
					t.Errorf("report %d (%s): changed = %v, want %v", j, r.status, got, tc.changed[j])
				}
			}
			for k, w := range tc.want {
				if w.Ref == mid {
					w.Ref = fmt.Sprintf("%s%02d", mid, i)
				}
				if got := readReply(t, x, cid, k); got != w {
					t.Errorf("reply %s = %+v, want %+v", k, got, w)
				}
			}
			ev := failureEvents(t, x, cid)
			if len(ev) != tc.events {
				t.Fatalf("delivery_failed events = %d (%v), want %d", len(ev), ev, tc.events)
			}
			for _, e := range ev {
				keys := make([]string, 0, len(e))
				for k := range e {
					keys = append(keys, k)
				}
				slices.Sort(keys)
				if !slices.Equal(keys, []string{"code", "reason", "reply"}) || e["code"] == float64(0) {
					t.Errorf("event detail %v: want exactly reply, code (non-zero), reason", e)
				}
			}
		})
	}
}

// Concurrent redeliveries of one failure record it once. The reports race
// in transactions of their own, so this test commits its contact on the
// package database (no other test reads it) and deletes it at the end.
func TestRecordDeliveryStatusConcurrent(t *testing.T) {
	pool := testDB.Pool(t)
	st := contacts.New(pool)
	ctx := context.Background()
	t.Cleanup(func() {
		_, _ = pool.Exec(context.Background(), `DELETE FROM contacts WHERE id = 'ct_race'`) // messages, replies, ticket and its events
		_, _ = pool.Exec(context.Background(), `DELETE FROM kpi_events WHERE contact_id = 'ct_race'`)
		_, _ = pool.Exec(context.Background(), `DELETE FROM consents WHERE customer_id = 'c-ct_race'`)
	})
	seedReplies(t, pool, "ct_race", "wamid.RACE", "r1")
	results := make(chan bool, 8)
	errs := make(chan error, 8)
	for range 8 {
		go func() {
			ok, err := st.RecordDeliveryStatus(ctx, "ct_race/r1", "wamid.RACE", contacts.ChannelFailed, 131026, time.Now())
			results <- ok
			errs <- err
		}()
	}
	n := 0
	for range 8 {
		if <-results {
			n++
		}
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if n != 1 {
		t.Errorf("%d reports applied, want 1", n)
	}
	if ev := failureEvents(t, pool, "ct_race"); len(ev) != 1 {
		t.Errorf("delivery_failed events = %d, want 1", len(ev))
	}
}

func TestRecordDeliveryStatusDatabaseError(t *testing.T) {
	st := contacts.New(testDB.Pool(t))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := st.RecordDeliveryStatus(ctx, "ct_x/r1", "wamid.X", contacts.ChannelDelivered, 0, time.Now()); err == nil {
		t.Fatal("cancelled context: want an error")
	}
}

// BenchmarkRecordDeliveryStatus measures one status webhook's database work:
// a report that applies (delivered) and a redelivery that changes nothing.
// Its rows are committed on the package database (each report its own
// transaction, as a webhook's is), under a contact no test reads.
func BenchmarkRecordDeliveryStatus(b *testing.B) {
	st := contacts.New(testDB.Pool(b))
	ctx := context.Background()
	p := contact.Params{ContactID: "ct_bench", Channel: "whatsapp", ConversationID: "k-bench", CustomerID: "c-bench", Arm: "ai"}
	at := time.Date(2026, 11, 25, 23, 0, 0, 0, time.UTC)
	if _, err := st.RecordIntake(ctx, contacts.Intake{Params: p, MessageID: "m1", Kind: "text", ReceivedAt: at,
		Reading: contact.Reading{Language: "en", Intent: "order_status", Priority: "P3"}, TicketKind: "tracking", NoticeVer: "v1"}); err != nil {
		b.Fatal(err)
	}
	const n = 2000
	for i := range n {
		k := fmt.Sprintf("r%d", i)
		if _, err := st.RecordReply(ctx, contacts.ReplyRecord{Params: p, At: at, Reply: contact.Reply{Key: k, Author: contact.AuthorBot, Kind: contact.KindAck}}); err != nil {
			b.Fatal(err)
		}
		if err := st.MarkDelivered(ctx, p.ContactID, k, fmt.Sprintf("wamid.B%d", i)); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for i := range b.N {
		k := i % n
		if _, err := st.RecordDeliveryStatus(ctx, fmt.Sprintf("ct_bench/r%d", k), fmt.Sprintf("wamid.B%d", k), contacts.ChannelDelivered, 0, at); err != nil {
			b.Fatal(err)
		}
	}
}
