package workspace

import (
	"context"
	"encoding/json"
	"strings"
	"time"
	"unicode"

	"github.com/jackc/pgx/v5"

	"github.com/harbordesk/harbordesk/internal/store"
	"github.com/harbordesk/harbordesk/internal/store/db"
)

// Store keeps the agents' macros and notes and answers their searches and
// customer-history reads.
type Store struct {
	db db.TxDB
}

// New returns the workspace store on d: a pool, a connection or a
// transaction (CreateMacro and DeleteMacro begin a transaction on it, a
// savepoint on a pgx.Tx).
func New(d db.TxDB) *Store { return &Store{db: d} }

// MacroView is a stored macro.
type MacroView struct {
	ID        string            `json:"id"`
	Title     string            `json:"title"`
	Text      map[string]string `json:"text"`
	CreatedBy string            `json:"created_by"`
	CreatedAt time.Time         `json:"created_at"`
}

// CreateMacro stores a macro (store.ErrConflict when the title is taken) and
// audits it.
func (s *Store) CreateMacro(ctx context.Context, title string, texts map[string]string, by store.Actor) (MacroView, error) {
	m := MacroView{ID: store.NewID("mc_"), Title: title, Text: texts, CreatedBy: by.Identity}
	b, err := json.Marshal(texts)
	if err != nil {
		return m, err
	}
	err = store.InTx(ctx, s.db, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO macros (id, title, texts, created_by) VALUES ($1,$2,$3,$4) RETURNING created_at`,
			m.ID, title, b, by.Identity).Scan(&m.CreatedAt); err != nil {
			return err
		}
		return store.AuditAs(ctx, tx, by, "macro_create", m.ID, map[string]any{"title": title})
	})
	return m, err
}

// Macros lists every macro by title.
func (s *Store) Macros(ctx context.Context) ([]MacroView, error) {
	rows, err := s.db.Query(ctx, `SELECT id, title, texts, created_by, created_at FROM macros ORDER BY lower(title), id LIMIT 1000`)
	if err != nil {
		return nil, store.MapErr(err)
	}
	items, err := pgx.CollectRows(rows, scanMacro)
	if items == nil {
		items = []MacroView{}
	}
	return items, store.MapErr(err)
}

// Macro reads one macro.
func (s *Store) Macro(ctx context.Context, id string) (MacroView, error) {
	rows, err := s.db.Query(ctx, `SELECT id, title, texts, created_by, created_at FROM macros WHERE id = $1`, id)
	if err != nil {
		return MacroView{}, store.MapErr(err)
	}
	m, err := pgx.CollectExactlyOneRow(rows, scanMacro)
	return m, store.MapErr(err)
}

func scanMacro(r pgx.CollectableRow) (MacroView, error) {
	var m MacroView
	var b []byte
	if err := r.Scan(&m.ID, &m.Title, &b, &m.CreatedBy, &m.CreatedAt); err != nil {
		return m, err
	}
	return m, json.Unmarshal(b, &m.Text)
}

// DeleteMacro removes a macro (store.ErrNotFound if there is none) and audits it.
func (s *Store) DeleteMacro(ctx context.Context, id string, by store.Actor) error {
	return store.InTx(ctx, s.db, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM macros WHERE id = $1`, id)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return store.ErrNotFound
		}
		return store.AuditAs(ctx, tx, by, "macro_delete", id, nil)
	})
}

// NoteView is an internal note on a handoff: for agents only, never sent to
// the customer. The contact view (contacts.ContactView.Notes) and the
// privacy export show a contact's notes as NoteViews too.
type NoteView struct {
	ID        int64     `json:"id"`
	HandoffID string    `json:"handoff_id"`
	ContactID string    `json:"contact_id"`
	Author    string    `json:"author"`
	Text      string    `json:"text"`
	At        time.Time `json:"at"`
}

// AddNote stores a masked note on a handoff (store.ErrNotFound when there is no
// such handoff).
func (s *Store) AddNote(ctx context.Context, handoffID, author, maskedText string) (NoteView, error) {
	n := NoteView{HandoffID: handoffID, Author: author, Text: maskedText}
	err := s.db.QueryRow(ctx, `
		INSERT INTO handoff_notes (handoff_id, contact_id, author, text)
		SELECT id, contact_id, $2, $3 FROM handoffs WHERE id = $1
		RETURNING id, contact_id, at`, handoffID, author, maskedText).Scan(&n.ID, &n.ContactID, &n.At)
	return n, store.MapErr(err)
}

// Notes lists a contact's notes, oldest first (on a transaction of the
// caller's, in its snapshot: the privacy export reads them so).
func (s *Store) Notes(ctx context.Context, contactID string) ([]NoteView, error) {
	rows, err := s.db.Query(ctx, `SELECT id, handoff_id, contact_id, author, text, at FROM handoff_notes WHERE contact_id = $1 ORDER BY at, id`, contactID)
	if err != nil {
		return nil, store.MapErr(err)
	}
	items, err := pgx.CollectRows(rows, pgx.RowToStructByPos[NoteView])
	if items == nil {
		items = []NoteView{}
	}
	return items, store.MapErr(err)
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
	rows, err := s.db.Query(ctx, `
		SELECT DISTINCT ON (x.contact_id) x.contact_id, coalesce(t.id, ''), x.src, x.source, x.at
		FROM (
			SELECT contact_id, text AS src, 'message' AS source, received_at AS at FROM messages WHERE text ILIKE $1 AND text <> $2
			UNION ALL
			SELECT contact_id, summary, 'summary', updated_at FROM tickets WHERE summary ILIKE $1 AND summary <> $2
			UNION ALL
			SELECT contact_id, text, 'note', at FROM handoff_notes WHERE text ILIKE $1
		) x LEFT JOIN tickets t ON t.contact_id = x.contact_id
		ORDER BY x.contact_id, x.at DESC`, pat, store.RetentionMarker)
	if err != nil {
		return nil, store.MapErr(err)
	}
	hits, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (SearchHit, error) {
		var h SearchHit
		var src string
		err := r.Scan(&h.ContactID, &h.TicketID, &src, &h.Source, &h.At)
		h.Snippet = Snippet(src, query, 40)
		return h, err
	})
	if err != nil {
		return nil, store.MapErr(err)
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
	rows, err := s.db.Query(ctx, `
		SELECT c.id, c.channel, c.state, c.language, c.intent, c.priority, c.received_at, c.resolved_at,
		       coalesce(t.id, ''), coalesce(t.status, ''), coalesce(t.summary, '')
		FROM contacts c LEFT JOIN tickets t ON t.contact_id = c.id
		WHERE c.customer_id = $1 ORDER BY c.received_at DESC, c.id LIMIT $2`, customerID, limit)
	if err != nil {
		return nil, store.MapErr(err)
	}
	items, err := pgx.CollectRows(rows, pgx.RowToStructByPos[HistoryContact])
	if items == nil {
		items = []HistoryContact{}
	}
	return items, store.MapErr(err)
}
