package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"time"

	"github.com/jackc/pgx/v5"
)

// An agent's internal notes are written by the agents' workspace store
// (internal/store/workspace); the note view and its reader stay here, where
// the contact view (contacts.Contact) reads a contact's notes in its snapshot and the
// privacy export (NotesOf) in its own.

// NoteView is an internal note on a handoff.
type NoteView struct {
	ID        int64     `json:"id"`
	HandoffID string    `json:"handoff_id"`
	ContactID string    `json:"contact_id"`
	Author    string    `json:"author"`
	Text      string    `json:"text"`
	At        time.Time `json:"at"`
}

func notesOf(ctx context.Context, q interface {
	Query(context.Context, string, ...any) (pgx.Rows, error)
}, contactID string) ([]NoteView, error) {
	rows, err := q.Query(ctx, `SELECT id, handoff_id, contact_id, author, text, at FROM handoff_notes WHERE contact_id = $1 ORDER BY at, id`, contactID)
	if err != nil {
		return nil, mapErr(err)
	}
	items, err := pgx.CollectRows(rows, pgx.RowToStructByPos[NoteView])
	if items == nil {
		items = []NoteView{}
	}
	return items, mapErr(err)
}

// NotesOf lists a contact's notes on q (a pool or a transaction), oldest
// first; for the per-aggregate stores. Errors are mapped as MapErr does.
func NotesOf(ctx context.Context, q interface {
	Query(context.Context, string, ...any) (pgx.Rows, error)
}, contactID string) ([]NoteView, error) {
	return notesOf(ctx, q, contactID)
}

// newID returns prefix and 20 random hex digits: the IDs of rows the stores
// create (attachments, macros).
func newID(prefix string) string {
	var b [10]byte
	_, _ = rand.Read(b[:])
	return prefix + hex.EncodeToString(b[:])
}

// NewID is newID for the per-aggregate stores (internal/store/workspace).
func NewID(prefix string) string { return newID(prefix) }
