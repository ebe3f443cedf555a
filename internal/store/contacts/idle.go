package contacts

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/harbordesk/harbordesk/internal/contact"
	"github.com/harbordesk/harbordesk/internal/store"
)

// CloseIdle resolves a contact the bot settled and nobody reopened.
func (s *Store) CloseIdle(ctx context.Context, p contact.Params, at time.Time) error {
	return store.InTx(ctx, s.db, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE tickets SET status = 'resolved', resolution = 'bot_answered', resolved_at = $2, updated_at = now()
			WHERE contact_id = $1 AND status = 'answered'`, p.ContactID, at)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return nil
		}
		if _, err := tx.Exec(ctx, `UPDATE contacts SET state = 'resolved', resolved_at = $2, updated_at = now() WHERE id = $1`, p.ContactID, at); err != nil {
			return err
		}
		return store.KPIFact(ctx, tx, p, "resolved", "idle", at, "", false, true, 0)
	})
}
