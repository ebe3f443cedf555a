package workspace_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/harbordesk/harbordesk/internal/contact"
	"github.com/harbordesk/harbordesk/internal/pgtest"
	"github.com/harbordesk/harbordesk/internal/store"
	"github.com/harbordesk/harbordesk/internal/store/contacts"
	"github.com/harbordesk/harbordesk/internal/store/handoffs"
	"github.com/harbordesk/harbordesk/internal/store/workspace"
)

// testDB is one migrated database for the package; each test runs in its own
// transaction on it and rolls back, so tests share no rows.
var testDB pgtest.Package

func TestMain(m *testing.M) { testDB.Run(m) }

// tx returns a transaction on the package database, rolled back at the end.
func tx(t testing.TB) pgx.Tx { return testDB.Tx(t) }

var sup = store.Actor{Identity: "sup-sue", Role: "supervisor"}

// handoff records, in x, a customer's message (masked text, ticket summary)
// on a new web contact and opens its handoff, as the contact workflow does.
func handoff(t testing.TB, x pgx.Tx, id, customer, text, summary string, at time.Time) (contact.Params, string) {
	t.Helper()
	ctx := context.Background()
	p := contact.Params{ContactID: id, Channel: "web", ConversationID: "k-" + id, CustomerID: customer, Arm: "ai"}
	if _, err := contacts.IntakeTx(ctx, x, contacts.Intake{Params: p, MessageID: "m1", Kind: "text", ReceivedAt: at, Summary: summary,
		Reading:    contact.Reading{Language: "en", Script: "Latn", Intent: "order_status", Priority: "P3", MaskedText: text},
		TicketKind: "tracking", NoticeVer: "v1"}); err != nil {
		t.Fatal(err)
	}
	h := contact.Handoff{ID: contact.HandoffID(id, 1), State: contact.HandoffOpen, Priority: "P3", Reason: "requested", OpenedAt: at}
	if err := handoffs.OpenTx(ctx, x, p, h, "en", at.Add(time.Hour), false); err != nil {
		t.Fatal(err)
	}
	return p, h.ID
}

func TestMacros(t *testing.T) {
	ctx := context.Background()
	x := tx(t)
	ws := workspace.New(x)
	refund, err := ws.CreateMacro(ctx, "refund", map[string]string{"en": "Refund done, {customer_name}."}, sup)
	if err != nil || refund.ID == "" || refund.CreatedBy != "sup-sue" || refund.CreatedAt.IsZero() {
		t.Fatalf("create: %+v %v", refund, err)
	}
	if _, err := ws.CreateMacro(ctx, "Apology", map[string]string{"yue-Hant": "唔好意思"}, sup); err != nil {
		t.Fatal(err)
	}
	if _, err := ws.CreateMacro(ctx, "refund", map[string]string{"en": "again"}, sup); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("same title: %v, want store.ErrConflict", err)
	}
	list, err := ws.Macros(ctx)
	if err != nil || len(list) != 2 || list[0].Title != "Apology" || list[1].Title != "refund" || list[0].Text["yue-Hant"] != "唔好意思" {
		t.Fatalf("macros by title: %+v %v", list, err)
	}
	if m, err := ws.Macro(ctx, refund.ID); err != nil || m.Text["en"] != "Refund done, {customer_name}." {
		t.Fatalf("macro: %+v %v", m, err)
	}
	if err := ws.DeleteMacro(ctx, refund.ID, sup); err != nil {
		t.Fatal(err)
	}
	if _, err := ws.Macro(ctx, refund.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("deleted macro: %v, want store.ErrNotFound", err)
	}
	if err := ws.DeleteMacro(ctx, refund.ID, sup); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("deleted twice: %v, want store.ErrNotFound", err)
	}
	var audits []string
	rows, _ := x.Query(ctx, `SELECT actor || '/' || role || ':' || action FROM audit_log WHERE subject = $1 ORDER BY id`, refund.ID)
	if audits, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil || fmt.Sprint(audits) != "[sup-sue/supervisor:macro_create sup-sue/supervisor:macro_delete]" {
		t.Errorf("audit: %v %v", audits, err)
	}
	// An empty list is a list.
	if err := ws.DeleteMacro(ctx, list[0].ID, sup); err != nil {
		t.Fatal(err)
	}
	if none, err := ws.Macros(ctx); err != nil || none == nil || len(none) != 0 {
		t.Errorf("no macros: %#v %v", none, err)
	}
}

// Notes are the contact's, listed oldest first, here and in the contact
// view (contacts.Contact); a note on no handoff is store.ErrNotFound.
func TestNotes(t *testing.T) {
	ctx := context.Background()
	x := tx(t)
	ws := workspace.New(x)
	at := time.Now().Add(-time.Hour)
	p, h := handoff(t, x, "ct_notes", "c-notes", "where is my order", "order", at)
	for _, text := range []string{"called the courier", "customer is a VIP"} {
		n, err := ws.AddNote(ctx, h, "agent-ken", text)
		if err != nil || n.ContactID != p.ContactID || n.HandoffID != h || n.ID == 0 || n.At.IsZero() {
			t.Fatalf("note: %+v %v", n, err)
		}
	}
	if _, err := ws.AddNote(ctx, "ho_none", "agent-ken", "lost"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("note on no handoff: %v, want store.ErrNotFound", err)
	}
	notes, err := ws.Notes(ctx, p.ContactID)
	if err != nil || len(notes) != 2 || notes[0].Text != "called the courier" || notes[1].Author != "agent-ken" {
		t.Fatalf("notes: %+v %v", notes, err)
	}
	if v, err := contacts.New(x).Contact(ctx, p.ContactID); err != nil || len(v.Notes) != 2 || v.Notes[1].ID != notes[1].ID ||
		v.Notes[1].Text != notes[1].Text || !v.Notes[1].At.Equal(notes[1].At) {
		t.Errorf("contact view's notes: %+v %v", v.Notes, err)
	}
	if none, err := ws.Notes(ctx, "ct_none"); err != nil || none == nil || len(none) != 0 {
		t.Errorf("no notes: %#v %v", none, err)
	}
}

// Search matches messages, summaries and notes, one hit per contact,
// newest first; LIKE's wildcards are literal and erased texts match
// nothing.
func TestSearch(t *testing.T) {
	ctx := context.Background()
	x := tx(t)
	ws := workspace.New(x)
	at := time.Now().Add(-time.Hour)
	handoff(t, x, "ct_s_msg", "c-s1", "my parcel HK123 is late", "late parcel", at)
	_, h2 := handoff(t, x, "ct_s_note", "c-s2", "hello", "greeting", at.Add(time.Minute))
	if _, err := ws.AddNote(ctx, h2, "agent-ken", "parcel was returned to sender"); err != nil {
		t.Fatal(err)
	}
	handoff(t, x, "ct_s_pct", "c-s3", "50% off? parcel", "discount", at.Add(2*time.Minute))
	handoff(t, x, "ct_s_erased", "c-s4", store.RetentionMarker, store.RetentionMarker, at.Add(3*time.Minute))

	hits, err := ws.Search(ctx, "PARCEL", 0)
	if err != nil || len(hits) != 3 {
		t.Fatalf("search: %+v %v", hits, err)
	}
	for i := 1; i < len(hits); i++ {
		if hits[i].At.After(hits[i-1].At) {
			t.Errorf("hits not newest first: %+v", hits)
		}
	}
	bySource := map[string]workspace.SearchHit{}
	for _, h := range hits {
		bySource[h.ContactID] = h
	}
	if h := bySource["ct_s_note"]; h.Source != "note" || h.TicketID != contact.TicketID("ct_s_note") || h.Snippet != "parcel was returned to sender" {
		t.Errorf("note hit: %+v", h)
	}
	if h := bySource["ct_s_msg"]; h.Source != "summary" && h.Source != "message" {
		t.Errorf("message hit: %+v", h)
	}
	if pct, _ := ws.Search(ctx, "50%", 0); len(pct) != 1 || pct[0].ContactID != "ct_s_pct" {
		t.Errorf("%% is literal: %+v", pct)
	}
	if erased, _ := ws.Search(ctx, "erased", 0); len(erased) != 0 {
		t.Errorf("erased texts matched: %+v", erased)
	}
	if one, _ := ws.Search(ctx, "parcel", 1); len(one) != 1 {
		t.Errorf("limit 1: %+v", one)
	}
	if none, err := ws.Search(ctx, "nothing like this", 0); err != nil || none == nil || len(none) != 0 {
		t.Errorf("no hits: %#v %v", none, err)
	}
}

func TestSnippet(t *testing.T) {
	for _, c := range []struct {
		text, q string
		width   int
		want    string
	}{
		{"short text", "text", 40, "short text"},
		{"0123456789 needle 0123456789", "NEEDLE", 3, "…89 needle 01…"},
		{"我張單幾時到呀呀呀", "幾時", 1, "…單幾時到…"},
	} {
		if got := workspace.Snippet(c.text, c.q, c.width); got != c.want {
			t.Errorf("Snippet(%q, %q, %d) = %q, want %q", c.text, c.q, c.width, got, c.want)
		}
	}
}

func TestCustomerHistory(t *testing.T) {
	ctx := context.Background()
	x := tx(t)
	ws := workspace.New(x)
	at := time.Now().Add(-48 * time.Hour)
	handoff(t, x, "ct_h_old", "c-hist", "first", "first summary", at)
	handoff(t, x, "ct_h_new", "c-hist", "second", "second summary", at.Add(24*time.Hour))
	handoff(t, x, "ct_h_other", "c-other", "other", "other", at)
	got, err := ws.CustomerHistory(ctx, "c-hist", 0)
	if err != nil || len(got) != 2 || got[0].ContactID != "ct_h_new" || got[1].ContactID != "ct_h_old" ||
		got[0].TicketID != contact.TicketID("ct_h_new") || got[0].TicketStatus != "pending_agent" || got[0].Summary != "second summary" {
		t.Fatalf("history: %+v %v", got, err)
	}
	if none, err := ws.CustomerHistory(ctx, "c-none", 0); err != nil || none == nil || len(none) != 0 {
		t.Errorf("no history: %#v %v", none, err)
	}
}
