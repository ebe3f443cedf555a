package activities

import (
	"context"
	"time"
)

// BaselineNoop does nothing; it stands in for a contact activity.
func (a *Activities) BaselineNoop(ctx context.Context, step int) error { return nil }

// BaselineInput identifies a baseline run.
type BaselineInput struct {
	ID         string
	ReceivedAt time.Time
}

// BaselineDone records that a baseline run reached its "reply".
func (a *Activities) BaselineDone(ctx context.Context, in BaselineInput) error {
	return retryable(a.Store.RecordBaseline(ctx, in.ID, in.ReceivedAt, time.Now()))
}
