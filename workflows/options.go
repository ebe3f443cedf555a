package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/harbordesk/harbordesk/activities"
)

// Activity options: timeouts and retry policies per kind of step.

func actCtx(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Second,
		RetryPolicy: &temporal.RetryPolicy{InitialInterval: 200 * time.Millisecond, BackoffCoefficient: 2,
			MaximumInterval: 30 * time.Second, NonRetryableErrorTypes: []string{activities.ErrPermanent}},
	})
}

// turnCtx bounds the activity that records and answers a customer message.
// What cannot heal fails at once (refused data, a panic);
// anything else is retried for up to turnRetryWindow, long enough to ride out
// a database failover or a worker restart, and then the turn fails for good
// and the customer goes to a person (see turnFailed) instead of the
// conversation waiting on it for ever.
func turnCtx(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout:    30 * time.Second,
		ScheduleToCloseTimeout: turnRetryWindow,
		RetryPolicy: &temporal.RetryPolicy{InitialInterval: 200 * time.Millisecond, BackoffCoefficient: 2,
			MaximumInterval: 30 * time.Second, NonRetryableErrorTypes: []string{activities.ErrPermanent}},
	})
}

// turnRetryWindow is how long a customer message may be retried before it
// counts as failed for good.
const turnRetryWindow = 10 * time.Minute

// discardCtx deletes what must not be kept: a few retries, then the
// retention purge is the backstop.
func discardCtx(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout:    20 * time.Second,
		ScheduleToCloseTimeout: time.Hour,
		RetryPolicy: &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2,
			MaximumInterval: 5 * time.Minute, MaximumAttempts: 10, NonRetryableErrorTypes: []string{activities.ErrPermanent}},
	})
}

func notifyCtx(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout:    20 * time.Second,
		ScheduleToCloseTimeout: 24 * time.Hour,
		RetryPolicy: &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2,
			MaximumInterval: time.Minute, NonRetryableErrorTypes: []string{activities.ErrPermanent}},
	})
}

// crmCtx bounds ERP lookups: a customer waits seconds, not minutes, before
// the tracking-ticket fallback.
func crmCtx(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 5 * time.Second,
		RetryPolicy: &temporal.RetryPolicy{InitialInterval: 300 * time.Millisecond, BackoffCoefficient: 2,
			MaximumInterval: 3 * time.Second, MaximumAttempts: 4, NonRetryableErrorTypes: []string{activities.ErrPermanent}},
	})
}

// lookupCtx bounds a quick lookup run as a local activity (AssignAgent,
// LookupOrder): the same attempts as crmCtx, all within window.
func lookupCtx(ctx workflow.Context, window time.Duration) workflow.Context {
	return workflow.WithLocalActivityOptions(ctx, workflow.LocalActivityOptions{
		StartToCloseTimeout: 5 * time.Second, ScheduleToCloseTimeout: window,
		RetryPolicy: &temporal.RetryPolicy{InitialInterval: 300 * time.Millisecond, BackoffCoefficient: 2,
			MaximumInterval: 3 * time.Second, MaximumAttempts: 4, NonRetryableErrorTypes: []string{activities.ErrPermanent}},
	})
}

// crmWindow is how long a customer waits on the ERP before the
// tracking-ticket fallback; assignWindow how long a routing pick may take
// before the handoff waits in the queue for the next wake.
const (
	crmWindow    = 30 * time.Second
	assignWindow = 30 * time.Second
)

func transcribeCtx(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 5 * time.Minute,
		HeartbeatTimeout:    30 * time.Second,
		RetryPolicy: &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2,
			MaximumInterval: 30 * time.Second, MaximumAttempts: 5,
			NonRetryableErrorTypes: []string{activities.ErrPermanent, activities.ErrNoEngine, activities.ErrBadAudio}},
	})
}

func localCtx(ctx workflow.Context) workflow.Context {
	return workflow.WithLocalActivityOptions(ctx, workflow.LocalActivityOptions{
		StartToCloseTimeout: 10 * time.Second,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: 100 * time.Millisecond, MaximumAttempts: 5},
	})
}
