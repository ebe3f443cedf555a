package activities_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/interceptor"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/worker"

	"github.com/harbordesk/harbordesk/activities"
	"github.com/harbordesk/harbordesk/internal/contact"
	"github.com/harbordesk/harbordesk/internal/pgtest"
)

// finalType is the type of a non-retryable ApplicationError, or "" when err
// would be retried.
func finalType(err error) string {
	var ae *temporal.ApplicationError
	if errors.As(err, &ae) && ae.NonRetryable() {
		return ae.Type()
	}
	return ""
}

// PostgreSQL refuses a NUL byte for ever: RecordTurn fails for good at once
// (ErrRefused), with no customer text in the failure.
func TestRecordTurnRefusedDataIsPermanent(t *testing.T) {
	st := pgtest.New(t)
	var s testsuite.WorkflowTestSuite
	env := s.NewTestActivityEnvironment()
	env.RegisterActivity(&activities.Activities{Store: st})
	p := contact.Params{ContactID: "ct_nul", Channel: contact.ChannelWeb, ConversationID: "k-nul", CustomerID: "c-nul", Arm: "ai"}
	in := activities.TurnInput{Params: p, MessageID: "m1", Kind: "text", ReceivedAt: time.Now(),
		Reading: contact.Reading{Language: "en", Intent: "other", Priority: "P4", MaskedText: "secret\x00words"}}
	_, err := env.ExecuteActivity((&activities.Activities{}).RecordTurn, in)
	if finalType(err) != activities.ErrRefused {
		t.Fatalf("RecordTurn with a NUL byte: %v, want a non-retryable %q failure", err, activities.ErrRefused)
	}
	var ae *temporal.ApplicationError
	if errors.As(err, &ae); ae.Error() == "" || strings.Contains(ae.Error(), "secret") {
		t.Errorf("failure message %q must name the SQLSTATE, not the data", ae.Error())
	}
	// The same turn with clean text is recorded: nothing was left half-done.
	in.Reading.MaskedText = "clean words"
	if _, err := env.ExecuteActivity((&activities.Activities{}).RecordTurn, in); err != nil {
		t.Fatalf("clean turn after the refused one: %v", err)
	}
}

type crasher struct{}

func (*crasher) Crash(ctx context.Context) error {
	var m map[string]int
	m["x"]++ // a bug
	return nil
}

func (*crasher) Fine(ctx context.Context) (string, error) { return "ok", nil }

// A panicking activity fails for good instead of being retried.
func TestPanicsArePermanent(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestActivityEnvironment()
	env.SetWorkerOptions(worker.Options{Interceptors: []interceptor.WorkerInterceptor{&activities.PanicsArePermanent{}}})
	env.RegisterActivity(&crasher{})
	_, err := env.ExecuteActivity((&crasher{}).Crash)
	if finalType(err) != activities.ErrPermanent {
		t.Fatalf("panicking activity: %v, want a non-retryable %q failure", err, activities.ErrPermanent)
	}
	v, err := env.ExecuteActivity((&crasher{}).Fine)
	var got string
	if err != nil || v.Get(&got) != nil || got != "ok" {
		t.Fatalf("healthy activity through the interceptor: %v %q", err, got)
	}
}
