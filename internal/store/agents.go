package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/harbordesk/harbordesk/internal/routing"
)

// Agent is a person's account as /v1/agents shows it, with presence and the
// number of handoffs they hold (assigned or claimed, unresolved).
type Agent struct {
	ID         string    `json:"id"`
	Login      string    `json:"login"`
	Name       string    `json:"name"`
	Role       string    `json:"role"`
	Languages  []string  `json:"languages"`
	MaxOpen    int       `json:"max_open"`
	Presence   string    `json:"presence"`
	PresenceAt time.Time `json:"presence_at"`
	Open       int       `json:"open"`
	SSOOnly    bool      `json:"sso_only"`
	CreatedAt  time.Time `json:"created_at"`
}

// NewAgent is an account to create; PasswordHash "" makes it SSO-only.
type NewAgent struct {
	ID, Login, Name, Role string
	Languages             []string
	MaxOpen               int
	PasswordHash          string
}

// CreateAgent stores a new account (ErrConflict: the login is taken).
func (s *Store) CreateAgent(ctx context.Context, a NewAgent) error {
	_, err := s.Pool.Exec(ctx, `INSERT INTO agents (id, login, name, role, languages, max_open, password_hash)
		VALUES ($1,$2,$3,$4,$5,$6,$7)`, a.ID, a.Login, a.Name, a.Role, a.Languages, a.MaxOpen, a.PasswordHash)
	return mapErr(err)
}

// AgentPatch changes some fields of an account; nil leaves a field as it is.
type AgentPatch struct {
	Name, Role, PasswordHash *string
	Languages                []string
	MaxOpen                  *int
}

// UpdateAgent applies p. A new password or role revokes the account's
// sessions, so the person signs in again under the new terms.
func (s *Store) UpdateAgent(ctx context.Context, id string, p AgentPatch) error {
	return s.tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE agents SET name = COALESCE($2, name), role = COALESCE($3, role),
			password_hash = COALESCE($4, password_hash), languages = COALESCE($5, languages),
			max_open = COALESCE($6, max_open), updated_at = now() WHERE id = $1`,
			id, p.Name, p.Role, p.PasswordHash, p.Languages, p.MaxOpen)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return ErrNotFound
		}
		if p.PasswordHash != nil || p.Role != nil {
			_, err = tx.Exec(ctx, `UPDATE agent_sessions SET revoked_at = now() WHERE agent_id = $1 AND revoked_at IS NULL`, id)
		}
		return err
	})
}

// DeleteAgent removes an account and its sessions and returns its login
// (handoffs and the audit log keep the login as text).
func (s *Store) DeleteAgent(ctx context.Context, id string) (string, error) {
	var login string
	err := s.Pool.QueryRow(ctx, `DELETE FROM agents WHERE id = $1 RETURNING login`, id).Scan(&login)
	return login, mapErr(err)
}

const agentCols = `a.id, a.login, a.name, a.role, a.languages, a.max_open, a.presence, a.presence_at, a.password_hash = '', a.created_at,
	(SELECT count(*) FROM handoffs h WHERE h.agent = a.login AND h.state IN ('assigned', 'claimed'))`

func scanAgent(row pgx.Row) (Agent, error) {
	var a Agent
	err := row.Scan(&a.ID, &a.Login, &a.Name, &a.Role, &a.Languages, &a.MaxOpen, &a.Presence, &a.PresenceAt, &a.SSOOnly, &a.CreatedAt, &a.Open)
	return a, mapErr(err)
}

// Agents lists every account by login.
func (s *Store) Agents(ctx context.Context) ([]Agent, error) {
	rows, err := s.Pool.Query(ctx, `SELECT `+agentCols+` FROM agents a ORDER BY a.login LIMIT 1000`)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := []Agent{}
	for rows.Next() {
		a, err := scanAgent(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, mapErr(rows.Err())
}

// AgentByID reads one account.
func (s *Store) AgentByID(ctx context.Context, id string) (Agent, error) {
	return scanAgent(s.Pool.QueryRow(ctx, `SELECT `+agentCols+` FROM agents a WHERE a.id = $1`, id))
}

// AgentByLogin reads one account by its (normalised) login.
func (s *Store) AgentByLogin(ctx context.Context, login string) (Agent, error) {
	return scanAgent(s.Pool.QueryRow(ctx, `SELECT `+agentCols+` FROM agents a WHERE a.login = $1`, login))
}

// PasswordHash reads the account ID and password hash of a login.
func (s *Store) PasswordHash(ctx context.Context, login string) (id, hash string, err error) {
	err = s.Pool.QueryRow(ctx, `SELECT id, password_hash FROM agents WHERE login = $1`, login).Scan(&id, &hash)
	return id, hash, mapErr(err)
}

// CreateSession stores a session token's hash for an account.
func (s *Store) CreateSession(ctx context.Context, agentID string, tokenHash []byte, via string, expires time.Time) error {
	_, err := s.Pool.Exec(ctx, `INSERT INTO agent_sessions (token_hash, agent_id, via, expires_at) VALUES ($1,$2,$3,$4)`,
		tokenHash, agentID, via, expires)
	return mapErr(err)
}

// Principal is who a live session token belongs to.
type Principal struct {
	AgentID, Login, Role string
}

// SessionPrincipal resolves a token hash to its account; ErrNotFound when
// the token is unknown, expired or revoked.
func (s *Store) SessionPrincipal(ctx context.Context, tokenHash []byte) (Principal, error) {
	var p Principal
	err := s.Pool.QueryRow(ctx, `SELECT a.id, a.login, a.role FROM agent_sessions t JOIN agents a ON a.id = t.agent_id
		WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND t.expires_at > now()`, tokenHash).Scan(&p.AgentID, &p.Login, &p.Role)
	return p, mapErr(err)
}

// RevokeSession ends a session; revoking an unknown or revoked one is a no-op.
func (s *Store) RevokeSession(ctx context.Context, tokenHash []byte) error {
	_, err := s.Pool.Exec(ctx, `UPDATE agent_sessions SET revoked_at = now() WHERE token_hash = $1 AND revoked_at IS NULL`, tokenHash)
	return mapErr(err)
}

// PruneSessions deletes sessions that expired or were revoked before cutoff.
func (s *Store) PruneSessions(ctx context.Context, cutoff time.Time) (int64, error) {
	tag, err := s.Pool.Exec(ctx, `DELETE FROM agent_sessions WHERE expires_at < $1 OR revoked_at < $1`, cutoff)
	return tag.RowsAffected(), mapErr(err)
}

// SetPresence records an account's presence and returns its login.
func (s *Store) SetPresence(ctx context.Context, agentID, status string) (string, error) {
	var login string
	err := s.Pool.QueryRow(ctx, `UPDATE agents SET presence = $2, presence_at = now() WHERE id = $1 RETURNING login`,
		agentID, status).Scan(&login)
	return login, mapErr(err)
}

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
	rows, err := s.Pool.Query(ctx, q, arg)
	if err != nil {
		return nil, mapErr(err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	return ids, mapErr(err)
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
	err := s.tx(ctx, func(tx pgx.Tx) error {
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
		if err := audit(ctx, tx, "system", "assign", in.HandoffID, detail); err != nil {
			return err
		}
		chosen = login
		return ticketEvent(ctx, tx, in.ContactID, "assigned", map[string]any{"handoff": in.HandoffID, "agent": login})
	})
	return chosen, err
}

// UnassignHandoff puts a handoff assigned to agent back in the open queue
// (the agent went offline or did not claim in time: reason says which).
func (s *Store) UnassignHandoff(ctx context.Context, contactID, handoffID, agent, reason string) error {
	return s.tx(ctx, func(tx pgx.Tx) error { return unassignTx(ctx, tx, contactID, handoffID, agent, reason) })
}

func unassignTx(ctx context.Context, tx pgx.Tx, contactID, handoffID, agent, reason string) error {
	tag, err := tx.Exec(ctx, `UPDATE handoffs SET state = 'open', agent = '', assigned_at = NULL WHERE id = $1 AND state = 'assigned' AND agent = $2`, handoffID, agent)
	if err != nil || tag.RowsAffected() == 0 {
		return err
	}
	if err := audit(ctx, tx, "system", "unassign", handoffID, map[string]any{"agent": agent, "reason": reason}); err != nil {
		return err
	}
	return ticketEvent(ctx, tx, contactID, "unassigned", map[string]any{"handoff": handoffID, "agent": agent, "reason": reason})
}
