package store

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/harbordesk/harbordesk/internal/contact"
)

// HandoffOpener records a new handoff h of the contact p inside tx, the
// transaction of the turn that decided it. The handoffs aggregate owns that
// write (handoffs.OpenTx is the one to pass); internal/store only declares
// what RecordTurn needs, because internal/store/handoffs builds on this
// package (its sentinels, InTx, the audit, KPI and ticket-event helpers)
// and so cannot be imported from here.
type HandoffOpener func(ctx context.Context, tx pgx.Tx, p contact.Params, h contact.Handoff, language string, deadline time.Time, afterHours bool) error

// errNoHandoffOpener is a HandoffRecord without its Open: a programming
// error, refused rather than a turn committed without its handoff.
var errNoHandoffOpener = errors.New("store: HandoffRecord.Open is nil (pass handoffs.OpenTx)")

// open records r's handoff in tx with r.Open.
func (r *HandoffRecord) open(ctx context.Context, tx pgx.Tx, p contact.Params, h contact.Handoff, language string, deadline time.Time, afterHours bool) error {
	if r.Open == nil {
		return errNoHandoffOpener
	}
	return r.Open(ctx, tx, p, h, language, deadline, afterHours)
}
