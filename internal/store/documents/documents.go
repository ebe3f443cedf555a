package documents

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/harbordesk/harbordesk/internal/store"
	"github.com/harbordesk/harbordesk/internal/store/db"
)

// Store reads and writes the versioned business-content documents: the
// lexicon, the playbooks and the business profile.
type Store struct {
	db db.TxDB
}

// New returns the documents store on d: the pool, or a caller's
// transaction (a write then runs in a savepoint of it).
func New(d db.TxDB) *Store { return &Store{db: d} }

// tx runs fn in a transaction (a savepoint when s runs on a pgx.Tx).
func (s *Store) tx(ctx context.Context, fn func(pgx.Tx) error) error {
	return store.MapErr(pgx.BeginFunc(ctx, s.db, fn))
}
