package store

import (
	"context"
	"encoding/json"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/harbordesk/harbordesk/internal/contact"
)

// Execer runs a statement: a pool, a connection or a transaction (any
// db.DB) at once, or a queue that adds it to a pipelined batch (the
// contacts store's intake), whose errors surface when the batch is sent.
type Execer interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// KPIFact records a KPI fact of the contact p on e (the transaction of the
// change it counts, or its batch), once per (contact, kind, key); for the
// per-aggregate stores (internal/store/handoffs, internal/store/contacts).
// Errors are not mapped.
func KPIFact(ctx context.Context, e Execer, p contact.Params, kind, key string, at time.Time, lang string, afterHours, bot bool, score int) error {
	_, err := e.Exec(ctx, `
		INSERT INTO kpi_events (contact_id, kind, key, at, arm, language, channel, after_hours, bot, score)
		SELECT $1,$2,$3,$4,$5,COALESCE(NULLIF($6,''), c.language),$7,
		       COALESCE(c.after_hours, $8), $9, $10
		FROM (SELECT 1) one LEFT JOIN contacts c ON c.id = $1
		ON CONFLICT DO NOTHING`,
		p.ContactID, kind, key, at, p.Arm, lang, p.Channel, afterHours, bot, score)
	return err
}

// TicketEvent appends an event to the history of the contact's ticket on e
// (the transaction of the change it records); for the per-aggregate stores
// (internal/store/handoffs, internal/store/contacts). Errors are not
// mapped.
func TicketEvent(ctx context.Context, e Execer, contactID, kind string, detail map[string]any) error {
	b, _ := json.Marshal(detail)
	_, err := e.Exec(ctx, `INSERT INTO ticket_events (ticket_id, kind, detail) SELECT id, $2, $3 FROM tickets WHERE contact_id = $1`, contactID, kind, b)
	return err
}
