package store

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/harbordesk/harbordesk/internal/store/db"
)

// ErrInvalidDocument wraps a knowledge-base article or lexicon that fails
// validation; the text after "invalid document: " is the validator's message
// (field names and IDs, never customer text).
var ErrInvalidDocument = errors.New("invalid document")

// DefaultAuthor is the author recorded for shipped default content.
const DefaultAuthor = "harbordesk-default"

// Editor is who changes KB or lexicon content: the version's author and the
// audit log's actor and role.
type Editor struct {
	Identity string
	Role     string
}

// Content sources.
const (
	SourceDatabase = "database"
	SourceDefault  = "default"
)

// bumpRevision increments a content counter and so takes the row lock that
// serialises writers of that kind until the transaction ends.
func bumpRevision(ctx context.Context, tx pgx.Tx, name string) (int64, error) {
	var rev int64
	err := tx.QueryRow(ctx, `UPDATE content_revisions SET revision = revision + 1 WHERE name = $1 RETURNING revision`, name).Scan(&rev)
	return rev, err
}

// BumpRevision increments the content counter name in tx and so takes the
// row lock that serialises writers of that kind until tx ends; for the
// per-aggregate content stores (internal/store/articles,
// internal/store/documents). Errors are not mapped.
func BumpRevision(ctx context.Context, tx pgx.Tx, name string) (int64, error) {
	return bumpRevision(ctx, tx, name)
}

// Revision reads the content counter name on d (ErrNotFound for an unknown
// name; other errors mapped as MapErr does).
func Revision(ctx context.Context, d db.DB, name string) (int64, error) {
	var rev int64
	err := d.QueryRow(ctx, `SELECT revision FROM content_revisions WHERE name = $1`, name).Scan(&rev)
	return rev, mapErr(err)
}

func auditTx(ctx context.Context, tx pgx.Tx, by Editor, action, subject string, detail map[string]any) error {
	b, err := json.Marshal(detail)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `INSERT INTO audit_log (actor, role, action, subject, detail) VALUES ($1,$2,$3,$4,$5)`,
		by.Identity, by.Role, action, subject, b)
	return err
}

// AuditTx records a content change by by in the audit log within tx; for
// the per-aggregate content stores. Errors are not mapped.
func AuditTx(ctx context.Context, tx pgx.Tx, by Editor, action, subject string, detail map[string]any) error {
	return auditTx(ctx, tx, by, action, subject, detail)
}

// SourceOf names where content in force comes from: the database or the
// defaults shipped in the binary.
func SourceOf(fromDB bool) string {
	if fromDB {
		return SourceDatabase
	}
	return SourceDefault
}
