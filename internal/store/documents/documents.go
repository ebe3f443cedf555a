package documents

import "github.com/harbordesk/harbordesk/internal/store/db"

// Store reads and writes the versioned business-content documents: the
// lexicon, the playbooks and the business profile.
type Store struct {
	db db.TxDB
}

// New returns the documents store on d: the pool, or a caller's
// transaction (a write then runs in a savepoint of it).
func New(d db.TxDB) *Store { return &Store{db: d} }
