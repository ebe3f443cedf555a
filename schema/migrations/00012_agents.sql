-- Schema v12: people who work the queue. Agents, supervisors and admins are
-- managed at run time (/v1/agents); they sign in with a password (hashed with
-- bcrypt) or through SSO and get an expiring, revocable session token, of
-- which only a SHA-256 hash is stored. Presence and open load drive routing.

-- +goose Up
CREATE TABLE agents (
    id            text PRIMARY KEY,
    login         text NOT NULL UNIQUE,           -- lower case; an e-mail for SSO users
    name          text NOT NULL DEFAULT '',
    role          text NOT NULL,                  -- agent | supervisor | admin
    languages     text[] NOT NULL DEFAULT '{}',   -- yue | zh | en
    max_open      integer NOT NULL DEFAULT 5,
    password_hash text NOT NULL DEFAULT '',       -- empty: SSO only
    presence      text NOT NULL DEFAULT 'offline', -- online | away | offline
    presence_at   timestamptz NOT NULL DEFAULT now(),
    last_assigned timestamptz NOT NULL DEFAULT 'epoch', -- round-robin among equals
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX agents_presence ON agents (presence);

CREATE TABLE agent_sessions (
    token_hash bytea PRIMARY KEY,
    agent_id   text NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    via        text NOT NULL,                     -- password | sso
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz
);
CREATE INDEX agent_sessions_agent ON agent_sessions (agent_id);
CREATE INDEX agent_sessions_expiry ON agent_sessions (expires_at);

-- A handoff offered to an agent who has not claimed it yet is 'assigned'.
ALTER TABLE handoffs ADD COLUMN assigned_at timestamptz;
CREATE INDEX handoffs_agent ON handoffs (agent, state) WHERE state IN ('assigned', 'claimed');

-- +goose Down
DROP INDEX handoffs_agent;
ALTER TABLE handoffs DROP COLUMN assigned_at;
DROP TABLE agent_sessions, agents;
