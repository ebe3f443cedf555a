package handoffs

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/harbordesk/harbordesk/internal/contact"
	"github.com/harbordesk/harbordesk/internal/store"
	"github.com/harbordesk/harbordesk/internal/store/db"
)

// Store keeps the handoffs, their routing to agents and their SLA
// escalations.
type Store struct {
	db db.TxDB
}

// New returns the handoffs store on d: a pool, a connection or a
// transaction (each write begins a transaction on it, a savepoint on a
// pgx.Tx).
func New(d db.TxDB) *Store { return &Store{db: d} }

// OpenHandoff records a new handoff task and moves the ticket to the agents'
// queue (or "waiting" for the morning shift when it arrives after hours).
func (s *Store) OpenHandoff(ctx context.Context, p contact.Params, h contact.Handoff, language string, deadline time.Time, afterHours bool) error {
	return store.InTx(ctx, s.db, func(tx pgx.Tx) error { return OpenTx(ctx, tx, p, h, language, deadline, afterHours) })
}

// OpenTx is OpenHandoff inside tx, a transaction of the caller's: the turn
// that decided the handoff (contacts.RecordTurn) records it with the rest of
// the turn. Errors are not mapped.
func OpenTx(ctx context.Context, tx pgx.Tx, p contact.Params, h contact.Handoff, language string, deadline time.Time, afterHours bool) error {
	status := "pending_agent"
	if afterHours && h.Priority != "P1" {
		status = "waiting"
	}
	if _, err := tx.Exec(ctx, `
			INSERT INTO handoffs (id, contact_id, state, priority, language, reason, sla_deadline, created_at)
			VALUES ($1,$2,'open',$3,$4,$5,$6,$7) ON CONFLICT (id) DO NOTHING`,
		h.ID, p.ContactID, h.Priority, language, h.Reason, deadline, h.OpenedAt); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `UPDATE tickets SET status = $2, priority = LEAST(priority, $3), updated_at = now() WHERE contact_id = $1`, p.ContactID, status, h.Priority); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `UPDATE contacts SET state = 'waiting_agent', updated_at = now() WHERE id = $1`, p.ContactID); err != nil {
		return err
	}
	if err := store.KPIFact(ctx, tx, p, "handoff", h.ID, h.OpenedAt, language, afterHours, false, 0); err != nil {
		return err
	}
	return store.TicketEvent(ctx, tx, p.ContactID, "handoff_opened", map[string]any{"handoff": h.ID, "reason": h.Reason, "priority": h.Priority})
}

// RecordClaim marks a handoff claimed by agent (the workflow already decided
// the claim won) and audits it.
func (s *Store) RecordClaim(ctx context.Context, contactID, handoffID, agent string, at time.Time) error {
	return store.InTx(ctx, s.db, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE handoffs SET state = 'claimed', agent = $2, claimed_at = $3 WHERE id = $1`, handoffID, agent, at); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE tickets SET status = 'in_progress', updated_at = now() WHERE contact_id = $1`, contactID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE contacts SET state = 'with_agent', updated_at = now() WHERE id = $1`, contactID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE escalations SET state = 'closed' WHERE handoff_id = $1 AND state = 'open'`, handoffID); err != nil {
			return err
		}
		if err := store.AuditLog(ctx, tx, agent, "claim", handoffID, nil); err != nil {
			return err
		}
		return store.TicketEvent(ctx, tx, contactID, "claimed", map[string]any{"handoff": handoffID, "agent": agent})
	})
}

// RecordRelease puts a claimed handoff back in the queue.
func (s *Store) RecordRelease(ctx context.Context, contactID, handoffID, agent string, at time.Time) error {
	return store.InTx(ctx, s.db, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE handoffs SET state = 'open', agent = '', created_at = $2 WHERE id = $1`, handoffID, at); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE tickets SET status = 'pending_agent', updated_at = now() WHERE contact_id = $1`, contactID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE contacts SET state = 'waiting_agent', updated_at = now() WHERE id = $1`, contactID); err != nil {
			return err
		}
		if err := store.AuditLog(ctx, tx, agent, "release", handoffID, nil); err != nil {
			return err
		}
		return store.TicketEvent(ctx, tx, contactID, "released", map[string]any{"handoff": handoffID, "agent": agent})
	})
}

// RecordReopen puts the handoff of an agent who stayed silent past the SLA
// target back in the queue, its SLA clock restarting at at, and audits it as
// "reopened_inactive" (the actor is the system; the silent agent is in the
// detail).
func (s *Store) RecordReopen(ctx context.Context, contactID, handoffID, agent string, at time.Time) error {
	return store.InTx(ctx, s.db, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE handoffs SET state = 'open', agent = '', created_at = $2 WHERE id = $1 AND state = 'claimed'`, handoffID, at); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE tickets SET status = 'pending_agent', updated_at = now() WHERE contact_id = $1`, contactID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE contacts SET state = 'waiting_agent', updated_at = now() WHERE id = $1`, contactID); err != nil {
			return err
		}
		if err := store.AuditLog(ctx, tx, "system", "reopened_inactive", handoffID, map[string]any{"agent": agent}); err != nil {
			return err
		}
		return store.TicketEvent(ctx, tx, contactID, "reopened_inactive", map[string]any{"handoff": handoffID, "agent": agent})
	})
}

// Transfer is a handoff handed to another agent: From held it ("" when a
// supervisor assigns an open one), By asked for it.
type Transfer struct {
	ContactID, HandoffID string
	From, To, By         string
	At                   time.Time
}

// RecordTransfer makes t.To the handoff's agent and audits the transfer.
func (s *Store) RecordTransfer(ctx context.Context, t Transfer) error {
	return store.InTx(ctx, s.db, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE handoffs SET state = 'claimed', agent = $2, claimed_at = COALESCE(claimed_at, $3) WHERE id = $1 AND state <> 'resolved'`, t.HandoffID, t.To, t.At); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE tickets SET status = 'in_progress', updated_at = now() WHERE contact_id = $1 AND status <> 'resolved'`, t.ContactID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE contacts SET state = 'with_agent', updated_at = now() WHERE id = $1 AND state <> 'resolved'`, t.ContactID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE escalations SET state = 'closed' WHERE handoff_id = $1 AND state = 'open'`, t.HandoffID); err != nil {
			return err
		}
		detail := map[string]any{"from": t.From, "to": t.To}
		if err := store.AuditLog(ctx, tx, t.By, "transfer", t.HandoffID, detail); err != nil {
			return err
		}
		return store.TicketEvent(ctx, tx, t.ContactID, "transferred", map[string]any{"handoff": t.HandoffID, "from": t.From, "to": t.To, "by": t.By})
	})
}

// Resolution closes a handoff, its ticket and its contact.
type Resolution struct {
	Params                       contact.Params
	HandoffID, Agent, Text, Code string
	At                           time.Time
}

// RecordResolve closes the handoff, the ticket and the contact.
func (s *Store) RecordResolve(ctx context.Context, r Resolution) error {
	return store.InTx(ctx, s.db, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE handoffs SET state = 'resolved', resolved_at = $2 WHERE id = $1`, r.HandoffID, r.At); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE tickets SET status = 'resolved', resolution = $2, resolved_at = $3, updated_at = now() WHERE contact_id = $1`, r.Params.ContactID, r.Code+" "+r.Text, r.At); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE contacts SET state = 'resolved', resolved_at = $2, updated_at = now() WHERE id = $1`, r.Params.ContactID, r.At); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE escalations SET state = 'closed' WHERE contact_id = $1 AND state = 'open'`, r.Params.ContactID); err != nil {
			return err
		}
		if err := store.KPIFact(ctx, tx, r.Params, "resolved", r.HandoffID, r.At, "", false, r.Agent == "", 0); err != nil {
			return err
		}
		if err := store.AuditLog(ctx, tx, r.Agent, "resolve", r.HandoffID, map[string]any{"code": r.Code}); err != nil {
			return err
		}
		return store.TicketEvent(ctx, tx, r.Params.ContactID, "resolved", map[string]any{"handoff": r.HandoffID, "agent": r.Agent, "code": r.Code})
	})
}

// Escalation is one level of an SLA escalation.
type Escalation struct {
	ID, ContactID, HandoffID, Reason string
	Level                            int
	Deadline                         time.Time
}

// RecordEscalation stores an escalation level once and raises the contact's
// level. It reports whether the level is new (so it is notified once).
func (s *Store) RecordEscalation(ctx context.Context, e Escalation) (bool, error) {
	var fresh bool
	err := store.InTx(ctx, s.db, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `
			INSERT INTO escalations (id, contact_id, handoff_id, level, reason, deadline)
			VALUES ($1,$2,$3,$4,$5,$6) ON CONFLICT (id) DO NOTHING`,
			e.ID, e.ContactID, e.HandoffID, e.Level, e.Reason, e.Deadline)
		if err != nil {
			return err
		}
		fresh = tag.RowsAffected() == 1
		if _, err := tx.Exec(ctx, `UPDATE contacts SET escalation_level = GREATEST(escalation_level, $2), updated_at = now() WHERE id = $1`, e.ContactID, e.Level); err != nil {
			return err
		}
		if e.Reason == "sla_breached" {
			if _, err := tx.Exec(ctx, `
				INSERT INTO kpi_events (contact_id, kind, key, at, arm, language, channel, after_hours)
				SELECT id, 'sla_breach', $2, $3, arm, language, channel, after_hours FROM contacts WHERE id = $1
				ON CONFLICT DO NOTHING`, e.ContactID, e.HandoffID, e.Deadline); err != nil {
				return err
			}
		}
		return store.TicketEvent(ctx, tx, e.ContactID, "escalated", map[string]any{"level": e.Level, "reason": e.Reason})
	})
	return fresh, err
}

// MarkNotified records when an escalation's push went out.
func (s *Store) MarkNotified(ctx context.Context, escalationID string, at time.Time) error {
	_, err := s.db.Exec(ctx, `UPDATE escalations SET notified_at = $2 WHERE id = $1 AND notified_at IS NULL`, escalationID, at)
	return store.MapErr(err)
}
