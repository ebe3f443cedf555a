package handoffs_test

import (
	"context"
	"testing"
	"time"

	"github.com/harbordesk/harbordesk/internal/contact"
	"github.com/harbordesk/harbordesk/internal/store/contacts"
	"github.com/harbordesk/harbordesk/internal/store/handoffs"
)

// A customer writing again after resolution reopens the ticket and records a
// "reopened" KPI fact once; a survey answer does not.
func TestIntakeAfterResolutionReopens(t *testing.T) {
	ctx := context.Background()
	x := tx(t)
	p := contact.Params{ContactID: "ct_reopen", Channel: "web", ConversationID: "k-reopen", CustomerID: "c-reopen", Arm: "ai"}
	at := time.Date(2026, 11, 25, 23, 0, 0, 0, time.UTC)
	intake := func(id string, csat int) {
		t.Helper()
		if _, err := contacts.IntakeTx(ctx, x, contacts.Intake{Params: p, MessageID: id, Kind: "text", ReceivedAt: at, CSAT: csat,
			Reading:    contact.Reading{Language: "en", Script: "Latn", Intent: "order_status", Priority: "P3", MaskedText: "where is my order"},
			TicketKind: "tracking", NoticeVer: "v1"}); err != nil {
			t.Fatal(err)
		}
	}
	reopened := func() int {
		t.Helper()
		var n int
		if err := x.QueryRow(ctx, `SELECT count(*) FROM kpi_events WHERE contact_id = $1 AND kind = 'reopened'`, p.ContactID).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	intake("m1", 0)
	if err := handoffs.New(x).RecordResolve(ctx, handoffs.Resolution{Params: p, HandoffID: "ho_x", Agent: "a", Code: "answered", At: at}); err != nil {
		t.Fatal(err)
	}
	intake("m2", 5) // the survey answer
	if n := reopened(); n != 0 {
		t.Fatalf("survey answer counted as reopen: %d", n)
	}
	intake("m3", 0)
	intake("m3", 0) // a retried activity
	if n := reopened(); n != 1 {
		t.Fatalf("reopened facts = %d, want 1", n)
	}
	tk, err := contacts.ScanTicket(x.QueryRow(ctx, `SELECT `+contacts.TicketCols+` FROM tickets WHERE id = $1`, contact.TicketID(p.ContactID)))
	if err != nil {
		t.Fatal(err)
	}
	if tk.Status != "open" || tk.ResolvedAt != nil {
		t.Errorf("ticket after reopen: status %q resolved_at %v", tk.Status, tk.ResolvedAt)
	}
}
