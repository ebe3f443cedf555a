package workflows

import (
	"testing"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/harbordesk/harbordesk/internal/contact"
)

// An order question is answered from the ERP when it answers.
func TestOrderStatusFromERP(t *testing.T) {
	d := newDesk(t)
	d.say(time.Second, "m1", orderQuestion)
	d.at(time.Hour, d.env.CancelWorkflow)
	d.run(params())
	if len(d.lookups) != 1 || d.lookups[0].OrderNumber != "HK20461" || d.lookups[0].CustomerID != "c1" {
		t.Fatalf("LookupOrder calls %+v, want one for HK20461 of c1", d.lookups)
	}
	if len(d.intakes) != 1 || len(d.intakes[0].Replies) != 1 || d.intakes[0].Replies[0].Text != orderFoundText {
		t.Fatalf("turn %+v, want the ERP's answer recorded", d.intakes)
	}
}

// With the ERP down through every retry, the message is still answered (a
// colleague will check) and the tracking ticket waits: nothing is lost.
func TestOrderStatusERPDownFallsBackToTrackingTicket(t *testing.T) {
	for _, c := range []struct {
		name   string
		start  time.Time
		status string
	}{
		// After hours the ticket waits for the next shift; in hours a
		// colleague is on it.
		{"after hours", time.Date(2026, 3, 10, 23, 0, 0, 0, hkt), "waiting"},
		{"in hours", time.Date(2026, 3, 10, 14, 0, 0, 0, hkt), "pending_agent"},
	} {
		t.Run(c.name, func(t *testing.T) { erpDown(t, c.start, c.status) })
	}
}

func erpDown(t *testing.T, start time.Time, status string) {
	d := newDesk(t)
	d.env.SetStartTime(start)
	d.lookupErr = temporal.NewApplicationError("erp unavailable", "retryable")
	d.say(time.Second, "m1", orderQuestion)
	d.at(time.Hour, d.env.CancelWorkflow)
	d.run(params())
	if n := len(d.lookups); n != 4 {
		t.Errorf("LookupOrder attempts = %d, want 4 (the crm retry policy)", n)
	}
	if len(d.intakes) != 1 {
		t.Fatalf("RecordTurn calls = %d, want 1", len(d.intakes))
	}
	turn := d.intakes[0]
	if len(turn.Replies) != 1 || turn.Replies[0].Text != orderCheckText+"HK20461" || turn.Replies[0].Author != contact.AuthorBot {
		t.Errorf("replies %+v, want the order-check message", turn.Replies)
	}
	if turn.TicketStatus != status {
		t.Errorf("ticket status %q, want %s", turn.TicketStatus, status)
	}
}
