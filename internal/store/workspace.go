package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"strings"
	"time"
	"unicode"

	"github.com/jackc/pgx/v5"
)

// The agents' workspace: macros, internal notes, search and customer
// history. Every text here is already masked by the caller (internal/pii).

// MacroView is a stored macro.
type MacroView struct {
	ID        string            `json:"id"`
	Title     string            `json:"title"`
	Text      map[string]string `json:"text"`
	CreatedBy string            `json:"created_by"`
	CreatedAt time.Time         `json:"created_at"`
}

func newID(prefix string) string {
	var b [10]byte
	_, _ = rand.Read(b[:])
	return prefix + hex.EncodeToString(b[:])
}

// CreateMacro stores a macro (ErrConflict when the title is taken) and
// audits it.
func (s *Store) CreateMacro(ctx context.Context, title string, texts map[string]string, by Actor) (MacroView, error) {
	m := MacroView{ID: newID("mc_"), Title: title, Text: texts, CreatedBy: by.Identity}
	b, err := json.Marshal(texts)
	if err != nil {
		return m, err
	}
	err = s.tx(ctx, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO macros (id, title, texts, created_by) VALUES ($1,$2,$3,$4) RETURNING created_at`,
			m.ID, title, b, by.Identity).Scan(&m.CreatedAt); err != nil {
			return err
		}
		return auditAs(ctx, tx, by, "macro_create", m.ID, map[string]any{"title": title})
	})
	return m, err
}

// Macros lists every macro by title.
func (s *Store) Macros(ctx context.Context) ([]MacroView, error) {
	rows, err := s.Pool.Query(ctx, `SELECT id, title, texts, created_by, created_at FROM macros ORDER BY lower(title), id LIMIT 1000`)
	if err != nil {
		return nil, mapErr(err)
	}
	items, err := pgx.CollectRows(rows, scanMacro)
	if items == nil {
		items = []MacroView{}
	}
	return items, mapErr(err)
}

// Macro reads one macro.
func (s *Store) Macro(ctx context.Context, id string) (MacroView, error) {
	rows, err := s.Pool.Query(ctx, `SELECT id, title, texts, created_by, created_at FROM macros WHERE id = $1`, id)
	if err != nil {
		return MacroView{}, mapErr(err)
	}
	m, err := pgx.CollectExactlyOneRow(rows, scanMacro)
	return m, mapErr(err)
}

func scanMacro(r pgx.CollectableRow) (MacroView, error) {
	var m MacroView
	var b []byte
	if err := r.Scan(&m.ID, &m.Title, &b, &m.CreatedBy, &m.CreatedAt); err != nil {
		return m, err
	}
	return m, json.Unmarshal(b, &m.Text)
}

// DeleteMacro removes a macro (ErrNotFound if there is none) and audits it.
func (s *Store) DeleteMacro(ctx context.Context, id string, by Actor) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM macros WHERE id = $1`, id)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return ErrNotFound
		}
		return auditAs(ctx, tx, by, "macro_delete", id, nil)
	})
}

// NoteView is an internal note on a handoff.
type NoteView struct {
	ID        int64     `json:"id"`
	HandoffID string    `json:"handoff_id"`
	ContactID string    `json:"contact_id"`
	Author    string    `json:"author"`
	Text      string    `json:"text"`
	At        time.Time `json:"at"`
}

// AddNote stores a masked note on a handoff (ErrNotFound when there is no
// such handoff).
func (s *Store) AddNote(ctx context.Context, handoffID, author, maskedText string) (NoteView, error) {
	n := NoteView{HandoffID: handoffID, Author: author, Text: maskedText}
	err := s.Pool.QueryRow(ctx, `
		INSERT INTO handoff_notes (handoff_id, contact_id, author, text)
		SELECT id, contact_id, $2, $3 FROM handoffs WHERE id = $1
		RETURNING id, contact_id, at`, handoffID, author, maskedText).Scan(&n.ID, &n.ContactID, &n.At)
	return n, mapErr(err)
}

// Notes lists a contact's notes, oldest first.
func (s *Store) Notes(ctx context.Context, contactID string) ([]NoteView, error) {
	return notesOf(ctx, s.Pool, contactID)
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

// SearchHit is one contact whose masked text matched.
type SearchHit struct {
	ContactID string    `json:"contact_id"`
	TicketID  string    `json:"ticket_id"`
	Snippet   string    `json:"snippet"`
	Source    string    `json:"source"` // message | summary | note
	At        time.Time `json:"at"`
}

// Search finds contacts whose masked messages, ticket summary or notes
// contain query (case-insensitive), newest match first, one hit per
// contact. The trigram GIN indexes serve it for queries of three or more
// characters; shorter ones still answer correctly, by a scan.
func (s *Store) Search(ctx context.Context, query string, limit int) ([]SearchHit, error) {
	if limit <= 0 || limit > 100 {
		limit = 50
	}
	pat := "%" + escapeLike(query) + "%"
	rows, err := s.Pool.Query(ctx, `
		SELECT DISTINCT ON (x.contact_id) x.contact_id, coalesce(t.id, ''), x.src, x.source, x.at
		FROM (
			SELECT contact_id, text AS src, 'message' AS source, received_at AS at FROM messages WHERE text ILIKE $1 AND text <> $2
			UNION ALL
			SELECT contact_id, summary, 'summary', updated_at FROM tickets WHERE summary ILIKE $1 AND summary <> $2
			UNION ALL
			SELECT contact_id, text, 'note', at FROM handoff_notes WHERE text ILIKE $1
		) x LEFT JOIN tickets t ON t.contact_id = x.contact_id
		ORDER BY x.contact_id, x.at DESC`, pat, RetentionMarker)
	if err != nil {
		return nil, mapErr(err)
	}
	hits, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (SearchHit, error) {
		var h SearchHit
		var src string
		err := r.Scan(&h.ContactID, &h.TicketID, &src, &h.Source, &h.At)
		h.Snippet = Snippet(src, query, 40)
		return h, err
	})
	if err != nil {
		return nil, mapErr(err)
	}
	// newest first across contacts
	for i := 1; i < len(hits); i++ {
		for j := i; j > 0 && hits[j].At.After(hits[j-1].At); j-- {
			hits[j], hits[j-1] = hits[j-1], hits[j]
		}
	}
	if len(hits) > limit {
		hits = hits[:limit]
	}
	if hits == nil {
		hits = []SearchHit{}
	}
	return hits, nil
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// Snippet cuts up to width characters either side of the first
// case-insensitive occurrence of query in text, marking cuts with "…".
func Snippet(text, query string, width int) string {
	tr, qr := []rune(text), []rune(query)
	fold := func(rs []rune) []rune {
		out := make([]rune, len(rs))
		for i, r := range rs {
			out[i] = unicode.ToLower(r)
		}
		return out
	}
	lt, lq := fold(tr), fold(qr)
	at := 0
	for i := 0; i+len(lq) <= len(lt); i++ {
		if string(lt[i:i+len(lq)]) == string(lq) {
			at = i
			break
		}
	}
	from, to := max(at-width, 0), min(at+len(qr)+width, len(tr))
	out := string(tr[from:to])
	if from > 0 {
		out = "…" + out
	}
	if to < len(tr) {
		out += "…"
	}
	return out
}

// HistoryContact is one of a customer's contacts as their history shows it.
type HistoryContact struct {
	ContactID    string     `json:"contact_id"`
	Channel      string     `json:"channel"`
	State        string     `json:"state"`
	Language     string     `json:"language"`
	Intent       string     `json:"intent"`
	Priority     string     `json:"priority"`
	ReceivedAt   time.Time  `json:"received_at"`
	ResolvedAt   *time.Time `json:"resolved_at"`
	TicketID     string     `json:"ticket_id"`
	TicketStatus string     `json:"ticket_status"`
	Summary      string     `json:"summary"`
}

// CustomerHistory lists a customer's contacts, newest first.
func (s *Store) CustomerHistory(ctx context.Context, customerID string, limit int) ([]HistoryContact, error) {
	if limit <= 0 || limit > 200 {
		limit = 100
	}
	rows, err := s.Pool.Query(ctx, `
		SELECT c.id, c.channel, c.state, c.language, c.intent, c.priority, c.received_at, c.resolved_at,
		       coalesce(t.id, ''), coalesce(t.status, ''), coalesce(t.summary, '')
		FROM contacts c LEFT JOIN tickets t ON t.contact_id = c.id
		WHERE c.customer_id = $1 ORDER BY c.received_at DESC, c.id LIMIT $2`, customerID, limit)
	if err != nil {
		return nil, mapErr(err)
	}
	items, err := pgx.CollectRows(rows, pgx.RowToStructByPos[HistoryContact])
	if items == nil {
		items = []HistoryContact{}
	}
	return items, mapErr(err)
}
