package workflows

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/harbordesk/harbordesk/activities"
)

func TestRetentionWorkflow(t *testing.T) {
	start := time.Date(2026, 11, 26, 19, 0, 0, 0, time.UTC) // 03:00 in Hong Kong
	cases := []struct {
		name      string
		params    RetentionParams
		batches   []activities.PurgeResult
		failAt    int // 1-based batch whose activity fails permanently; 0 none
		wantErr   bool
		wantCalls int
		want      RetentionResult
	}{
		{name: "nothing to purge", params: RetentionParams{MaxAge: 24 * time.Hour},
			batches: []activities.PurgeResult{{}}, wantCalls: 1, want: RetentionResult{Batches: 1}},
		{name: "three batches", params: RetentionParams{MaxAge: 365 * 24 * time.Hour, Batch: 2},
			batches: []activities.PurgeResult{
				{Contacts: 2, Messages: 5, Replies: 4, Tickets: 2, AudioBlobs: 1, More: true},
				{Contacts: 2, Messages: 3, Replies: 2, Tickets: 2, More: true},
				{Contacts: 1, Messages: 1, Replies: 1, Tickets: 1, AudioBlobs: 2},
			}, wantCalls: 3, want: RetentionResult{Batches: 3, Contacts: 5, Messages: 9, Replies: 7, Tickets: 5, AudioBlobs: 3}},
		{name: "permanent failure", params: RetentionParams{MaxAge: time.Hour},
			batches: []activities.PurgeResult{{More: true}, {}}, failAt: 2, wantErr: true, wantCalls: 2},
		{name: "zero max age", params: RetentionParams{}, wantErr: true, wantCalls: 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var s testsuite.WorkflowTestSuite
			env := s.NewTestWorkflowEnvironment()
			env.SetStartTime(start)
			env.RegisterWorkflowWithOptions(RetentionWorkflow, workflow.RegisterOptions{Name: RetentionName})
			env.RegisterActivity(&activities.Activities{})
			calls := 0
			env.OnActivity("PurgeExpired", mock.Anything, mock.Anything).Return(
				func(_ context.Context, in activities.PurgeInput) (activities.PurgeResult, error) {
					calls++
					wantBatch := c.params.Batch
					if wantBatch == 0 {
						wantBatch = retentionBatch
					}
					if in.MaxAge != c.params.MaxAge || !in.Now.Equal(start) || in.Batch != wantBatch {
						t.Errorf("input %+v", in)
					}
					if calls == c.failAt {
						return activities.PurgeResult{}, temporal.NewNonRetryableApplicationError("db schema gone", activities.ErrPermanent, nil)
					}
					return c.batches[calls-1], nil
				})
			env.ExecuteWorkflow(RetentionName, c.params)
			if !env.IsWorkflowCompleted() {
				t.Fatal("not completed")
			}
			err := env.GetWorkflowError()
			if (err != nil) != c.wantErr {
				t.Fatalf("err = %v", err)
			}
			if calls != c.wantCalls {
				t.Errorf("calls = %d, want %d", calls, c.wantCalls)
			}
			if err == nil {
				var got RetentionResult
				if err := env.GetWorkflowResult(&got); err != nil || got != c.want {
					t.Errorf("result %+v, %v; want %+v", got, err, c.want)
				}
			}
		})
	}
}

func TestRetentionWorkflowContinuesAsNew(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	env.RegisterWorkflowWithOptions(RetentionWorkflow, workflow.RegisterOptions{Name: RetentionName})
	env.RegisterActivity(&activities.Activities{})
	env.OnActivity("PurgeExpired", mock.Anything, mock.Anything).Return(activities.PurgeResult{Contacts: 1, More: true}, nil)
	env.ExecuteWorkflow(RetentionName, RetentionParams{MaxAge: time.Hour})
	var can *workflow.ContinueAsNewError
	if err := env.GetWorkflowError(); !errors.As(err, &can) {
		t.Fatalf("want continue-as-new, got %v", err)
	}
	env.AssertNumberOfCalls(t, "PurgeExpired", retentionMaxBatches)
}

// fakeSchedules is a ScheduleClient holding schedules in memory with the
// server's create semantics (a second Create of an ID fails with
// ErrScheduleAlreadyRunning) and update semantics (DoUpdate on the current
// description).
type fakeSchedules struct {
	client.ScheduleClient
	created   map[string]client.ScheduleOptions
	createErr error
	updateErr error
	updates   int
}

func (f *fakeSchedules) Create(_ context.Context, o client.ScheduleOptions) (client.ScheduleHandle, error) {
	if f.createErr != nil {
		return nil, f.createErr
	}
	if _, ok := f.created[o.ID]; ok {
		return nil, temporal.ErrScheduleAlreadyRunning
	}
	f.created[o.ID] = o
	return nil, nil
}

func (f *fakeSchedules) GetHandle(_ context.Context, id string) client.ScheduleHandle {
	return &fakeHandle{f: f, id: id}
}

type fakeHandle struct {
	client.ScheduleHandle
	f  *fakeSchedules
	id string
}

func (h *fakeHandle) Update(_ context.Context, o client.ScheduleUpdateOptions) error {
	if h.f.updateErr != nil {
		return h.f.updateErr
	}
	cur := h.f.created[h.id]
	u, err := o.DoUpdate(client.ScheduleUpdateInput{Description: client.ScheduleDescription{
		Schedule: client.Schedule{Action: cur.Action, Spec: &cur.Spec}}})
	if err != nil {
		return err
	}
	cur.Action, cur.Spec, cur.Overlap = u.Schedule.Action, *u.Schedule.Spec, u.Schedule.Policy.Overlap
	h.f.created[h.id] = cur
	h.f.updates++
	return nil
}

type fakeClient struct {
	client.Client
	s *fakeSchedules
}

func (c fakeClient) ScheduleClient() client.ScheduleClient { return c.s }

func TestEnsureSchedule(t *testing.T) {
	ctx := context.Background()
	fs := &fakeSchedules{created: map[string]client.ScheduleOptions{}}
	c := fakeClient{s: fs}
	if err := EnsureSchedule(ctx, c, "q", 8760*time.Hour); err != nil {
		t.Fatal(err)
	}
	o := fs.created[RetentionScheduleID]
	act, ok := o.Action.(*client.ScheduleWorkflowAction)
	if !ok || act.Workflow != RetentionName || act.TaskQueue != "q" ||
		act.Args[0].(RetentionParams).MaxAge != 8760*time.Hour {
		t.Fatalf("action %+v", o.Action)
	}
	if o.Spec.CronExpressions[0] != "0 3 * * *" || o.Spec.TimeZoneName != "Asia/Hong_Kong" ||
		o.Overlap != enumspb.SCHEDULE_OVERLAP_POLICY_SKIP {
		t.Errorf("spec %+v overlap %v", o.Spec, o.Overlap)
	}
	// Already there: updated to the new period, not an error.
	if err := EnsureSchedule(ctx, c, "q", 30*24*time.Hour); err != nil {
		t.Fatal(err)
	}
	o = fs.created[RetentionScheduleID]
	if fs.updates != 1 || o.Action.(*client.ScheduleWorkflowAction).Args[0].(RetentionParams).MaxAge != 30*24*time.Hour ||
		o.Overlap != enumspb.SCHEDULE_OVERLAP_POLICY_SKIP {
		t.Errorf("after update: %+v (%d updates)", o, fs.updates)
	}

	errCases := []struct {
		name   string
		fs     *fakeSchedules
		queue  string
		maxAge time.Duration
	}{
		{"zero max age", &fakeSchedules{created: map[string]client.ScheduleOptions{}}, "q", 0},
		{"no task queue", &fakeSchedules{created: map[string]client.ScheduleOptions{}}, "", time.Hour},
		{"server down", &fakeSchedules{createErr: errors.New("unavailable")}, "q", time.Hour},
		{"update fails", &fakeSchedules{created: map[string]client.ScheduleOptions{RetentionScheduleID: {}},
			updateErr: errors.New("unavailable")}, "q", time.Hour},
	}
	for _, e := range errCases {
		if err := EnsureSchedule(ctx, fakeClient{s: e.fs}, e.queue, e.maxAge); err == nil {
			t.Errorf("%s: no error", e.name)
		}
	}
}
