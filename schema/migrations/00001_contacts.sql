-- Schema v1: contacts and everything a contact produces. Every text column
-- that can carry customer words holds the masked form (see internal/pii).

-- +goose Up
CREATE TABLE contacts (
    id                text PRIMARY KEY,
    workflow_id       text NOT NULL UNIQUE,
    channel           text NOT NULL,
    conversation_id   text NOT NULL,
    customer_id       text NOT NULL,
    arm               text NOT NULL DEFAULT 'ai',
    state             text NOT NULL DEFAULT 'received',
    language          text NOT NULL DEFAULT '',
    script            text NOT NULL DEFAULT '',
    intent            text NOT NULL DEFAULT '',
    confidence        double precision NOT NULL DEFAULT 0,
    sentiment         double precision NOT NULL DEFAULT 0,
    negative          boolean NOT NULL DEFAULT false,
    priority          text NOT NULL DEFAULT '',
    vip               boolean NOT NULL DEFAULT false,
    escalation_level  integer NOT NULL DEFAULT 0,
    after_hours       boolean NOT NULL DEFAULT false,
    received_at       timestamptz NOT NULL,
    first_response_ms bigint,
    opted_out         boolean NOT NULL DEFAULT false,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    resolved_at       timestamptz
);
CREATE INDEX contacts_customer ON contacts (customer_id);
CREATE INDEX contacts_created ON contacts (created_at);

-- Customer messages (masked). (contact_id, message_id) is the dedupe key.
CREATE TABLE messages (
    contact_id  text NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    message_id  text NOT NULL,
    seq         bigserial,
    kind        text NOT NULL DEFAULT 'text',
    text        text NOT NULL,
    engine      text NOT NULL DEFAULT '',
    received_at timestamptz NOT NULL,
    PRIMARY KEY (contact_id, message_id)
);

-- Everything sent to the customer. reply_key makes delivery idempotent.
CREATE TABLE replies (
    contact_id     text NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    reply_key      text NOT NULL,
    seq            bigserial,
    author         text NOT NULL,
    agent          text NOT NULL DEFAULT '',
    kind           text NOT NULL,
    text           text NOT NULL,
    article_id     text NOT NULL DEFAULT '',
    delivery_state text NOT NULL DEFAULT 'recorded',
    delivery_ref   text NOT NULL DEFAULT '',
    at             timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (contact_id, reply_key)
);

CREATE TABLE tickets (
    id          text PRIMARY KEY,
    contact_id  text NOT NULL UNIQUE REFERENCES contacts (id) ON DELETE CASCADE,
    customer_id text NOT NULL,
    channel     text NOT NULL,
    kind        text NOT NULL,
    intent      text NOT NULL,
    priority    text NOT NULL,
    status      text NOT NULL,
    language    text NOT NULL DEFAULT '',
    arm         text NOT NULL DEFAULT 'ai',
    summary     text NOT NULL DEFAULT '',
    resolution  text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    resolved_at timestamptz
);
CREATE INDEX tickets_status ON tickets (status, priority, created_at);

-- Ticket history: every status change, escalation and agent action.
CREATE TABLE ticket_events (
    id        bigserial PRIMARY KEY,
    ticket_id text NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    at        timestamptz NOT NULL DEFAULT now(),
    kind      text NOT NULL,
    detail    jsonb NOT NULL DEFAULT '{}'
);

CREATE TABLE handoffs (
    id           text PRIMARY KEY,
    contact_id   text NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    state        text NOT NULL DEFAULT 'open',
    priority     text NOT NULL,
    language     text NOT NULL DEFAULT '',
    reason       text NOT NULL DEFAULT '',
    agent        text NOT NULL DEFAULT '',
    sla_deadline timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now(),
    claimed_at   timestamptz,
    resolved_at  timestamptz
);
CREATE INDEX handoffs_queue ON handoffs (state, priority, created_at);

CREATE TABLE escalations (
    id          text PRIMARY KEY,
    contact_id  text NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    handoff_id  text NOT NULL DEFAULT '',
    level       integer NOT NULL,
    reason      text NOT NULL,
    state       text NOT NULL DEFAULT 'open',
    deadline    timestamptz NOT NULL,
    notified_at timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX escalations_open ON escalations (state, deadline);

CREATE TABLE audit_log (
    id      bigserial PRIMARY KEY,
    at      timestamptz NOT NULL DEFAULT now(),
    actor   text NOT NULL,
    role    text NOT NULL DEFAULT '',
    action  text NOT NULL,
    subject text NOT NULL DEFAULT '',
    detail  jsonb NOT NULL DEFAULT '{}'
);

-- KPI facts; (contact_id, kind, key) keeps retried activities from counting twice.
CREATE TABLE kpi_events (
    contact_id  text NOT NULL,
    kind        text NOT NULL,
    key         text NOT NULL DEFAULT '',
    at          timestamptz NOT NULL,
    arm         text NOT NULL DEFAULT '',
    language    text NOT NULL DEFAULT '',
    channel     text NOT NULL DEFAULT '',
    after_hours boolean NOT NULL DEFAULT false,
    bot         boolean NOT NULL DEFAULT false,
    score       integer NOT NULL DEFAULT 0,
    PRIMARY KEY (contact_id, kind, key)
);
CREATE INDEX kpi_events_at ON kpi_events (at);

-- PDPO consent: privacy notice shown, opt-out, training consent.
CREATE TABLE consents (
    customer_id text NOT NULL,
    purpose     text NOT NULL,
    granted     boolean NOT NULL,
    version     text NOT NULL,
    at          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (customer_id, purpose)
);

-- Built-in CRM/ERP (default when no REST CRM is configured).
CREATE TABLE crm_customers (
    customer_id        text PRIMARY KEY,
    vip_tier           text NOT NULL DEFAULT '',
    preferred_language text NOT NULL DEFAULT '',
    training_consent   boolean NOT NULL DEFAULT false,
    updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE crm_orders (
    order_no    text PRIMARY KEY,
    customer_id text NOT NULL,
    status      text NOT NULL,
    carrier     text NOT NULL DEFAULT '',
    tracking_no text NOT NULL DEFAULT '',
    items       jsonb NOT NULL DEFAULT '[]',
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX crm_orders_customer ON crm_orders (customer_id);

-- +goose Down
DROP TABLE crm_orders, crm_customers, consents, kpi_events, audit_log,
    escalations, handoffs, ticket_events, tickets, replies, messages, contacts;
