package activities

import (
	"context"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/harbordesk/harbordesk/internal/store/agents"
	"github.com/harbordesk/harbordesk/internal/store/privacy"
)

// PurgeInput asks for one retention batch: contacts resolved and untouched
// for longer than MaxAge before Now (the workflow's deterministic clock).
type PurgeInput struct {
	MaxAge time.Duration
	Now    time.Time
	Batch  int
}

// PurgeResult is what one batch anonymised; More means call again.
type PurgeResult struct {
	Contacts   int64
	Messages   int64
	Replies    int64
	Tickets    int64
	AudioBlobs int64
	// Attachments deleted; absent (0) in results recorded before attachments existed.
	Attachments int64 `json:",omitempty"`
	// Sessions are sign-in tokens that expired or were revoked over a day ago.
	Sessions int64 `json:",omitempty"`
	More     bool
}

// sessionKeep is how long an ended sign-in's row is kept (the audit log
// keeps the sign-in itself).
const sessionKeep = 24 * time.Hour

// ErrBadRetention marks a retention request that can never succeed.
const ErrBadRetention = "bad_retention"

// PurgeExpired anonymises one batch of expired contacts (texts become
// "[erased: retention]", voice notes are deleted); see privacy.Store.PurgeExpired.
// Each batch is one transaction, so a retried activity repeats nothing.
func (a *Activities) PurgeExpired(ctx context.Context, in PurgeInput) (PurgeResult, error) {
	if in.MaxAge <= 0 || in.Now.IsZero() {
		return PurgeResult{}, temporal.NewNonRetryableApplicationError("retention needs a positive max age and a time", ErrBadRetention, nil)
	}
	if a.Store == nil {
		return PurgeResult{}, temporal.NewNonRetryableApplicationError("no store configured", ErrPermanent, nil)
	}
	n, more, err := privacy.New(a.Store.Pool).PurgeExpired(ctx, in.Now.Add(-in.MaxAge), in.Batch)
	if err != nil {
		return PurgeResult{}, retryable(err)
	}
	sessions, err := agents.New(a.Store.Pool).PruneSessions(ctx, in.Now.Add(-sessionKeep))
	if err != nil {
		return PurgeResult{}, retryable(err)
	}
	return PurgeResult{Contacts: n.Contacts, Messages: n.Messages, Replies: n.Replies, Tickets: n.Tickets,
		AudioBlobs: n.AudioBlobs, Attachments: n.Attachments, Sessions: sessions, More: more}, nil
}
