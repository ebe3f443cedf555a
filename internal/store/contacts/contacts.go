package contacts

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/harbordesk/harbordesk/internal/contact"
	"github.com/harbordesk/harbordesk/internal/store"
	"github.com/harbordesk/harbordesk/internal/store/db"
)

// Store keeps the contacts and what their turns produce: the customer's
// messages, the replies, the contact's ticket and its KPI facts.
type Store struct {
	db db.TxDB
}

// New returns the contacts store on d: a pool, a connection or a
// transaction (each write begins a transaction on it, a savepoint on a
// pgx.Tx).
func New(d db.TxDB) *Store { return &Store{db: d} }

// NewContact is what the API knows when a message arrives.
type NewContact struct {
	ID, WorkflowID, Channel, ConversationID, CustomerID, Arm string
	ReceivedAt                                               time.Time
	AfterHours                                               bool
}

// EnsureContact records a contact at intake so its status is readable at
// once, and returns the contact's A/B arm: a contact keeps the arm it started
// with even if the canary percentage changes mid-conversation.
//
// Concurrent deliveries of a contact's first message race to insert the
// same row: ON CONFLICT (workflow_id) covers only that index, so the loser
// can hit the primary key instead (unique_violation) once the winner
// commits. Asked again, it finds the committed row by workflow ID.
func (s *Store) EnsureContact(ctx context.Context, c NewContact) (id, arm string, err error) {
	for range 2 {
		err = s.db.QueryRow(ctx, `
			INSERT INTO contacts (id, workflow_id, channel, conversation_id, customer_id, arm, received_at, after_hours)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8)
			ON CONFLICT (workflow_id) DO UPDATE SET updated_at = now()
			RETURNING id, arm`,
			c.ID, c.WorkflowID, c.Channel, c.ConversationID, c.CustomerID, c.Arm, c.ReceivedAt, c.AfterHours).Scan(&id, &arm)
		if store.SQLState(err) != store.UniqueViolation {
			break
		}
	}
	return id, arm, store.MapErr(err)
}

// ContactRef is what the API needs to address an existing contact.
type ContactRef struct {
	ID, WorkflowID, Channel, ConversationID, CustomerID, Arm string
}

// ContactRef reads a contact's addressing fields.
func (s *Store) ContactRef(ctx context.Context, id string) (ContactRef, error) {
	var r ContactRef
	err := s.db.QueryRow(ctx, `SELECT id, workflow_id, channel, conversation_id, customer_id, arm FROM contacts WHERE id = $1`, id).
		Scan(&r.ID, &r.WorkflowID, &r.Channel, &r.ConversationID, &r.CustomerID, &r.Arm)
	return r, store.MapErr(err)
}

// Intake is one customer message with its reading, as the workflow records it.
type Intake struct {
	Params     contact.Params
	MessageID  string
	Kind       string
	Engine     string
	ReceivedAt time.Time
	Reading    contact.Reading
	TicketKind string
	Summary    string
	AfterHours bool
	OptOut     bool
	CSAT       int
	NoticeVer  string
	VIP        bool // as the CRM says (crm.Directory); recorded on the contact
}

// IntakeOutcome tells the workflow what it needs to decide.
type IntakeOutcome struct {
	NoticeNeeded bool
	VIP          bool
	TicketID     string
}

// RecordIntake stores a customer message and what was read from it, opens
// or updates the contact's ticket and KPI facts, and says whether the
// customer still has to see the privacy notice — all in one transaction, so
// a retried activity changes nothing twice.
func (s *Store) RecordIntake(ctx context.Context, in Intake) (IntakeOutcome, error) {
	var out IntakeOutcome
	err := store.InTx(ctx, s.db, func(tx pgx.Tx) error {
		var err error
		out, err = intakeTx(ctx, tx, in)
		return err
	})
	return out, err
}

// IntakeTx is RecordIntake inside tx, a transaction of the caller's: the
// other aggregates' tests (internal/store/handoffs, workspace) record a
// contact through the real intake in the transaction they roll back.
// Errors are not mapped.
func IntakeTx(ctx context.Context, tx pgx.Tx, in Intake) (IntakeOutcome, error) {
	return intakeTx(ctx, tx, in)
}

func intakeTx(ctx context.Context, tx pgx.Tx, in Intake) (IntakeOutcome, error) {
	var out IntakeOutcome
	p, r := in.Params, in.Reading
	out.TicketID = contact.TicketID(p.ContactID)
	// Two pipelined batches (one round trip each): the second needs the
	// ticket's status before this message, read under lock by the first.
	b := &pgx.Batch{}
	// The API normally created the contact; a contact started by a channel
	// webhook or replayed after a crash may not have it yet.
	b.Queue(`
		INSERT INTO contacts (id, workflow_id, channel, conversation_id, customer_id, arm, received_at, after_hours)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8) ON CONFLICT (id) DO NOTHING`,
		p.ContactID, contact.WorkflowID(p.Channel, p.ConversationID), p.Channel, p.ConversationID,
		p.CustomerID, p.Arm, in.ReceivedAt, in.AfterHours)
	b.Queue(`
		INSERT INTO messages (contact_id, message_id, kind, text, engine, received_at, read_by, intent, negative)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) ON CONFLICT DO NOTHING`,
		p.ContactID, in.MessageID, in.Kind, r.MaskedText, in.Engine, in.ReceivedAt, r.ReadBy, r.Intent, r.Negative)
	out.VIP = in.VIP
	b.Queue(`
		UPDATE contacts SET language = $2, script = $3, intent = $4, confidence = $5, sentiment = $6,
			negative = negative OR $7,
			priority = CASE WHEN priority = '' OR $8 < priority THEN $8 ELSE priority END,
			vip = $9, opted_out = opted_out OR $10, read_by = $11,
			state = CASE WHEN state = 'received' THEN 'open' ELSE state END,
			updated_at = now()
		WHERE id = $1`,
		p.ContactID, r.Language, r.Script, r.Intent, r.Confidence, r.Sentiment, r.Negative, r.Priority, out.VIP, in.OptOut, r.ReadBy)
	var prior string
	b.Queue(`SELECT status FROM tickets WHERE id = $1 FOR UPDATE`, out.TicketID).QueryRow(func(row pgx.Row) error {
		if err := row.Scan(&prior); err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		return nil
	})
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return out, err
	}

	b = &pgx.Batch{}
	q := queue{b}
	// A customer writing again after resolution reopens the ticket: the
	// contact no longer counts as resolved at first contact.
	if prior == "resolved" && in.CSAT == 0 {
		store.KPIFact(ctx, q, p, "reopened", in.MessageID, in.ReceivedAt, r.Language, in.AfterHours, false, 0)
		store.TicketEvent(ctx, q, p.ContactID, "reopened", map[string]any{"message": in.MessageID})
	}
	b.Queue(`
		INSERT INTO tickets (id, contact_id, customer_id, channel, kind, intent, priority, status, language, arm, summary)
		VALUES ($1,$2,$3,$4,$5,$6,$7,'open',$8,$9,$10)
		ON CONFLICT (id) DO UPDATE SET
			priority = CASE WHEN EXCLUDED.priority < tickets.priority THEN EXCLUDED.priority ELSE tickets.priority END,
			kind = CASE WHEN tickets.intent IN ('smalltalk','other','') THEN EXCLUDED.kind ELSE tickets.kind END,
			intent = CASE WHEN tickets.intent IN ('smalltalk','other','') THEN EXCLUDED.intent ELSE tickets.intent END,
			status = CASE WHEN tickets.status IN ('resolved','answered') AND $11 = 0 THEN 'open' ELSE tickets.status END,
			resolved_at = CASE WHEN tickets.status = 'resolved' AND $11 = 0 THEN NULL ELSE tickets.resolved_at END,
			updated_at = now()`,
		out.TicketID, p.ContactID, p.CustomerID, p.Channel, in.TicketKind, r.Intent, r.Priority, r.Language, p.Arm, in.Summary, in.CSAT)
	store.KPIFact(ctx, q, p, "received", "", in.ReceivedAt, r.Language, in.AfterHours, false, 0)
	if in.CSAT > 0 {
		store.KPIFact(ctx, q, p, "csat", "", in.ReceivedAt, r.Language, in.AfterHours, false, in.CSAT)
	}
	if in.OptOut {
		b.Queue(`
			INSERT INTO consents (customer_id, purpose, granted, version) VALUES ($1,'contact',false,$2)
			ON CONFLICT (customer_id, purpose) DO UPDATE SET granted = false, version = EXCLUDED.version, at = now()`,
			p.CustomerID, in.NoticeVer)
	}
	// Whether the privacy notice is owed: a new notice row says so; else
	// (a retry after the row was written, or a returning customer) it is
	// owed if it was never recorded as a reply to this customer, in any
	// contact, or if this contact's notice is recorded but still pending —
	// a replayed turn whose send never happened (a worker died between the
	// commit and the channel) still owes it. Read in the same round trip,
	// after the row's insert.
	var noticeRow, sent, firstContact, pending bool
	b.Queue(`
		INSERT INTO consents (customer_id, purpose, granted, version) VALUES ($1,'notice',true,$2)
		ON CONFLICT DO NOTHING`, p.CustomerID, in.NoticeVer).Exec(func(ct pgconn.CommandTag) error {
		noticeRow = ct.RowsAffected() == 1
		return nil
	})
	b.Queue(`
		SELECT EXISTS (SELECT 1 FROM replies WHERE contact_id = $1 AND kind = 'notice'),
		       NOT EXISTS (SELECT 1 FROM replies r JOIN contacts c ON c.id = r.contact_id WHERE c.customer_id = $2 AND r.kind = 'notice'),
		       EXISTS (SELECT 1 FROM replies WHERE contact_id = $1 AND kind = 'notice' AND delivery_state = 'pending')`,
		p.ContactID, p.CustomerID).QueryRow(func(row pgx.Row) error { return row.Scan(&sent, &firstContact, &pending) })
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return out, err
	}
	out.NoticeNeeded = noticeRow || (!sent && firstContact) || pending
	return out, nil
}

// queue adds statements to a pipelined batch; their errors surface when the
// batch is sent (its CommandTag is empty until then).
type queue struct{ b *pgx.Batch }

func (q queue) Exec(_ context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	q.b.Queue(sql, args...)
	return pgconn.CommandTag{}, nil
}

// ReplyRecord is a reply to store.
type ReplyRecord struct {
	// DeliveredBy, when set, records the reply as delivered by that channel
	// on insert: web-chat replies reach the customer by being stored.
	DeliveredBy string
	Params      contact.Params
	Reply       contact.Reply
	MaskedText  string
	At          time.Time
}

// RecordReply stores a reply once (by its key) and, for the first answer to
// the customer, the first-response time measured from API receipt. It
// reports whether the reply was new and whether it was already delivered.
func (s *Store) RecordReply(ctx context.Context, rr ReplyRecord) (delivered bool, err error) {
	var inserted bool
	var woken int
	err = s.db.QueryRow(ctx, replySQL, replyArgs(rr)...).Scan(&inserted, &delivered, &woken)
	return deliveredAfter(rr, inserted, delivered), store.MapErr(err)
}

// queueReply adds rr to a turn's batch; done gets whether it was already
// delivered (a replay) or is delivered by being stored.
func queueReply(b *pgx.Batch, rr ReplyRecord, done func(delivered bool)) {
	b.Queue(replySQL, replyArgs(rr)...).QueryRow(func(row pgx.Row) error {
		var inserted, delivered bool
		var woken int
		if err := row.Scan(&inserted, &delivered, &woken); err != nil {
			return err
		}
		done(deliveredAfter(rr, inserted, delivered))
		return nil
	})
}

// deliveredAfter: a replayed reply keeps the delivery state its first
// recording reached; a new one is delivered if its channel is the store.
func deliveredAfter(rr ReplyRecord, inserted, wasDelivered bool) bool {
	if !inserted {
		return wasDelivered
	}
	return rr.DeliveredBy != ""
}

func replyArgs(rr ReplyRecord) []any {
	p, r := rr.Params, rr.Reply
	counts := r.Kind != contact.KindNotice
	answered := counts && r.Author == contact.AuthorBot && r.Kind == contact.KindAnswer
	human := counts && r.Author == contact.AuthorAgent
	return []any{p.ContactID, r.Key, r.Author, r.Agent, r.Kind, rr.MaskedText, r.ArticleID, rr.At, rr.DeliveredBy,
		counts, answered, human, r.Author == contact.AuthorBot, p.Arm, p.Channel, store.ReplyChannel}
}

// replySQL records one reply once (by its key) in one statement: a replay
// inserts nothing and changes nothing else. A new reply other than the
// privacy notice sets the first-response time measured from API receipt,
// marks a bot answer's contact and ticket answered, adds the KPI facts, and
// wakes API requests waiting for this contact (on commit). It answers
// (inserted, already delivered).
const replySQL = `
	WITH ins AS (
		INSERT INTO replies (contact_id, reply_key, author, agent, kind, text, article_id, delivery_state, delivery_ref, at)
		VALUES ($1,$2,$3,$4,$5,$6,$7,CASE WHEN $9 = '' THEN 'pending' ELSE 'delivered' END,$9,$8) ON CONFLICT DO NOTHING
		RETURNING 1),
	counts AS (SELECT 1 FROM ins WHERE $10),
	contact AS (
		UPDATE contacts SET
			first_response_ms = COALESCE(first_response_ms, (EXTRACT(EPOCH FROM ($8::timestamptz - received_at)) * 1000)::bigint),
			state = CASE WHEN $11 AND state IN ('open','received') THEN 'answered' ELSE state END,
			updated_at = now()
		WHERE id = $1 AND EXISTS (SELECT 1 FROM counts)
		RETURNING language, after_hours),
	facts AS (
		INSERT INTO kpi_events (contact_id, kind, key, at, arm, language, channel, after_hours, bot, score)
		SELECT $1, f.kind, '', $8, $14, c.language, $15, c.after_hours, f.bot, 0
		FROM contact c, (VALUES ('first_reply', $13::bool), ('first_human_reply', false)) f(kind, bot)
		WHERE f.kind = 'first_reply' OR $12
		ON CONFLICT DO NOTHING),
	ticket AS (
		UPDATE tickets SET status = 'answered', updated_at = now()
		WHERE contact_id = $1 AND status = 'open' AND $11 AND EXISTS (SELECT 1 FROM counts)),
	wake AS (SELECT pg_notify($16, $1) FROM ins)
	SELECT EXISTS (SELECT 1 FROM ins),
		COALESCE((SELECT delivery_state = 'delivered' FROM replies WHERE contact_id = $1 AND reply_key = $2), false),
		(SELECT count(*) FROM wake)`

// MarkDelivered records the channel's reference for a sent reply.
func (s *Store) MarkDelivered(ctx context.Context, contactID, key, ref string) error {
	// A "failed" status webhook can overtake the send's own record: it wins.
	_, err := s.db.Exec(ctx, `UPDATE replies SET delivery_state = 'delivered', delivery_ref = $3
		WHERE contact_id = $1 AND reply_key = $2 AND channel_status <> 'failed'`, contactID, key, ref)
	return store.MapErr(err)
}

// MarkUndeliverable records a permanent delivery failure on the reply and ticket.
func (s *Store) MarkUndeliverable(ctx context.Context, contactID, key, reason string) error {
	return store.InTx(ctx, s.db, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE replies SET delivery_state = 'failed', delivery_ref = $3 WHERE contact_id = $1 AND reply_key = $2`, contactID, key, reason); err != nil {
			return err
		}
		return store.TicketEvent(ctx, tx, contactID, "delivery_failed", map[string]any{"reply": key, "reason": reason})
	})
}
