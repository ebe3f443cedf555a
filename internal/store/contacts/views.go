package contacts

import (
	"context"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/harbordesk/harbordesk/internal/contact"
	"github.com/harbordesk/harbordesk/internal/store"
	"github.com/harbordesk/harbordesk/internal/store/workspace"
)

// ContactView is a contact's status as the API shows it (CONTRACT.md).
type ContactView struct {
	ID              string        `json:"contact_id"`
	WorkflowID      string        `json:"workflow_id"`
	Channel         string        `json:"channel"`
	CustomerID      string        `json:"customer_id"`
	Arm             string        `json:"arm"`
	State           string        `json:"state"`
	Language        string        `json:"language"`
	Script          string        `json:"script"`
	Intent          string        `json:"intent"`
	Confidence      float64       `json:"confidence"`
	Sentiment       float64       `json:"sentiment"`
	Negative        bool          `json:"negative"`
	Priority        string        `json:"priority"`
	ReadBy          string        `json:"read_by"` // engine of the latest reading: offline or llm
	VIP             bool          `json:"vip"`
	AfterHours      bool          `json:"after_hours"`
	EscalationLevel int           `json:"escalation_level"`
	FirstResponseMS *int64        `json:"first_response_ms"`
	ReceivedAt      time.Time     `json:"received_at"`
	ResolvedAt      *time.Time    `json:"resolved_at"`
	Transcript      []MessageView `json:"transcript"`
	Replies         []ReplyView   `json:"replies"`
	Ticket          *TicketView   `json:"ticket"`
	Handoff         *HandoffRef   `json:"handoff"`
	// Notes are agents' internal notes: for agents only, never sent to the customer.
	Notes []workspace.NoteView `json:"notes"`
}

// MessageView is one customer message (masked).
type MessageView struct {
	MessageID string    `json:"message_id"`
	Kind      string    `json:"kind"`
	Text      string    `json:"text"`
	Engine    string    `json:"engine,omitempty"`
	At        time.Time `json:"at"`
	// The message's own reading, which engine made it, and an agent's
	// correction of it (nil when none).
	ReadBy     string             `json:"read_by,omitempty"`
	Intent     string             `json:"intent,omitempty"`
	Negative   *bool              `json:"negative,omitempty"`
	Correction *ReadingCorrection `json:"correction,omitempty"`
}

// ReplyView is one message to the customer.
type ReplyView struct {
	Author    string    `json:"author"`
	Agent     string    `json:"agent,omitempty"`
	Kind      string    `json:"kind"`
	Text      string    `json:"text"`
	ArticleID string    `json:"article_id,omitempty"`
	Delivery  string    `json:"delivery"`
	At        time.Time `json:"at"`
}

// TicketView is a ticket.
type TicketView struct {
	ID         string     `json:"id"`
	ContactID  string     `json:"contact_id"`
	CustomerID string     `json:"customer_id"`
	Channel    string     `json:"channel"`
	Kind       string     `json:"kind"`
	Intent     string     `json:"intent"`
	Priority   string     `json:"priority"`
	Status     string     `json:"status"`
	Language   string     `json:"language"`
	Arm        string     `json:"arm"`
	Summary    string     `json:"summary"`
	Resolution string     `json:"resolution,omitempty"`
	CreatedAt  time.Time  `json:"created_at"`
	UpdatedAt  time.Time  `json:"updated_at"`
	ResolvedAt *time.Time `json:"resolved_at"`
}

// HandoffRef is the handoff inside a contact.
type HandoffRef struct {
	ID    string `json:"id"`
	State string `json:"state"`
	Agent string `json:"agent"`
}

// Contact reads a contact with its transcript, replies, ticket, handoff and
// notes in one statement: one snapshot, so a reader never sees a reply
// without the message it answers, and one round trip (long-polling web
// chats and the benchmark read it once per reply).
func (s *Store) Contact(ctx context.Context, id string) (ContactView, error) {
	var c ContactView
	var ticket *TicketView
	var handoff *HandoffRef
	err := s.db.QueryRow(ctx, contactViewSQL, id).Scan(&c.ID, &c.WorkflowID, &c.Channel, &c.CustomerID, &c.Arm, &c.State,
		&c.Language, &c.Script, &c.Intent, &c.Confidence, &c.Sentiment, &c.Negative, &c.Priority, &c.ReadBy, &c.VIP,
		&c.AfterHours, &c.EscalationLevel, &c.FirstResponseMS, &c.ReceivedAt, &c.ResolvedAt,
		&c.Transcript, &c.Replies, &ticket, &handoff, &c.Notes)
	if err != nil {
		return c, store.MapErr(err)
	}
	c.Ticket, c.Handoff = ticket, handoff
	// JSON carries the session's offset; pgx gives local time for
	// timestamptz columns: show every time of the view the same way.
	for i := range c.Transcript {
		m := &c.Transcript[i]
		m.At = m.At.Local()
		if m.Correction != nil {
			m.Correction.At = m.Correction.At.Local()
		}
	}
	for i := range c.Replies {
		c.Replies[i].At = c.Replies[i].At.Local()
	}
	for i := range c.Notes {
		c.Notes[i].At = c.Notes[i].At.Local()
	}
	if t := c.Ticket; t != nil {
		t.CreatedAt, t.UpdatedAt = t.CreatedAt.Local(), t.UpdatedAt.Local()
		if t.ResolvedAt != nil {
			r := t.ResolvedAt.Local()
			t.ResolvedAt = &r
		}
	}
	return c, nil
}

// contactViewSQL is the contact view: the contact's row, then its parts as
// JSON whose keys are the view's field names.
const contactViewSQL = `
	SELECT c.id, c.workflow_id, c.channel, c.customer_id, c.arm, c.state, c.language, c.script, c.intent, c.confidence,
	       c.sentiment, c.negative, c.priority, c.read_by, c.vip, c.after_hours, c.escalation_level, c.first_response_ms,
	       c.received_at, c.resolved_at,
	       COALESCE((SELECT json_agg(json_build_object('message_id', m.message_id, 'kind', m.kind, 'text', m.text,
	                   'engine', m.engine, 'at', m.received_at, 'read_by', m.read_by, 'intent', m.intent, 'negative', m.negative,
	                   'correction', CASE WHEN k.contact_id IS NOT NULL THEN json_build_object('intent', k.intent,
	                       'negative', k.negative, 'agent', k.agent, 'at', k.at) END) ORDER BY m.seq)
	                 FROM messages m LEFT JOIN reading_corrections k ON k.contact_id = m.contact_id AND k.message_id = m.message_id
	                 WHERE m.contact_id = c.id), '[]'),
	       COALESCE((SELECT json_agg(json_build_object('author', r.author, 'agent', r.agent, 'kind', r.kind, 'text', r.text,
	                   'article_id', r.article_id, 'delivery', r.delivery_state, 'at', r.at) ORDER BY r.seq)
	                 FROM replies r WHERE r.contact_id = c.id), '[]'),
	       (SELECT to_json(t) FROM (SELECT ` + ticketCols + ` FROM tickets WHERE contact_id = c.id) t),
	       (SELECT json_build_object('id', h.id, 'state', h.state, 'agent', h.agent)
	          FROM handoffs h WHERE h.contact_id = c.id ORDER BY h.created_at DESC LIMIT 1),
	       COALESCE((SELECT json_agg(json_build_object('id', n.id, 'handoff_id', n.handoff_id, 'contact_id', n.contact_id,
	                   'author', n.author, 'text', n.text, 'at', n.at) ORDER BY n.at, n.id)
	                 FROM handoff_notes n WHERE n.contact_id = c.id), '[]')
	FROM contacts c WHERE c.id = $1`

// Answers counts the view's non-notice replies (the bot's answers and
// handoff messages, agents' replies): what a long poll waits on.
func (v ContactView) Answers() int {
	n := 0
	for _, r := range v.Replies {
		if r.Kind != contact.KindNotice {
			n++
		}
	}
	return n
}

const ticketCols = `id, contact_id, customer_id, channel, kind, intent, priority, status, language, arm, summary, resolution, created_at, updated_at, resolved_at`

func scanTicket(row pgx.Row) (TicketView, error) {
	var t TicketView
	err := row.Scan(&t.ID, &t.ContactID, &t.CustomerID, &t.Channel, &t.Kind, &t.Intent, &t.Priority, &t.Status,
		&t.Language, &t.Arm, &t.Summary, &t.Resolution, &t.CreatedAt, &t.UpdatedAt, &t.ResolvedAt)
	return t, store.MapErr(err)
}

// TicketCols are the tickets columns ScanTicket reads, in its order; for the
// per-aggregate stores.
const TicketCols = ticketCols

// ScanTicket scans a row of TicketCols (store.ErrNotFound for no row; other errors
// mapped as store.MapErr does).
func ScanTicket(row pgx.Row) (TicketView, error) { return scanTicket(row) }

func (s *Store) ticketBy(ctx context.Context, col, val string) (TicketView, error) {
	return scanTicket(s.db.QueryRow(ctx, `SELECT `+ticketCols+` FROM tickets WHERE `+col+` = $1`, val))
}

// Ticket reads one ticket.
func (s *Store) Ticket(ctx context.Context, id string) (TicketView, error) {
	return s.ticketBy(ctx, "id", id)
}

// TicketFilter narrows a ticket list.
type TicketFilter struct {
	Priority, Status, Kind, CustomerID string
	Limit                              int
	Cursor                             string
}

// Cursor is an opaque keyset position (time + id).
func encodeCursor(t time.Time, id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(t.UnixNano(), 10) + "|" + id))
}

func decodeCursor(c string) (time.Time, string, error) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return time.Time{}, "", store.ErrBadCursor
	}
	ts, id, ok := strings.Cut(string(b), "|")
	n, err := strconv.ParseInt(ts, 10, 64)
	if !ok || err != nil {
		return time.Time{}, "", store.ErrBadCursor
	}
	return time.Unix(0, n), id, nil
}

// Tickets lists tickets newest first.
func (s *Store) Tickets(ctx context.Context, f TicketFilter) ([]TicketView, string, error) {
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	q := `SELECT ` + ticketCols + ` FROM tickets WHERE ($1 = '' OR priority = $1) AND ($2 = '' OR status = $2) AND ($3 = '' OR kind = $3) AND ($4 = '' OR customer_id = $4)`
	args := []any{f.Priority, f.Status, f.Kind, f.CustomerID}
	if f.Cursor != "" {
		t, id, err := decodeCursor(f.Cursor)
		if err != nil {
			return nil, "", err
		}
		q += ` AND (created_at, id) < ($5, $6)`
		args = append(args, t, id)
	}
	q += fmt.Sprintf(` ORDER BY created_at DESC, id DESC LIMIT %d`, f.Limit+1)
	rows, err := s.db.Query(ctx, q, args...)
	if err != nil {
		return nil, "", store.MapErr(err)
	}
	defer rows.Close()
	items := []TicketView{}
	for rows.Next() {
		t, err := scanTicket(rows)
		if err != nil {
			return nil, "", err
		}
		items = append(items, t)
	}
	next := ""
	if len(items) > f.Limit {
		items = items[:f.Limit]
		last := items[len(items)-1]
		next = encodeCursor(last.CreatedAt, last.ID)
	}
	return items, next, store.MapErr(rows.Err())
}
