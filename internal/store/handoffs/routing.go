package handoffs

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/harbordesk/harbordesk/internal/routing"
	"github.com/harbordesk/harbordesk/internal/store"
)

// WorkflowsAssignedTo lists the workflow IDs of contacts whose handoff is
// assigned to login and not yet claimed.
func (s *Store) WorkflowsAssignedTo(ctx context.Context, login string) ([]string, error) {
	return s.workflowIDs(ctx, `SELECT c.workflow_id FROM handoffs h JOIN contacts c ON c.id = h.contact_id
		WHERE h.state = 'assigned' AND h.agent = $1 ORDER BY h.created_at LIMIT 1000`, login)
}

// WorkflowsWaiting lists the workflow IDs of contacts whose handoff waits
// in the open queue, most urgent first.
func (s *Store) WorkflowsWaiting(ctx context.Context, limit int) ([]string, error) {
	return s.workflowIDs(ctx, `SELECT c.workflow_id FROM handoffs h JOIN contacts c ON c.id = h.contact_id
		WHERE h.state = 'open' ORDER BY h.priority, h.created_at LIMIT $1`, limit)
}

func (s *Store) workflowIDs(ctx context.Context, q string, arg any) ([]string, error) {
	rows, err := s.db.Query(ctx, q, arg)
	if err != nil {
		return nil, store.MapErr(err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	return ids, store.MapErr(err)
}

// Assignment asks for a handoff to be given to an eligible agent.
type Assignment struct {
	ContactID, HandoffID, Language string
	Exclude                        []string // agents who already let it time out
	At                             time.Time
}

// AssignHandoff picks the agent for a handoff with routing.Pick over the
// online agents (rows locked, so two handoffs routed at once see each
// other's load) and records the assignment. It returns "" when nobody is
// eligible. A retry after a committed attempt (same At) returns the agent
// already chosen.
func (s *Store) AssignHandoff(ctx context.Context, in Assignment) (string, error) {
	var chosen string
	in.At = in.At.Truncate(time.Microsecond) // as PostgreSQL keeps it, so a retry compares equal
	err := store.InTx(ctx, s.db, func(tx pgx.Tx) error {
		var state, agent string
		var at *time.Time
		if err := tx.QueryRow(ctx, `SELECT state, agent, assigned_at FROM handoffs WHERE id = $1 FOR UPDATE`, in.HandoffID).Scan(&state, &agent, &at); err != nil {
			return err
		}
		if state == "assigned" && at != nil && at.Equal(in.At) {
			chosen = agent
			return nil
		}
		if state != "open" && state != "assigned" {
			return nil // claimed or resolved meanwhile: nothing to route
		}
		rows, err := tx.Query(ctx, `SELECT a.login, a.languages, a.presence, a.max_open, a.last_assigned,
				(SELECT count(*) FROM handoffs h WHERE h.agent = a.login AND h.state IN ('assigned', 'claimed') AND h.id <> $1)
			FROM agents a WHERE a.presence = 'online' ORDER BY a.login FOR UPDATE OF a`, in.HandoffID)
		if err != nil {
			return err
		}
		cands, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (routing.Candidate, error) {
			var c routing.Candidate
			err := r.Scan(&c.Login, &c.Languages, &c.Presence, &c.MaxOpen, &c.LastAssigned, &c.Open)
			return c, err
		})
		if err != nil {
			return err
		}
		login, ok := routing.Pick(cands, in.Language, in.Exclude)
		if !ok {
			if state == "assigned" {
				return unassignTx(ctx, tx, in.ContactID, in.HandoffID, agent, "no_agent")
			}
			return nil
		}
		if _, err := tx.Exec(ctx, `UPDATE handoffs SET state = 'assigned', agent = $2, assigned_at = $3 WHERE id = $1`, in.HandoffID, login, in.At); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE agents SET last_assigned = $2 WHERE login = $1`, login, in.At); err != nil {
			return err
		}
		detail := map[string]any{"agent": login}
		if state == "assigned" && agent != "" {
			detail["from"] = agent
		}
		if err := store.AuditLog(ctx, tx, "system", "assign", in.HandoffID, detail); err != nil {
			return err
		}
		chosen = login
		return store.TicketEvent(ctx, tx, in.ContactID, "assigned", map[string]any{"handoff": in.HandoffID, "agent": login})
	})
	return chosen, err
}

// UnassignHandoff puts a handoff assigned to agent back in the open queue
// (the agent went offline or did not claim in time: reason says which).
func (s *Store) UnassignHandoff(ctx context.Context, contactID, handoffID, agent, reason string) error {
	return store.InTx(ctx, s.db, func(tx pgx.Tx) error { return unassignTx(ctx, tx, contactID, handoffID, agent, reason) })
}

func unassignTx(ctx context.Context, tx pgx.Tx, contactID, handoffID, agent, reason string) error {
	tag, err := tx.Exec(ctx, `UPDATE handoffs SET state = 'open', agent = '', assigned_at = NULL WHERE id = $1 AND state = 'assigned' AND agent = $2`, handoffID, agent)
	if err != nil || tag.RowsAffected() == 0 {
		return err
	}
	if err := store.AuditLog(ctx, tx, "system", "unassign", handoffID, map[string]any{"agent": agent, "reason": reason}); err != nil {
		return err
	}
	return store.TicketEvent(ctx, tx, contactID, "unassigned", map[string]any{"handoff": handoffID, "agent": agent, "reason": reason})
}
