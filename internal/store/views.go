package store

import (
	"context"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
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
	Notes []NoteView `json:"notes"`
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

// HandoffView is a queue item.
type HandoffView struct {
	ID          string     `json:"id"`
	ContactID   string     `json:"contact_id"`
	State       string     `json:"state"`
	Priority    string     `json:"priority"`
	Language    string     `json:"language"`
	Reason      string     `json:"reason"`
	Agent       string     `json:"agent"`
	CreatedAt   time.Time  `json:"created_at"`
	SLADeadline *time.Time `json:"sla_deadline"`
	WorkflowID  string     `json:"-"`

	// What an agent triages by, besides priority, language and age: the
	// channel, the customer's intent, an urgent signal (negative words,
	// P1), VIP, and a masked snippet of the customer's last message.
	Channel    string `json:"channel"`
	Intent     string `json:"intent"`
	Urgent     bool   `json:"urgent"`
	VIP        bool   `json:"vip"`
	Snippet    string `json:"snippet"`
	AgeSeconds int64  `json:"age_seconds"`
}

// snippetRunes bounds a queue row's snippet.
const snippetRunes = 80

// handoffCols are a queue row's columns (handoffs h, contacts c, last message m).
const handoffCols = `h.id, h.contact_id, h.state, h.priority, h.language, h.reason, h.agent, h.created_at, h.sla_deadline, c.workflow_id,
	c.channel, c.intent, c.negative OR c.priority = 'P1', c.vip, COALESCE(m.text, ''), GREATEST(0, EXTRACT(EPOCH FROM now() - h.created_at))::bigint`

const handoffFrom = ` FROM handoffs h JOIN contacts c ON c.id = h.contact_id
	LEFT JOIN LATERAL (SELECT text FROM messages WHERE contact_id = h.contact_id ORDER BY seq DESC LIMIT 1) m ON true`

func scanHandoff(row pgx.Row) (HandoffView, error) {
	var h HandoffView
	err := row.Scan(&h.ID, &h.ContactID, &h.State, &h.Priority, &h.Language, &h.Reason, &h.Agent, &h.CreatedAt, &h.SLADeadline, &h.WorkflowID,
		&h.Channel, &h.Intent, &h.Urgent, &h.VIP, &h.Snippet, &h.AgeSeconds)
	h.Snippet = clip(h.Snippet, snippetRunes)
	return h, err
}

// clip shortens s to n runes, marking the cut with an ellipsis.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// EscalationView is an escalation item.
type EscalationView struct {
	ID         string     `json:"id"`
	ContactID  string     `json:"contact_id"`
	HandoffID  string     `json:"handoff_id"`
	Level      int        `json:"level"`
	Reason     string     `json:"reason"`
	State      string     `json:"state"`
	Deadline   time.Time  `json:"deadline"`
	NotifiedAt *time.Time `json:"notified_at"`
}

// Contact reads a contact with its transcript, replies, ticket and handoff.
// All parts are read in one REPEATABLE READ snapshot, so a reader never sees
// a reply without the message it answers.
func (s *Store) Contact(ctx context.Context, id string) (ContactView, error) {
	var c ContactView
	tx, err := s.Pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return c, mapErr(err)
	}
	defer tx.Rollback(ctx)
	err = tx.QueryRow(ctx, `
		SELECT id, workflow_id, channel, customer_id, arm, state, language, script, intent, confidence,
		       sentiment, negative, priority, read_by, vip, after_hours, escalation_level, first_response_ms, received_at, resolved_at
		FROM contacts WHERE id = $1`, id).Scan(&c.ID, &c.WorkflowID, &c.Channel, &c.CustomerID, &c.Arm, &c.State,
		&c.Language, &c.Script, &c.Intent, &c.Confidence, &c.Sentiment, &c.Negative, &c.Priority, &c.ReadBy, &c.VIP,
		&c.AfterHours, &c.EscalationLevel, &c.FirstResponseMS, &c.ReceivedAt, &c.ResolvedAt)
	if err != nil {
		return c, mapErr(err)
	}
	c.Transcript, c.Replies = []MessageView{}, []ReplyView{}
	rows, err := tx.Query(ctx, `
		SELECT m.message_id, m.kind, m.text, m.engine, m.received_at, m.read_by, m.intent, m.negative,
		       k.intent, k.negative, k.agent, k.at
		FROM messages m LEFT JOIN reading_corrections k ON k.contact_id = m.contact_id AND k.message_id = m.message_id
		WHERE m.contact_id = $1 ORDER BY m.seq`, id)
	if err != nil {
		return c, mapErr(err)
	}
	for rows.Next() {
		var m MessageView
		var kIntent, kAgent *string
		var kNeg *bool
		var kAt *time.Time
		if err := rows.Scan(&m.MessageID, &m.Kind, &m.Text, &m.Engine, &m.At, &m.ReadBy, &m.Intent, &m.Negative,
			&kIntent, &kNeg, &kAgent, &kAt); err != nil {
			return c, mapErr(err)
		}
		if kIntent != nil {
			m.Correction = &ReadingCorrection{Intent: *kIntent, Negative: *kNeg, Agent: *kAgent, At: *kAt}
		}
		c.Transcript = append(c.Transcript, m)
	}
	if err := rows.Err(); err != nil {
		return c, mapErr(err)
	}
	rows, err = tx.Query(ctx, `SELECT author, agent, kind, text, article_id, delivery_state, at FROM replies WHERE contact_id = $1 ORDER BY seq`, id)
	if err != nil {
		return c, mapErr(err)
	}
	for rows.Next() {
		var r ReplyView
		if err := rows.Scan(&r.Author, &r.Agent, &r.Kind, &r.Text, &r.ArticleID, &r.Delivery, &r.At); err != nil {
			return c, mapErr(err)
		}
		c.Replies = append(c.Replies, r)
	}
	if err := rows.Err(); err != nil {
		return c, mapErr(err)
	}
	if t, err := scanTicket(tx.QueryRow(ctx, `SELECT `+ticketCols+` FROM tickets WHERE contact_id = $1`, id)); err == nil {
		c.Ticket = &t
	} else if err != ErrNotFound {
		return c, err
	}
	var h HandoffRef
	err = tx.QueryRow(ctx, `SELECT id, state, agent FROM handoffs WHERE contact_id = $1 ORDER BY created_at DESC LIMIT 1`, id).Scan(&h.ID, &h.State, &h.Agent)
	if err == nil {
		c.Handoff = &h
	} else if err != pgx.ErrNoRows {
		return c, mapErr(err)
	}
	c.Notes, err = notesOf(ctx, tx, id)
	return c, err
}

// Answers counts a contact's non-notice replies (ErrNotFound if there is no
// such contact): the cheap check long-polling requests wait on.
func (s *Store) Answers(ctx context.Context, id string) (int, error) {
	var n int
	var exists bool
	err := s.Pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM contacts WHERE id = $1),
		(SELECT count(*) FROM replies WHERE contact_id = $1 AND kind <> 'notice')`, id).Scan(&exists, &n)
	if err != nil {
		return 0, mapErr(err)
	}
	if !exists {
		return 0, ErrNotFound
	}
	return n, nil
}

const ticketCols = `id, contact_id, customer_id, channel, kind, intent, priority, status, language, arm, summary, resolution, created_at, updated_at, resolved_at`

func scanTicket(row pgx.Row) (TicketView, error) {
	var t TicketView
	err := row.Scan(&t.ID, &t.ContactID, &t.CustomerID, &t.Channel, &t.Kind, &t.Intent, &t.Priority, &t.Status,
		&t.Language, &t.Arm, &t.Summary, &t.Resolution, &t.CreatedAt, &t.UpdatedAt, &t.ResolvedAt)
	return t, mapErr(err)
}

// TicketCols are the tickets columns ScanTicket reads, in its order; for the
// per-aggregate stores.
const TicketCols = ticketCols

// ScanTicket scans a row of TicketCols (ErrNotFound for no row; other errors
// mapped as MapErr does).
func ScanTicket(row pgx.Row) (TicketView, error) { return scanTicket(row) }

func (s *Store) ticketBy(ctx context.Context, col, val string) (TicketView, error) {
	return scanTicket(s.Pool.QueryRow(ctx, `SELECT `+ticketCols+` FROM tickets WHERE `+col+` = $1`, val))
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

// ErrBadCursor is returned for a cursor the server did not issue.
var ErrBadCursor = fmt.Errorf("bad cursor")

func decodeCursor(c string) (time.Time, string, error) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return time.Time{}, "", ErrBadCursor
	}
	ts, id, ok := strings.Cut(string(b), "|")
	n, err := strconv.ParseInt(ts, 10, 64)
	if !ok || err != nil {
		return time.Time{}, "", ErrBadCursor
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
	rows, err := s.Pool.Query(ctx, q, args...)
	if err != nil {
		return nil, "", mapErr(err)
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
	return items, next, mapErr(rows.Err())
}

// Handoffs lists the queue: highest priority first, then oldest first.
func (s *Store) Handoffs(ctx context.Context, state string, limit int) ([]HandoffView, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	rows, err := s.Pool.Query(ctx, `SELECT `+handoffCols+handoffFrom+`
		WHERE ($1 = '' OR h.state = $1)
		ORDER BY h.priority ASC, h.created_at ASC, h.id LIMIT $2`, state, limit)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	items := []HandoffView{}
	for rows.Next() {
		h, err := scanHandoff(rows)
		if err != nil {
			return nil, mapErr(err)
		}
		items = append(items, h)
	}
	return items, mapErr(rows.Err())
}

// Handoff reads one handoff (with its contact's workflow ID).
func (s *Store) Handoff(ctx context.Context, id string) (HandoffView, error) {
	h, err := scanHandoff(s.Pool.QueryRow(ctx, `SELECT `+handoffCols+handoffFrom+` WHERE h.id = $1`, id))
	return h, mapErr(err)
}

// Escalations lists escalations; state "" means all, "open" the live ones.
func (s *Store) Escalations(ctx context.Context, state string) ([]EscalationView, error) {
	rows, err := s.Pool.Query(ctx, `
		SELECT id, contact_id, handoff_id, level, reason, state, deadline, notified_at FROM escalations
		WHERE ($1 = '' OR state = $1) ORDER BY deadline ASC LIMIT 500`, state)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	items := []EscalationView{}
	for rows.Next() {
		var e EscalationView
		if err := rows.Scan(&e.ID, &e.ContactID, &e.HandoffID, &e.Level, &e.Reason, &e.State, &e.Deadline, &e.NotifiedAt); err != nil {
			return nil, mapErr(err)
		}
		items = append(items, e)
	}
	return items, mapErr(rows.Err())
}
