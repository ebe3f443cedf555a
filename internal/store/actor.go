package store

import (
	"context"
	"encoding/json"

	"github.com/jackc/pgx/v5"

	"github.com/harbordesk/harbordesk/internal/store/db"
)

// RetentionMarker replaces customer and agent texts that retention erased.
const RetentionMarker = "[erased: retention]"

// Actor is who performs a privacy action, for the audit log.
type Actor struct {
	Identity, Role string
}

// auditAs appends an audit entry inside tx.
func auditAs(ctx context.Context, tx pgx.Tx, by Actor, action, subject string, detail map[string]any) error {
	return AuditAs(ctx, tx, by, action, subject, detail)
}

// AuditAs appends an audit entry by by on d (a transaction, or the pool for
// an entry of its own); for the per-aggregate stores (internal/store/privacy).
// Errors are not mapped.
func AuditAs(ctx context.Context, d db.DB, by Actor, action, subject string, detail map[string]any) error {
	b := []byte("{}")
	if detail != nil {
		var err error
		if b, err = json.Marshal(detail); err != nil {
			return err
		}
	}
	_, err := d.Exec(ctx, `INSERT INTO audit_log (actor, role, action, subject, detail) VALUES ($1,$2,$3,$4,$5)`,
		by.Identity, by.Role, action, subject, b)
	return err
}

// Audit appends an entry to the audit log.
func (s *Store) Audit(ctx context.Context, actor, role, action, subject string, detail map[string]any) error {
	b, _ := json.Marshal(detail)
	if detail == nil {
		b = []byte("{}")
	}
	_, err := s.Pool.Exec(ctx, `INSERT INTO audit_log (actor, role, action, subject, detail) VALUES ($1,$2,$3,$4,$5)`, actor, role, action, subject, b)
	return mapErr(err)
}

// AuditLog appends an audit entry by actor, with no role (the contact
// workflow's entries: an agent's login or "system"), on d — the
// transaction of the change it records; for the per-aggregate stores
// (internal/store/handoffs). Errors are not mapped.
func AuditLog(ctx context.Context, d db.DB, actor, action, subject string, detail map[string]any) error {
	b, _ := json.Marshal(detail)
	if detail == nil {
		b = []byte("{}")
	}
	_, err := d.Exec(ctx, `INSERT INTO audit_log (actor, action, subject, detail) VALUES ($1,$2,$3,$4)`, actor, action, subject, b)
	return err
}
