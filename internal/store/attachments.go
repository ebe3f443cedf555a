package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/harbordesk/harbordesk/internal/attach"
	"github.com/harbordesk/harbordesk/internal/codec"
)

// PGObjects is the built-in attach.ObjectStore: sealed bytes in PostgreSQL
// (bytea), in the same database as everything else, so erasure and
// retention delete them in the same transaction as the rows that name them.
type PGObjects struct{ Store *Store }

var _ attach.ObjectStore = PGObjects{}

// Put implements attach.ObjectStore (overwrites: a retried put is the same object).
func (o PGObjects) Put(ctx context.Context, key string, data []byte) error {
	_, err := o.Store.Pool.Exec(ctx, `INSERT INTO attachment_objects (key, data) VALUES ($1,$2)
		ON CONFLICT (key) DO UPDATE SET data = EXCLUDED.data`, key, data)
	return mapErr(err)
}

// Get implements attach.ObjectStore.
func (o PGObjects) Get(ctx context.Context, key string) ([]byte, error) {
	var data []byte
	err := o.Store.Pool.QueryRow(ctx, `SELECT data FROM attachment_objects WHERE key = $1`, key).Scan(&data)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, attach.ErrNoObject
	}
	return data, mapErr(err)
}

// Delete implements attach.ObjectStore.
func (o PGObjects) Delete(ctx context.Context, key string) error {
	_, err := o.Store.Pool.Exec(ctx, `DELETE FROM attachment_objects WHERE key = $1`, key)
	return mapErr(err)
}

// AttachmentView is an attachment's metadata.
type AttachmentView struct {
	ID         string    `json:"id"`
	ContactID  string    `json:"contact_id"`
	CustomerID string    `json:"-"`
	MessageID  string    `json:"message_id"`
	Source     string    `json:"source"`
	MIME       string    `json:"mime"`
	Size       int64     `json:"size"`
	SHA256     string    `json:"sha256"`
	KeyID      string    `json:"-"`
	CreatedAt  time.Time `json:"created_at"`
}

// NewAttachment is what a channel received.
type NewAttachment struct {
	ContactID, CustomerID, MessageID, Source string
}

// AttachmentVault keeps attachments AES-256-GCM sealed (internal/codec,
// the attachment ID bound in as associated data) in an object store, with
// their metadata in PostgreSQL.
type AttachmentVault struct {
	Store   *Store
	Ring    *codec.Keyring
	Objects attach.ObjectStore // nil: PGObjects
}

func (v AttachmentVault) objects() attach.ObjectStore {
	if v.Objects == nil {
		return PGObjects{Store: v.Store}
	}
	return v.Objects
}

// Put sniffs, seals and stores data. The same message delivered again
// (contact, message, source) returns the attachment already stored.
// attach.ErrEmpty / ErrTooLarge / ErrUnsupported for what is not accepted.
func (v AttachmentVault) Put(ctx context.Context, n NewAttachment, data []byte) (AttachmentView, error) {
	mime, err := attach.Sniff(data)
	if err != nil {
		return AttachmentView{}, err
	}
	if existing, err := v.byMessage(ctx, n); err == nil {
		return existing, nil
	} else if !errors.Is(err, ErrNotFound) {
		return AttachmentView{}, err
	}
	sum := sha256.Sum256(data)
	a := AttachmentView{ID: newID("at_"), ContactID: n.ContactID, CustomerID: n.CustomerID, MessageID: n.MessageID,
		Source: n.Source, MIME: mime, Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:])}
	keyID, sealed, err := v.Ring.Seal(data, []byte(a.ID))
	if err != nil {
		return AttachmentView{}, err
	}
	a.KeyID = keyID
	if err := v.objects().Put(ctx, a.ID, sealed); err != nil {
		return AttachmentView{}, err
	}
	err = v.Store.Pool.QueryRow(ctx, `
		INSERT INTO attachments (id, contact_id, customer_id, message_id, source, mime, size, sha256, key_id)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) ON CONFLICT (contact_id, message_id, source) DO NOTHING
		RETURNING created_at`, a.ID, a.ContactID, a.CustomerID, a.MessageID, a.Source, a.MIME, a.Size, a.SHA256, a.KeyID).Scan(&a.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) { // a concurrent delivery won
		_ = v.objects().Delete(ctx, a.ID)
		return v.byMessage(ctx, n)
	}
	if err != nil {
		_ = v.objects().Delete(ctx, a.ID)
		return AttachmentView{}, mapErr(err)
	}
	return a, nil
}

const attachmentCols = `id, contact_id, customer_id, message_id, source, mime, size, sha256, key_id, created_at`

func scanAttachment(r pgx.CollectableRow) (AttachmentView, error) {
	var a AttachmentView
	err := r.Scan(&a.ID, &a.ContactID, &a.CustomerID, &a.MessageID, &a.Source, &a.MIME, &a.Size, &a.SHA256, &a.KeyID, &a.CreatedAt)
	return a, err
}

func (v AttachmentVault) byMessage(ctx context.Context, n NewAttachment) (AttachmentView, error) {
	rows, err := v.Store.Pool.Query(ctx, `SELECT `+attachmentCols+` FROM attachments WHERE contact_id = $1 AND message_id = $2 AND source = $3`,
		n.ContactID, n.MessageID, n.Source)
	if err != nil {
		return AttachmentView{}, mapErr(err)
	}
	a, err := pgx.CollectExactlyOneRow(rows, scanAttachment)
	return a, mapErr(err)
}

// Attachment reads one attachment's metadata.
func (s *Store) Attachment(ctx context.Context, id string) (AttachmentView, error) {
	rows, err := s.Pool.Query(ctx, `SELECT `+attachmentCols+` FROM attachments WHERE id = $1`, id)
	if err != nil {
		return AttachmentView{}, mapErr(err)
	}
	a, err := pgx.CollectExactlyOneRow(rows, scanAttachment)
	return a, mapErr(err)
}

// Attachments lists a contact's attachments, oldest first.
func (s *Store) Attachments(ctx context.Context, contactID string) ([]AttachmentView, error) {
	return attachmentsOf(ctx, s.Pool, `contact_id = $1`, contactID)
}

func attachmentsOf(ctx context.Context, q interface {
	Query(context.Context, string, ...any) (pgx.Rows, error)
}, where string, arg any) ([]AttachmentView, error) {
	rows, err := q.Query(ctx, `SELECT `+attachmentCols+` FROM attachments WHERE `+where+` ORDER BY created_at, id`, arg)
	if err != nil {
		return nil, mapErr(err)
	}
	items, err := pgx.CollectRows(rows, scanAttachment)
	if items == nil {
		items = []AttachmentView{}
	}
	return items, mapErr(err)
}

// AttachmentsOf lists the attachments matching where (with its one argument
// arg) on q, oldest first; for the per-aggregate stores. Errors are mapped as
// MapErr does.
func AttachmentsOf(ctx context.Context, q interface {
	Query(context.Context, string, ...any) (pgx.Rows, error)
}, where string, arg any) ([]AttachmentView, error) {
	return attachmentsOf(ctx, q, where, arg)
}

// Open returns an attachment's metadata and its decrypted bytes.
func (v AttachmentVault) Open(ctx context.Context, id string) (AttachmentView, []byte, error) {
	a, err := v.Store.Attachment(ctx, id)
	if err != nil {
		return a, nil, err
	}
	sealed, err := v.objects().Get(ctx, id)
	if errors.Is(err, attach.ErrNoObject) {
		return a, nil, ErrNotFound
	}
	if err != nil {
		return a, nil, err
	}
	data, err := v.Ring.Open(a.KeyID, sealed, []byte(id))
	return a, data, err
}
