package handoffs

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/harbordesk/harbordesk/internal/store"
)

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

// Handoffs lists the queue: highest priority first, then oldest first.
func (s *Store) Handoffs(ctx context.Context, state string, limit int) ([]HandoffView, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	rows, err := s.db.Query(ctx, `SELECT `+handoffCols+handoffFrom+`
		WHERE ($1 = '' OR h.state = $1)
		ORDER BY h.priority ASC, h.created_at ASC, h.id LIMIT $2`, state, limit)
	if err != nil {
		return nil, store.MapErr(err)
	}
	defer rows.Close()
	items := []HandoffView{}
	for rows.Next() {
		h, err := scanHandoff(rows)
		if err != nil {
			return nil, store.MapErr(err)
		}
		items = append(items, h)
	}
	return items, store.MapErr(rows.Err())
}

// Handoff reads one handoff (with its contact's workflow ID).
func (s *Store) Handoff(ctx context.Context, id string) (HandoffView, error) {
	h, err := scanHandoff(s.db.QueryRow(ctx, `SELECT `+handoffCols+handoffFrom+` WHERE h.id = $1`, id))
	return h, store.MapErr(err)
}

// Escalations lists escalations; state "" means all, "open" the live ones.
func (s *Store) Escalations(ctx context.Context, state string) ([]EscalationView, error) {
	rows, err := s.db.Query(ctx, `
		SELECT id, contact_id, handoff_id, level, reason, state, deadline, notified_at FROM escalations
		WHERE ($1 = '' OR state = $1) ORDER BY deadline ASC LIMIT 500`, state)
	if err != nil {
		return nil, store.MapErr(err)
	}
	defer rows.Close()
	items := []EscalationView{}
	for rows.Next() {
		var e EscalationView
		if err := rows.Scan(&e.ID, &e.ContactID, &e.HandoffID, &e.Level, &e.Reason, &e.State, &e.Deadline, &e.NotifiedAt); err != nil {
			return nil, store.MapErr(err)
		}
		items = append(items, e)
	}
	return items, store.MapErr(rows.Err())
}
