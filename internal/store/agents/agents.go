package agents

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/harbordesk/harbordesk/internal/store"
	"github.com/harbordesk/harbordesk/internal/store/db"
)

// Store keeps agent accounts, their sign-in sessions and their presence.
type Store struct {
	db db.TxDB
}

// New returns the agents store on d: a pool, a connection or a transaction
// (UpdateAgent begins a transaction on it, a savepoint on a pgx.Tx).
func New(d db.TxDB) *Store { return &Store{db: d} }

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

// CreateAgent stores a new account (store.ErrConflict: the login is taken).
func (s *Store) CreateAgent(ctx context.Context, a NewAgent) error {
	_, err := s.db.Exec(ctx, `INSERT INTO agents (id, login, name, role, languages, max_open, password_hash)
		VALUES ($1,$2,$3,$4,$5,$6,$7)`, a.ID, a.Login, a.Name, a.Role, a.Languages, a.MaxOpen, a.PasswordHash)
	return store.MapErr(err)
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
	return store.InTx(ctx, s.db, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE agents SET name = COALESCE($2, name), role = COALESCE($3, role),
			password_hash = COALESCE($4, password_hash), languages = COALESCE($5, languages),
			max_open = COALESCE($6, max_open), updated_at = now() WHERE id = $1`,
			id, p.Name, p.Role, p.PasswordHash, p.Languages, p.MaxOpen)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return store.ErrNotFound
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
	err := s.db.QueryRow(ctx, `DELETE FROM agents WHERE id = $1 RETURNING login`, id).Scan(&login)
	return login, store.MapErr(err)
}

const agentCols = `a.id, a.login, a.name, a.role, a.languages, a.max_open, a.presence, a.presence_at, a.password_hash = '', a.created_at,
	(SELECT count(*) FROM handoffs h WHERE h.agent = a.login AND h.state IN ('assigned', 'claimed'))`

func scanAgent(row pgx.Row) (Agent, error) {
	var a Agent
	err := row.Scan(&a.ID, &a.Login, &a.Name, &a.Role, &a.Languages, &a.MaxOpen, &a.Presence, &a.PresenceAt, &a.SSOOnly, &a.CreatedAt, &a.Open)
	return a, store.MapErr(err)
}

// Agents lists every account by login.
func (s *Store) Agents(ctx context.Context) ([]Agent, error) {
	rows, err := s.db.Query(ctx, `SELECT `+agentCols+` FROM agents a ORDER BY a.login LIMIT 1000`)
	if err != nil {
		return nil, store.MapErr(err)
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
	return out, store.MapErr(rows.Err())
}

// AgentByID reads one account.
func (s *Store) AgentByID(ctx context.Context, id string) (Agent, error) {
	return scanAgent(s.db.QueryRow(ctx, `SELECT `+agentCols+` FROM agents a WHERE a.id = $1`, id))
}

// AgentByLogin reads one account by its (normalised) login.
func (s *Store) AgentByLogin(ctx context.Context, login string) (Agent, error) {
	return scanAgent(s.db.QueryRow(ctx, `SELECT `+agentCols+` FROM agents a WHERE a.login = $1`, login))
}

// PasswordHash reads the account ID and password hash of a login.
func (s *Store) PasswordHash(ctx context.Context, login string) (id, hash string, err error) {
	err = s.db.QueryRow(ctx, `SELECT id, password_hash FROM agents WHERE login = $1`, login).Scan(&id, &hash)
	return id, hash, store.MapErr(err)
}

// CreateSession stores a session token's hash for an account.
func (s *Store) CreateSession(ctx context.Context, agentID string, tokenHash []byte, via string, expires time.Time) error {
	_, err := s.db.Exec(ctx, `INSERT INTO agent_sessions (token_hash, agent_id, via, expires_at) VALUES ($1,$2,$3,$4)`,
		tokenHash, agentID, via, expires)
	return store.MapErr(err)
}

// Principal is who a live session token belongs to.
type Principal struct {
	AgentID, Login, Role string
}

// SessionPrincipal resolves a token hash to its account; store.ErrNotFound when
// the token is unknown, expired or revoked.
func (s *Store) SessionPrincipal(ctx context.Context, tokenHash []byte) (Principal, error) {
	var p Principal
	err := s.db.QueryRow(ctx, `SELECT a.id, a.login, a.role FROM agent_sessions t JOIN agents a ON a.id = t.agent_id
		WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND t.expires_at > now()`, tokenHash).Scan(&p.AgentID, &p.Login, &p.Role)
	return p, store.MapErr(err)
}

// RevokeSession ends a session; revoking an unknown or revoked one is a no-op.
func (s *Store) RevokeSession(ctx context.Context, tokenHash []byte) error {
	_, err := s.db.Exec(ctx, `UPDATE agent_sessions SET revoked_at = now() WHERE token_hash = $1 AND revoked_at IS NULL`, tokenHash)
	return store.MapErr(err)
}

// PruneSessions deletes sessions that expired or were revoked before cutoff.
func (s *Store) PruneSessions(ctx context.Context, cutoff time.Time) (int64, error) {
	tag, err := s.db.Exec(ctx, `DELETE FROM agent_sessions WHERE expires_at < $1 OR revoked_at < $1`, cutoff)
	return tag.RowsAffected(), store.MapErr(err)
}

// SetPresence records an account's presence and returns its login.
func (s *Store) SetPresence(ctx context.Context, agentID, status string) (string, error) {
	var login string
	err := s.db.QueryRow(ctx, `UPDATE agents SET presence = $2, presence_at = now() WHERE id = $1 RETURNING login`,
		agentID, status).Scan(&login)
	return login, store.MapErr(err)
}
