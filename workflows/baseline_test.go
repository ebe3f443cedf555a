package workflows

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/testsuite"

	"github.com/harbordesk/harbordesk/activities"
	"github.com/harbordesk/harbordesk/internal/contact"
)

// runBaseline runs one BaselineWorkflow to its end and returns how long,
// on the test clock, it stayed open after its "reply".
func runBaseline(t *testing.T, p contact.Params) time.Duration {
	t.Helper()
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	env.RegisterActivity(acts.BaselineNoop)
	env.RegisterActivity(acts.BaselineDone)
	var doneAt time.Time
	env.OnActivity(acts.BaselineNoop, mock.Anything, mock.Anything).Return(nil)
	env.OnActivity(acts.BaselineDone, mock.Anything, mock.Anything).Return(func(_ context.Context, in activities.BaselineInput) error {
		doneAt = env.Now()
		return nil
	})
	env.RegisterDelayedCallback(func() {
		env.SignalWorkflow(contact.SignalMessage, contact.Inbound{MessageID: "b1", ReceivedAt: env.Now()})
	}, 0)
	env.ExecuteWorkflow(BaselineWorkflow, p)
	if !env.IsWorkflowCompleted() || env.GetWorkflowError() != nil {
		t.Fatalf("baseline did not complete: %v", env.GetWorkflowError())
	}
	if doneAt.IsZero() {
		t.Fatal("BaselineDone never ran")
	}
	return env.Now().Sub(doneAt)
}

func TestBaselineStaysOpenAsLongAsAContact(t *testing.T) {
	// It closes after the contacts' idle timeout, so its close does not land
	// on the cluster in the middle of the comparison while a contact's does
	// not.
	if open := runBaseline(t, contact.Params{ContactID: "b1", IdleTimeout: 30 * time.Minute}); open != 30*time.Minute {
		t.Fatalf("open %v after its reply, want the contacts' 30m idle timeout", open)
	}
	// Started by an API from before the idle timeout was passed: a minute.
	if open := runBaseline(t, contact.Params{ContactID: "b1"}); open != time.Minute {
		t.Fatalf("open %v after its reply, want 1m", open)
	}
}
