package activities

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/interceptor"
	"go.temporal.io/sdk/temporal"

	"github.com/harbordesk/harbordesk/internal/store"
)

// Failures that no retry can heal are final: a statement PostgreSQL refused
// for its content (ErrRefused) and a panic (a bug, ErrPermanent) fail the
// activity at once, so the workflow hands the customer to a person instead of
// retrying without end.

// ErrRefused is the error type of a statement the database refused for its
// content (store.Refused). It is non-retryable like ErrPermanent; its own
// type lets the API answer an agent whose text cannot be stored with 422
// rather than "retry later".
const ErrRefused = "refused"

// refused is the final error for a statement the database refused. Only the
// SQLSTATE travels: the server's message and detail can quote the row.
func refused(err error) error {
	return temporal.NewNonRetryableApplicationError(
		fmt.Sprintf("the database refused the data (SQLSTATE %s)", store.SQLState(err)), ErrRefused, nil)
}

// PanicsArePermanent is a worker interceptor that turns a panicking
// activity (regular or local) into a non-retryable ErrPermanent failure. The
// SDK would otherwise retry the same bug under the activity's retry policy.
// The panic value and stack go to the log (the value's type only: it may hold
// customer text), never into Temporal history.
type PanicsArePermanent struct {
	interceptor.WorkerInterceptorBase
	Log *slog.Logger
}

// InterceptActivity wraps every activity execution.
func (p *PanicsArePermanent) InterceptActivity(ctx context.Context, next interceptor.ActivityInboundInterceptor) interceptor.ActivityInboundInterceptor {
	i := &panicGuard{log: p.Log}
	i.Next = next
	return i
}

type panicGuard struct {
	interceptor.ActivityInboundInterceptorBase
	log *slog.Logger
}

func (g *panicGuard) ExecuteActivity(ctx context.Context, in *interceptor.ExecuteActivityInput) (res any, err error) {
	defer func() {
		if r := recover(); r != nil {
			if g.log != nil {
				info := activity.GetInfo(ctx)
				g.log.Error("activity panicked; failing it for good", "activity", info.ActivityType.Name,
					"run_id", info.WorkflowExecution.RunID, "attempt", info.Attempt,
					"panic_type", fmt.Sprintf("%T", r), "stack", string(debug.Stack()))
			}
			res, err = nil, temporal.NewNonRetryableApplicationError("activity panicked (a bug)", ErrPermanent, nil)
		}
	}()
	return g.Next.ExecuteActivity(ctx, in)
}
