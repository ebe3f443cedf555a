package workflows

// RetentionWorkflow is the PDPO DPP2 retention job: a Temporal Schedule
// ("harbordesk-retention", daily 03:00 Hong Kong time) starts it, and it
// anonymises contacts older than the configured period in batches.

import (
	"context"
	"errors"
	"fmt"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/harbordesk/harbordesk/activities"
)

// Retention schedule identity and timing.
const (
	RetentionName       = "RetentionWorkflow"
	RetentionScheduleID = "harbordesk-retention"
	RetentionCron       = "0 3 * * *"
	RetentionTimeZone   = "Asia/Hong_Kong"
	// DefaultRetention is HARBORDESK_RETENTION's default (365 days).
	DefaultRetention = 365 * 24 * time.Hour
)

// retentionBatch is the contacts anonymised per activity (one transaction);
// retentionMaxBatches bounds one run's history before it continues as new.
const (
	retentionBatch      = 500
	retentionMaxBatches = 200
)

// RetentionParams configure one retention run.
type RetentionParams struct {
	MaxAge time.Duration
	Batch  int `json:",omitempty"` // 0: retentionBatch
}

// RetentionResult totals what a run (and the runs it continued from) did.
type RetentionResult struct {
	Batches    int
	Contacts   int64
	Messages   int64
	Replies    int64
	Tickets    int64
	AudioBlobs int64
	// Attachments deleted (photos and documents).
	Attachments int64 `json:",omitempty"`
}

// RetentionWorkflow anonymises every contact resolved longer than MaxAge
// ago, one batch per activity, until a batch comes back short.
func RetentionWorkflow(ctx workflow.Context, p RetentionParams) (RetentionResult, error) {
	var res RetentionResult
	if p.MaxAge <= 0 {
		return res, temporal.NewNonRetryableApplicationError("retention max age must be positive", activities.ErrBadRetention, nil)
	}
	if p.Batch <= 0 {
		p.Batch = retentionBatch
	}
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 5 * time.Minute,
		RetryPolicy: &temporal.RetryPolicy{InitialInterval: 5 * time.Second, MaximumInterval: 5 * time.Minute,
			MaximumAttempts: 20, NonRetryableErrorTypes: []string{activities.ErrBadRetention, activities.ErrPermanent}},
	})
	now := workflow.Now(ctx)
	for res.Batches < retentionMaxBatches {
		var r activities.PurgeResult
		if err := workflow.ExecuteActivity(ctx, a.PurgeExpired, activities.PurgeInput{MaxAge: p.MaxAge, Now: now, Batch: p.Batch}).Get(ctx, &r); err != nil {
			return res, err
		}
		res.Batches++
		res.Contacts += r.Contacts
		res.Messages += r.Messages
		res.Replies += r.Replies
		res.Tickets += r.Tickets
		res.AudioBlobs += r.AudioBlobs
		res.Attachments += r.Attachments
		if !r.More {
			return res, nil
		}
	}
	workflow.GetLogger(ctx).Info("retention continues as new", "batches", res.Batches)
	return res, workflow.NewContinueAsNewError(ctx, RetentionName, p)
}

// EnsureSchedule creates the daily retention Schedule or, when it already
// exists, updates its action and timing to this configuration (so a changed
// HARBORDESK_RETENTION takes effect at the next start). Runs never overlap.
func EnsureSchedule(ctx context.Context, c client.Client, taskQueue string, maxAge time.Duration) error {
	if maxAge <= 0 {
		return errors.New("HARBORDESK_RETENTION must be a positive duration")
	}
	if taskQueue == "" {
		return errors.New("retention schedule needs a task queue")
	}
	spec := client.ScheduleSpec{CronExpressions: []string{RetentionCron}, TimeZoneName: RetentionTimeZone}
	action := &client.ScheduleWorkflowAction{
		ID:                  RetentionScheduleID + "-run",
		Workflow:            RetentionName,
		Args:                []any{RetentionParams{MaxAge: maxAge}},
		TaskQueue:           taskQueue,
		WorkflowRunTimeout:  6 * time.Hour,
		WorkflowTaskTimeout: time.Minute,
	}
	sc := c.ScheduleClient()
	_, err := sc.Create(ctx, client.ScheduleOptions{
		ID: RetentionScheduleID, Spec: spec, Action: action,
		Overlap:       enumspb.SCHEDULE_OVERLAP_POLICY_SKIP,
		CatchupWindow: 24 * time.Hour,
		Note:          "PDPO retention: anonymise contacts older than " + maxAge.String(),
	})
	if err == nil {
		return nil
	}
	if !errors.Is(err, temporal.ErrScheduleAlreadyRunning) {
		return fmt.Errorf("create retention schedule: %w", err)
	}
	err = sc.GetHandle(ctx, RetentionScheduleID).Update(ctx, client.ScheduleUpdateOptions{
		DoUpdate: func(in client.ScheduleUpdateInput) (*client.ScheduleUpdate, error) {
			s := in.Description.Schedule
			s.Action, s.Spec = action, &spec
			if s.Policy == nil {
				s.Policy = &client.SchedulePolicies{}
			}
			s.Policy.Overlap = enumspb.SCHEDULE_OVERLAP_POLICY_SKIP
			s.Policy.CatchupWindow = 24 * time.Hour
			return &client.ScheduleUpdate{Schedule: &s}, nil
		},
	})
	if err != nil {
		return fmt.Errorf("update retention schedule: %w", err)
	}
	return nil
}
