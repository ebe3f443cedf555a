package activities_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/harbordesk/harbordesk/activities"
	"github.com/harbordesk/harbordesk/internal/contact"
	"github.com/harbordesk/harbordesk/internal/pgtest"
	"github.com/harbordesk/harbordesk/internal/store"
	"github.com/harbordesk/harbordesk/internal/store/contacts"
)

// answeredAndClosed records a bot-answered contact that closed idle at at.
func answeredAndClosed(t *testing.T, st *store.Store, conversation, text string, at time.Time) string {
	t.Helper()
	ctx := context.Background()
	wf := contact.WorkflowID("web", conversation)
	p := contact.Params{ContactID: contact.ID(wf), Channel: "web", ConversationID: conversation, CustomerID: "cust-" + conversation, Arm: "ai"}
	if _, err := contacts.New(st.Pool).RecordIntake(ctx, contacts.Intake{Params: p, MessageID: "m1", Kind: "text", ReceivedAt: at,
		Reading: contact.Reading{Language: "en", Intent: "business_hours", Priority: "P4", MaskedText: text}, TicketKind: "inquiry", Summary: text}); err != nil {
		t.Fatal(err)
	}
	if _, err := contacts.New(st.Pool).RecordReply(ctx, contacts.ReplyRecord{Params: p, Reply: contact.Reply{Key: "r1", Author: "bot", Kind: "answer"},
		MaskedText: "We open at 10am", At: at}); err != nil {
		t.Fatal(err)
	}
	if err := contacts.New(st.Pool).CloseIdle(ctx, p, at.Add(30*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Pool.Exec(ctx, `UPDATE contacts SET updated_at = resolved_at WHERE id = $1`, p.ContactID); err != nil {
		t.Fatal(err)
	}
	return p.ContactID
}

func TestPurgeExpiredActivity(t *testing.T) {
	st := pgtest.New(t)
	now := time.Date(2027, 6, 1, 3, 0, 0, 0, time.UTC)
	oldA := answeredAndClosed(t, st, "old-a", "old text A", now.AddDate(-2, 0, 0))
	answeredAndClosed(t, st, "old-b", "old text B", now.AddDate(-1, -1, 0))
	fresh := answeredAndClosed(t, st, "fresh", "fresh text", now.AddDate(0, -1, 0))

	var s testsuite.WorkflowTestSuite
	env := s.NewTestActivityEnvironment()
	env.RegisterActivity(&activities.Activities{Store: st})
	year := 365 * 24 * time.Hour

	steps := []struct {
		batch    int
		contacts int64
		more     bool
	}{{1, 1, true}, {1, 1, true}, {1, 0, false}}
	for i, step := range steps {
		v, err := env.ExecuteActivity((&activities.Activities{}).PurgeExpired, activities.PurgeInput{MaxAge: year, Now: now, Batch: step.batch})
		if err != nil {
			t.Fatal(err)
		}
		var r activities.PurgeResult
		if err := v.Get(&r); err != nil {
			t.Fatal(err)
		}
		if r.Contacts != step.contacts || r.More != step.more || (step.contacts == 1 && (r.Messages != 1 || r.Replies != 1 || r.Tickets != 1)) {
			t.Errorf("step %d: %+v", i, r)
		}
	}
	for id, want := range map[string]string{oldA: store.RetentionMarker, fresh: "fresh text"} {
		c, err := contacts.New(st.Pool).Contact(context.Background(), id)
		if err != nil || c.Transcript[0].Text != want || (want == store.RetentionMarker) != (c.Ticket.Summary == store.RetentionMarker) {
			t.Errorf("contact %s: %+v %v", id, c, err)
		}
	}
}

func TestPurgeExpiredActivityErrors(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	cases := []struct {
		name     string
		acts     *activities.Activities
		in       activities.PurgeInput
		wantType string
	}{
		{"zero max age", &activities.Activities{Store: &store.Store{}}, activities.PurgeInput{Now: time.Now()}, activities.ErrBadRetention},
		{"no clock", &activities.Activities{Store: &store.Store{}}, activities.PurgeInput{MaxAge: time.Hour}, activities.ErrBadRetention},
		{"no store", &activities.Activities{}, activities.PurgeInput{MaxAge: time.Hour, Now: time.Now()}, activities.ErrPermanent},
	}
	for _, c := range cases {
		env := s.NewTestActivityEnvironment()
		env.RegisterActivity(c.acts)
		_, err := env.ExecuteActivity(c.acts.PurgeExpired, c.in)
		var ae *temporal.ApplicationError
		if !errors.As(err, &ae) || ae.Type() != c.wantType || !ae.NonRetryable() {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	// A database that is gone is a retryable failure.
	st := pgtest.New(t)
	st.Close()
	env := s.NewTestActivityEnvironment()
	acts := &activities.Activities{Store: st}
	env.RegisterActivity(acts)
	_, err := env.ExecuteActivity(acts.PurgeExpired, activities.PurgeInput{MaxAge: time.Hour, Now: time.Now()})
	var ae *temporal.ApplicationError
	if !errors.As(err, &ae) || ae.NonRetryable() {
		t.Errorf("closed database: %v", err)
	}
}
