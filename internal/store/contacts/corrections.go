package contacts

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/harbordesk/harbordesk/internal/store"
)

// ReadingCorrection is an agent's relabelling of one customer message's
// reading (intent and the urgent signal). It holds labels, never text.
type ReadingCorrection struct {
	Intent   string    `json:"intent"`
	Negative bool      `json:"negative"`
	Agent    string    `json:"agent"`
	At       time.Time `json:"at"`
}

// CorrectionRecord asks to record a correction of message MessageID in
// contact ContactID. Validation of the labels is the caller's (the API
// checks intents against the contract).
type CorrectionRecord struct {
	ContactID, MessageID string
	Intent               string
	Negative             bool
	By                   store.Actor
}

// RecordCorrection stores (or replaces) the correction of one message,
// keeping the message's own reading as the prior labels, and audits it
// under the agent. store.ErrNotFound when the contact has no such message.
func (s *Store) RecordCorrection(ctx context.Context, c CorrectionRecord) (ReadingCorrection, error) {
	out := ReadingCorrection{Intent: c.Intent, Negative: c.Negative, Agent: c.By.Identity}
	err := store.InTx(ctx, s.db, func(tx pgx.Tx) error {
		var priorIntent string
		var priorNeg *bool
		err := tx.QueryRow(ctx, `SELECT intent, negative FROM messages WHERE contact_id = $1 AND message_id = $2`,
			c.ContactID, c.MessageID).Scan(&priorIntent, &priorNeg)
		if err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `
			INSERT INTO reading_corrections (contact_id, message_id, intent, negative, prior_intent, prior_negative, agent)
			VALUES ($1,$2,$3,$4,$5,$6,$7)
			ON CONFLICT (contact_id, message_id) DO UPDATE SET intent = EXCLUDED.intent, negative = EXCLUDED.negative,
				agent = EXCLUDED.agent, at = now()
			RETURNING at`, c.ContactID, c.MessageID, c.Intent, c.Negative, priorIntent, priorNeg, c.By.Identity).Scan(&out.At); err != nil {
			return err
		}
		return store.AuditAs(ctx, tx, c.By, "reading_correction", c.ContactID,
			map[string]any{"message_id": c.MessageID, "intent": c.Intent, "negative": c.Negative,
				"prior_intent": priorIntent, "prior_negative": priorNeg})
	})
	return out, store.MapErr(err)
}
