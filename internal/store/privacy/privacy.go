package privacy

// PDPO data-subject rights and data minimisation over the system of record:
// access (CustomerExport), erasure (EraseCustomer), consent (RecordConsent),
// retention (PurgeExpired) and the consent-gated training corpus
// (TrainingExamples). Every function here that releases or destroys personal
// data writes its audit entry in the same transaction, and no audit entry
// holds a customer ID in the clear: CustomerSubject pseudonymises it.

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/harbordesk/harbordesk/internal/pii"
	"github.com/harbordesk/harbordesk/internal/store"
	"github.com/harbordesk/harbordesk/internal/store/contacts"
	"github.com/harbordesk/harbordesk/internal/store/db"
	"github.com/harbordesk/harbordesk/internal/store/handoffs"
	"github.com/harbordesk/harbordesk/internal/store/workspace"
)

// Store runs the privacy operations on a db.TxDB: the pool, or a caller's
// transaction (a write then runs in a savepoint of it).
type Store struct {
	db db.TxDB
}

// New returns the privacy store on d.
func New(d db.TxDB) *Store { return &Store{db: d} }

// snapshot runs fn in a repeatable-read transaction when the store is on a
// pool or connection; on a caller's transaction it runs in a savepoint and
// sees what that transaction's isolation level lets it see.
func (s *Store) snapshot(ctx context.Context, fn func(pgx.Tx) error) error {
	if b, ok := s.db.(interface {
		BeginTx(context.Context, pgx.TxOptions) (pgx.Tx, error)
	}); ok {
		return pgx.BeginTxFunc(ctx, b, pgx.TxOptions{IsoLevel: pgx.RepeatableRead}, fn)
	}
	return pgx.BeginFunc(ctx, s.db, fn)
}

// CustomerSubject is the audit-log subject for a customer: a keyed hash
// (HMAC-SHA-256) of the customer ID. A plain hash would not do: customer IDs
// are often phone numbers, and 10^8 Hong Kong numbers are hashed in seconds.
// The key comes from the deployment secret, so the subject links a
// customer's audit entries together without naming them.
func CustomerSubject(key []byte, customerID string) string {
	k := sha256.Sum256(append([]byte("harbordesk/audit-subject/v1\x00"), key...))
	m := hmac.New(sha256.New, k[:])
	m.Write([]byte(customerID))
	return "cust_" + hex.EncodeToString(m.Sum(nil)[:16])
}

// ConsentView is one consent record.
type ConsentView struct {
	CustomerID string    `json:"customer_id"`
	Purpose    string    `json:"purpose"`
	Granted    bool      `json:"granted"`
	Version    string    `json:"version"`
	At         time.Time `json:"at"`
}

// KPIEventView is one KPI fact about a contact.
type KPIEventView struct {
	ContactID  string    `json:"contact_id"`
	Kind       string    `json:"kind"`
	Key        string    `json:"key"`
	At         time.Time `json:"at"`
	Arm        string    `json:"arm"`
	Language   string    `json:"language"`
	Channel    string    `json:"channel"`
	AfterHours bool      `json:"after_hours"`
	Bot        bool      `json:"bot"`
	Score      int       `json:"score"`
}

// TicketEventView is one entry of a ticket's history.
type TicketEventView struct {
	TicketID string          `json:"ticket_id"`
	At       time.Time       `json:"at"`
	Kind     string          `json:"kind"`
	Detail   json.RawMessage `json:"detail"`
}

// AuditView is one audit-log entry.
type AuditView struct {
	At      time.Time       `json:"at"`
	Actor   string          `json:"actor"`
	Role    string          `json:"role"`
	Action  string          `json:"action"`
	Subject string          `json:"subject"`
	Detail  json.RawMessage `json:"detail"`
}

// AudioBlobView describes a stored (encrypted) voice note; the export names
// it but does not decrypt it.
type AudioBlobView struct {
	ID        string    `json:"id"`
	ContactID string    `json:"contact_id"`
	MIME      string    `json:"mime"`
	CreatedAt time.Time `json:"created_at"`
}

// CRMCustomerView is the built-in CRM's customer record.
type CRMCustomerView struct {
	VIPTier           string    `json:"vip_tier"`
	PreferredLanguage string    `json:"preferred_language"`
	TrainingConsent   bool      `json:"training_consent"`
	UpdatedAt         time.Time `json:"updated_at"`
}

// CRMOrderView is one order in the built-in CRM.
type CRMOrderView struct {
	OrderNo    string          `json:"order_no"`
	Status     string          `json:"status"`
	Carrier    string          `json:"carrier"`
	TrackingNo string          `json:"tracking_no"`
	Items      json.RawMessage `json:"items"`
	UpdatedAt  time.Time       `json:"updated_at"`
}

// CRMExport is what the built-in CRM holds about a customer.
type CRMExport struct {
	Customer *CRMCustomerView `json:"customer"`
	Orders   []CRMOrderView   `json:"orders"`
}

// ContactExport is a contact with everything it produced.
type ContactExport struct {
	contacts.ContactView
	Handoffs     []handoffs.HandoffView    `json:"handoffs"`
	Escalations  []handoffs.EscalationView `json:"escalations"`
	TicketEvents []TicketEventView         `json:"ticket_events"`
}

// CustomerExport is everything Harbordesk holds about one customer (PDPO
// DPP6 data access request).
type CustomerExport struct {
	CustomerID  string          `json:"customer_id"`
	GeneratedAt time.Time       `json:"generated_at"`
	Contacts    []ContactExport `json:"contacts"`
	Consents    []ConsentView   `json:"consents"`
	KPIEvents   []KPIEventView  `json:"kpi_events"`
	CRM         CRMExport       `json:"crm"`
	AudioBlobs  []AudioBlobView `json:"audio_blobs"`
	// Attachments are the customer's photos and documents; the API adds
	// each one's decrypted bytes (content_base64).
	Attachments []AttachmentExport `json:"attachments"`
	Audit       []AuditView        `json:"audit"`
}

// AttachmentExport is an attachment in a customer export.
type AttachmentExport struct {
	store.AttachmentView
	ContentBase64 string `json:"content_base64,omitempty"`
}

// customerContacts lists the IDs of a customer's contacts.
func customerContacts(ctx context.Context, q interface {
	Query(context.Context, string, ...any) (pgx.Rows, error)
}, customerID, lock string) ([]string, error) {
	rows, err := q.Query(ctx, `SELECT id FROM contacts WHERE customer_id = $1 ORDER BY received_at, id`+lock, customerID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

// CustomerWorkflows lists the workflow IDs of a customer's contacts (so an
// erasure can terminate the running ones first).
func (s *Store) CustomerWorkflows(ctx context.Context, customerID string) ([]string, error) {
	rows, err := s.db.Query(ctx, `SELECT workflow_id FROM contacts WHERE customer_id = $1 ORDER BY workflow_id`, customerID)
	if err != nil {
		return nil, store.MapErr(err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	return ids, store.MapErr(err)
}

// CustomerExport gathers everything held about customerID and audits the
// access (action "export", subject = CustomerSubject). store.ErrNotFound when
// nothing is held. The audit entry is written before the data is returned,
// so there is no unaudited access.
func (s *Store) CustomerExport(ctx context.Context, customerID, subject string, by store.Actor) (CustomerExport, error) {
	out := CustomerExport{CustomerID: customerID, Contacts: []ContactExport{}, Consents: []ConsentView{},
		KPIEvents: []KPIEventView{}, AudioBlobs: []AudioBlobView{}, Audit: []AuditView{}, Attachments: []AttachmentExport{},
		CRM: CRMExport{Orders: []CRMOrderView{}}}
	err := s.snapshot(ctx, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `SELECT now()`).Scan(&out.GeneratedAt); err != nil {
			return err
		}
		ids, err := customerContacts(ctx, tx, customerID, "")
		if err != nil {
			return err
		}
		for _, id := range ids {
			ce, err := exportContact(ctx, tx, id)
			if err != nil {
				return err
			}
			out.Contacts = append(out.Contacts, ce)
		}
		if err := exportRest(ctx, tx, customerID, subject, ids, &out); err != nil {
			return err
		}
		if len(out.Contacts) == 0 && len(out.Consents) == 0 && out.CRM.Customer == nil && len(out.CRM.Orders) == 0 {
			return store.ErrNotFound
		}
		return store.AuditAs(ctx, tx, by, "export", subject, map[string]any{"contacts": len(out.Contacts)})
	})
	if errors.Is(err, store.ErrNotFound) {
		return CustomerExport{}, store.ErrNotFound
	}
	return out, store.MapErr(err)
}

func exportContact(ctx context.Context, tx pgx.Tx, id string) (ContactExport, error) {
	var ce ContactExport
	c := &ce.ContactView
	err := tx.QueryRow(ctx, `
		SELECT id, workflow_id, channel, customer_id, arm, state, language, script, intent, confidence,
		       sentiment, negative, priority, vip, after_hours, escalation_level, first_response_ms, received_at, resolved_at
		FROM contacts WHERE id = $1`, id).Scan(&c.ID, &c.WorkflowID, &c.Channel, &c.CustomerID, &c.Arm, &c.State,
		&c.Language, &c.Script, &c.Intent, &c.Confidence, &c.Sentiment, &c.Negative, &c.Priority, &c.VIP,
		&c.AfterHours, &c.EscalationLevel, &c.FirstResponseMS, &c.ReceivedAt, &c.ResolvedAt)
	if err != nil {
		return ce, err
	}
	rows, _ := tx.Query(ctx, `SELECT message_id, kind, text, engine, received_at FROM messages WHERE contact_id = $1 ORDER BY seq`, id)
	if c.Transcript, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (contacts.MessageView, error) {
		var m contacts.MessageView
		return m, r.Scan(&m.MessageID, &m.Kind, &m.Text, &m.Engine, &m.At)
	}); err != nil {
		return ce, err
	}
	rows, _ = tx.Query(ctx, `SELECT author, agent, kind, text, article_id, delivery_state, at FROM replies WHERE contact_id = $1 ORDER BY seq`, id)
	if c.Replies, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (contacts.ReplyView, error) {
		var v contacts.ReplyView
		return v, r.Scan(&v.Author, &v.Agent, &v.Kind, &v.Text, &v.ArticleID, &v.Delivery, &v.At)
	}); err != nil {
		return ce, err
	}
	t, err := contacts.ScanTicket(tx.QueryRow(ctx, `SELECT `+contacts.TicketCols+` FROM tickets WHERE contact_id = $1`, id))
	switch {
	case err == nil:
		c.Ticket = &t
	case err != store.ErrNotFound:
		return ce, err
	}
	rows, _ = tx.Query(ctx, `
		SELECT id, contact_id, state, priority, language, reason, agent, created_at, sla_deadline
		FROM handoffs WHERE contact_id = $1 ORDER BY created_at, id`, id)
	if ce.Handoffs, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (handoffs.HandoffView, error) {
		var h handoffs.HandoffView
		return h, r.Scan(&h.ID, &h.ContactID, &h.State, &h.Priority, &h.Language, &h.Reason, &h.Agent, &h.CreatedAt, &h.SLADeadline)
	}); err != nil {
		return ce, err
	}
	if n := len(ce.Handoffs); n > 0 {
		h := ce.Handoffs[n-1]
		c.Handoff = &contacts.HandoffRef{ID: h.ID, State: h.State, Agent: h.Agent}
	}
	rows, _ = tx.Query(ctx, `
		SELECT id, contact_id, handoff_id, level, reason, state, deadline, notified_at
		FROM escalations WHERE contact_id = $1 ORDER BY created_at, id`, id)
	if ce.Escalations, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (handoffs.EscalationView, error) {
		var e handoffs.EscalationView
		return e, r.Scan(&e.ID, &e.ContactID, &e.HandoffID, &e.Level, &e.Reason, &e.State, &e.Deadline, &e.NotifiedAt)
	}); err != nil {
		return ce, err
	}
	rows, _ = tx.Query(ctx, `
		SELECT e.ticket_id, e.at, e.kind, e.detail FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id
		WHERE t.contact_id = $1 ORDER BY e.id`, id)
	ce.TicketEvents, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (TicketEventView, error) {
		var e TicketEventView
		return e, r.Scan(&e.TicketID, &e.At, &e.Kind, &e.Detail)
	})
	if err != nil {
		return ce, err
	}
	c.Notes, err = workspace.New(tx).Notes(ctx, id)
	return ce, err
}

// exportRest adds consents, KPI facts, CRM rows, audio blobs and the audit
// entries about the customer (by pseudonymous subject, raw ID, or the IDs of
// their contacts, tickets and handoffs).
func exportRest(ctx context.Context, tx pgx.Tx, customerID, subject string, contactIDs []string, out *CustomerExport) error {
	var err error
	rows, _ := tx.Query(ctx, `SELECT customer_id, purpose, granted, version, at FROM consents WHERE customer_id = $1 ORDER BY purpose`, customerID)
	if out.Consents, err = pgx.CollectRows(rows, pgx.RowToStructByPos[ConsentView]); err != nil {
		return err
	}
	rows, _ = tx.Query(ctx, `
		SELECT contact_id, kind, key, at, arm, language, channel, after_hours, bot, score
		FROM kpi_events WHERE contact_id = ANY($1) ORDER BY at, kind`, contactIDs)
	if out.KPIEvents, err = pgx.CollectRows(rows, pgx.RowToStructByPos[KPIEventView]); err != nil {
		return err
	}
	var cc CRMCustomerView
	err = tx.QueryRow(ctx, `SELECT vip_tier, preferred_language, training_consent, updated_at FROM crm_customers WHERE customer_id = $1`, customerID).
		Scan(&cc.VIPTier, &cc.PreferredLanguage, &cc.TrainingConsent, &cc.UpdatedAt)
	switch {
	case err == nil:
		out.CRM.Customer = &cc
	case err != pgx.ErrNoRows:
		return err
	}
	rows, _ = tx.Query(ctx, `SELECT order_no, status, carrier, tracking_no, items, updated_at FROM crm_orders WHERE customer_id = $1 ORDER BY updated_at, order_no`, customerID)
	if out.CRM.Orders, err = pgx.CollectRows(rows, pgx.RowToStructByPos[CRMOrderView]); err != nil {
		return err
	}
	rows, _ = tx.Query(ctx, `SELECT id, contact_id, mime, created_at FROM audio_blobs WHERE contact_id = ANY($1) ORDER BY created_at, id`, contactIDs)
	if out.AudioBlobs, err = pgx.CollectRows(rows, pgx.RowToStructByPos[AudioBlobView]); err != nil {
		return err
	}
	atts, err := store.AttachmentsOf(ctx, tx, `contact_id = ANY($1)`, contactIDs)
	if err != nil {
		return err
	}
	for _, a := range atts {
		out.Attachments = append(out.Attachments, AttachmentExport{AttachmentView: a})
	}
	rows, _ = tx.Query(ctx, `
		SELECT at, actor, role, action, subject, detail FROM audit_log
		WHERE subject = $1 OR subject = $2 OR subject = ANY($3)
		   OR subject IN (SELECT id FROM tickets WHERE contact_id = ANY($3))
		   OR subject IN (SELECT id FROM handoffs WHERE contact_id = ANY($3))
		ORDER BY id`, subject, customerID, contactIDs)
	out.Audit, err = pgx.CollectRows(rows, pgx.RowToStructByPos[AuditView])
	return err
}

// ErasureCounts says what an erasure removed or de-identified.
type ErasureCounts struct {
	Contacts     int64 `json:"contacts"`
	Messages     int64 `json:"messages"`
	Replies      int64 `json:"replies"`
	Tickets      int64 `json:"tickets"`
	Handoffs     int64 `json:"handoffs"`
	Consents     int64 `json:"consents"`
	CRMCustomers int64 `json:"crm_customers"`
	CRMOrders    int64 `json:"crm_orders"`
	AudioBlobs   int64 `json:"audio_blobs"`
	Attachments  int64 `json:"attachments"`
	KPIEvents    int64 `json:"kpi_events_deidentified"`
	AuditScrubs  int64 `json:"audit_entries_scrubbed"`
}

func (c ErasureCounts) zero() bool { return c == ErasureCounts{} }

// EraseCustomer erases a customer (PDPO erasure request), in one
// transaction: their contacts with messages, replies, tickets and ticket
// history, handoffs and escalations are deleted; voice notes, consents and
// CRM rows are deleted; their KPI facts are kept but re-keyed to a random
// contact pseudonym that links to nothing, so statistics survive; audit
// entries naming the raw customer ID get the pseudonymous subject and lose
// their detail. The erasure is audited under subject. store.ErrNotFound when
// nothing was held (so a repeated request is a 404).
func (s *Store) EraseCustomer(ctx context.Context, customerID, subject string, by store.Actor) (ErasureCounts, error) {
	var n ErasureCounts
	err := store.InTx(ctx, s.db, func(tx pgx.Tx) error {
		ids, err := customerContacts(ctx, tx, customerID, " FOR UPDATE")
		if err != nil {
			return err
		}
		n.Contacts = int64(len(ids))
		for _, q := range []struct {
			dst *int64
			sql string
		}{
			{&n.Messages, `SELECT count(*) FROM messages WHERE contact_id = ANY($1)`},
			{&n.Replies, `SELECT count(*) FROM replies WHERE contact_id = ANY($1)`},
			{&n.Tickets, `SELECT count(*) FROM tickets WHERE contact_id = ANY($1)`},
			{&n.Handoffs, `SELECT count(*) FROM handoffs WHERE contact_id = ANY($1)`},
		} {
			if err := tx.QueryRow(ctx, q.sql, ids).Scan(q.dst); err != nil {
				return err
			}
		}
		// Audit entries about the customer or their contacts, tickets,
		// handoffs and escalations keep what happened (accountability) but
		// name only the pseudonym; a detail naming the customer or a contact
		// (as a whole JSON string, so "c1" does not match "c10") is dropped.
		tag, err := tx.Exec(ctx, `
			UPDATE audit_log SET subject = $2 WHERE subject = $1 OR subject = ANY($3)
				OR subject IN (SELECT id FROM tickets WHERE contact_id = ANY($3))
				OR subject IN (SELECT id FROM handoffs WHERE contact_id = ANY($3))
				OR subject IN (SELECT id FROM escalations WHERE contact_id = ANY($3))`, customerID, subject, ids)
		if err != nil {
			return err
		}
		n.AuditScrubs = tag.RowsAffected()
		if tag, err = tx.Exec(ctx, `
			UPDATE audit_log SET detail = '{"scrubbed":"erasure"}'
			WHERE EXISTS (SELECT 1 FROM unnest(array_append($2::text[], $1::text)) v WHERE strpos(detail::text, to_jsonb(v)::text) > 0)`,
			customerID, ids); err != nil {
			return err
		}
		n.AuditScrubs += tag.RowsAffected()
		for _, id := range ids {
			pseudo, salt, err := kpiPseudonym()
			if err != nil {
				return err
			}
			tag, err := tx.Exec(ctx, `
				UPDATE kpi_events SET contact_id = $2,
					key = CASE WHEN key = '' THEN '' ELSE 'k_' || left(encode(sha256(convert_to($3 || key, 'UTF8')), 'hex'), 20) END
				WHERE contact_id = $1`, id, pseudo, salt)
			if err != nil {
				return err
			}
			n.KPIEvents += tag.RowsAffected()
			// The re-keyed facts were folded into the pseudonym's rollup row;
			// the old contact's row is left empty (its contribution to the
			// day cells already withdrawn) and must not keep the ID, nor
			// may a fold mark that the worker has not yet taken.
			for _, q := range []string{`DELETE FROM kpi_contacts WHERE contact_id = $1`, `DELETE FROM kpi_dirty WHERE contact_id = $1`} {
				if _, err := tx.Exec(ctx, q, id); err != nil {
					return err
				}
			}
		}
		for _, d := range []struct {
			dst *int64
			sql string
			arg any
		}{
			{&n.AudioBlobs, `DELETE FROM audio_blobs WHERE contact_id = ANY($1)`, ids},
			{nil, `DELETE FROM attachment_objects WHERE key IN (SELECT id FROM attachments WHERE contact_id = ANY($1))`, ids},
			{&n.Attachments, `DELETE FROM attachments WHERE contact_id = ANY($1)`, ids},
			{nil, `DELETE FROM contacts WHERE id = ANY($1)`, ids}, // cascades to every contact table
			{&n.Consents, `DELETE FROM consents WHERE customer_id = $1`, customerID},
			{&n.CRMOrders, `DELETE FROM crm_orders WHERE customer_id = $1`, customerID},
			{&n.CRMCustomers, `DELETE FROM crm_customers WHERE customer_id = $1`, customerID},
		} {
			tag, err := tx.Exec(ctx, d.sql, d.arg)
			if err != nil {
				return err
			}
			if d.dst != nil {
				*d.dst = tag.RowsAffected()
			}
		}
		if n.zero() {
			return store.ErrNotFound
		}
		return store.AuditAs(ctx, tx, by, "erase", subject, map[string]any{"counts": n})
	})
	return n, err
}

// kpiPseudonym returns a fresh random contact pseudonym and hash salt: both
// are forgotten after the erasure, so the link cannot be rebuilt.
func kpiPseudonym() (pseudo, salt string, err error) {
	var b [26]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", "", err
	}
	return "anon_" + hex.EncodeToString(b[:10]), hex.EncodeToString(b[10:]), nil
}

// ConsentRecord is a consent decision to record.
type ConsentRecord struct {
	CustomerID, Purpose, Version string
	Granted                      bool
}

// RecordConsent stores (or replaces) a customer's consent decision for a
// purpose with its notice version and time, and audits it under subject.
func (s *Store) RecordConsent(ctx context.Context, r ConsentRecord, subject string, by store.Actor) (ConsentView, error) {
	var v ConsentView
	err := store.InTx(ctx, s.db, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `
			INSERT INTO consents (customer_id, purpose, granted, version) VALUES ($1,$2,$3,$4)
			ON CONFLICT (customer_id, purpose) DO UPDATE SET granted = EXCLUDED.granted, version = EXCLUDED.version, at = now()
			RETURNING customer_id, purpose, granted, version, at`, r.CustomerID, r.Purpose, r.Granted, r.Version).
			Scan(&v.CustomerID, &v.Purpose, &v.Granted, &v.Version, &v.At); err != nil {
			return err
		}
		return store.AuditAs(ctx, tx, by, "consent", subject, map[string]any{"purpose": r.Purpose, "granted": r.Granted, "version": r.Version})
	})
	return v, err
}

// TrainingExample is one labelled customer message for the classifier, in
// the shape `harbordesk train --corrections` reads (nlu.Correction).
// TrainingConsent is always true: only consented messages are exported.
type TrainingExample struct {
	Text            string `json:"text"`
	Lang            string `json:"lang"`
	Script          string `json:"script,omitempty"`
	Intent          string `json:"intent"`
	Negative        bool   `json:"negative"`
	TrainingConsent bool   `json:"training_consent"`
}

// trainingConsented is the DPP3 rule: a customer's messages may enter a
// training corpus only with consent for that purpose — an explicit consents
// row (purpose 'training', granted), or the CRM's training_consent flag
// unless the customer has since withdrawn (a 'training' row with granted
// false wins over the CRM flag).
const trainingConsented = `(
	EXISTS (SELECT 1 FROM consents k WHERE k.customer_id = c.customer_id AND k.purpose = 'training' AND k.granted)
	OR (EXISTS (SELECT 1 FROM crm_customers x WHERE x.customer_id = c.customer_id AND x.training_consent)
	    AND NOT EXISTS (SELECT 1 FROM consents k WHERE k.customer_id = c.customer_id AND k.purpose = 'training' AND NOT k.granted)))`

// TrainingExamples streams the labelled examples from consenting customers
// to fn, in arrival order, and returns how many it sent. Labels are an
// agent's correction of the message when there is one, else the message's
// own reading, else (messages stored before schema v9) the contact's. Texts are the stored
// masked form, masked once more here (defence in depth), and erased texts
// are skipped. The export is audited under actor before the first row.
func (s *Store) TrainingExamples(ctx context.Context, by store.Actor, fn func(TrainingExample) error) (int, error) {
	if err := store.AuditAs(ctx, s.db, by, "training_export", "", nil); err != nil {
		return 0, store.MapErr(err)
	}
	rows, err := s.db.Query(ctx, `
		SELECT m.text, c.language, c.script,
		       COALESCE(k.intent, NULLIF(m.intent, ''), c.intent), COALESCE(k.negative, m.negative, c.negative)
		FROM messages m JOIN contacts c ON c.id = m.contact_id
		LEFT JOIN reading_corrections k ON k.contact_id = m.contact_id AND k.message_id = m.message_id
		WHERE m.text <> '' AND m.text NOT LIKE '[erased:%' AND c.language <> ''
		  AND COALESCE(k.intent, NULLIF(m.intent, ''), c.intent) <> ''
		  AND `+trainingConsented+`
		ORDER BY m.received_at, m.seq`)
	if err != nil {
		return 0, store.MapErr(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		e := TrainingExample{TrainingConsent: true}
		if err := rows.Scan(&e.Text, &e.Lang, &e.Script, &e.Intent, &e.Negative); err != nil {
			return n, store.MapErr(err)
		}
		e.Text = pii.Mask(e.Text)
		if err := fn(e); err != nil {
			return n, err
		}
		n++
	}
	return n, store.MapErr(rows.Err())
}

// PurgeCounts says what one retention batch anonymised.
type PurgeCounts struct {
	Contacts   int64 `json:"contacts"`
	Messages   int64 `json:"messages"`
	Replies    int64 `json:"replies"`
	Tickets    int64 `json:"tickets"`
	AudioBlobs int64 `json:"audio_blobs"`
	// Attachments deleted (photos and documents of expired contacts).
	Attachments int64 `json:"attachments"`
}

// PurgeExpired anonymises up to batch contacts that were resolved (or
// closed) and untouched since before cutoff: message and reply texts and
// ticket summaries become store.RetentionMarker, ticket resolutions keep only
// their code, ticket history loses its details; their voice notes and any
// voice note older than cutoff are deleted. Contact metadata, IDs and KPI
// facts stay (statistics and later access/erasure requests need them).
// Already-anonymised contacts are not picked again, so repeated calls make
// progress; more reports whether a full batch was found.
func (s *Store) PurgeExpired(ctx context.Context, cutoff time.Time, batch int) (n PurgeCounts, more bool, err error) {
	if batch <= 0 {
		batch = 500
	}
	err = store.InTx(ctx, s.db, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `
			SELECT c.id FROM contacts c
			WHERE c.state IN ('resolved','closed') AND c.resolved_at < $1 AND c.updated_at < $1
			  AND (EXISTS (SELECT 1 FROM messages m WHERE m.contact_id = c.id AND m.text <> $2)
			    OR EXISTS (SELECT 1 FROM replies r WHERE r.contact_id = c.id AND r.text <> $2)
			    OR EXISTS (SELECT 1 FROM tickets t WHERE t.contact_id = c.id AND t.summary <> $2)
			    OR EXISTS (SELECT 1 FROM audio_blobs a WHERE a.contact_id = c.id)
			    OR EXISTS (SELECT 1 FROM handoff_notes hn WHERE hn.contact_id = c.id AND hn.text <> $2)
			    OR EXISTS (SELECT 1 FROM attachments ax WHERE ax.contact_id = c.id))
			ORDER BY c.resolved_at, c.id LIMIT $3 FOR UPDATE OF c SKIP LOCKED`, cutoff, store.RetentionMarker, batch)
		ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return err
		}
		n.Contacts = int64(len(ids))
		var orphans int64
		for _, u := range []struct {
			dst  *int64
			sql  string
			args []any
		}{
			{&n.Messages, `UPDATE messages SET text = $2 WHERE contact_id = ANY($1) AND text <> $2`, []any{ids, store.RetentionMarker}},
			{&n.Replies, `UPDATE replies SET text = $2 WHERE contact_id = ANY($1) AND text <> $2`, []any{ids, store.RetentionMarker}},
			{&n.Tickets, `UPDATE tickets SET summary = $2, resolution = split_part(resolution, ' ', 1) WHERE contact_id = ANY($1) AND summary <> $2`, []any{ids, store.RetentionMarker}},
			{nil, `UPDATE handoff_notes SET text = $2 WHERE contact_id = ANY($1) AND text <> $2`, []any{ids, store.RetentionMarker}},
			{nil, `UPDATE ticket_events e SET detail = '{}' FROM tickets t WHERE t.id = e.ticket_id AND t.contact_id = ANY($1) AND e.detail <> '{}'`, []any{ids}},
			{&n.AudioBlobs, `DELETE FROM audio_blobs WHERE contact_id = ANY($1)`, []any{ids}},
			{nil, `DELETE FROM attachment_objects WHERE key IN (SELECT id FROM attachments WHERE contact_id = ANY($1))`, []any{ids}},
			{&n.Attachments, `DELETE FROM attachments WHERE contact_id = ANY($1)`, []any{ids}},
			{&orphans, `DELETE FROM audio_blobs WHERE id IN (SELECT id FROM audio_blobs WHERE created_at < $1 LIMIT $2)`, []any{cutoff, batch}},
		} {
			tag, err := tx.Exec(ctx, u.sql, u.args...)
			if err != nil {
				return err
			}
			if u.dst != nil {
				*u.dst = tag.RowsAffected()
			}
		}
		n.AudioBlobs += orphans
		more = len(ids) == batch || orphans == int64(batch)
		if n == (PurgeCounts{}) {
			return nil
		}
		return store.AuditAs(ctx, tx, store.Actor{Identity: "retention", Role: "system"}, "retention_purge", "",
			map[string]any{"counts": n, "cutoff": cutoff.UTC().Format(time.RFC3339)})
	})
	return n, more, err
}
