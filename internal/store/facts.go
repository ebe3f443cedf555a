package store

import (
	"context"
	"time"

	"github.com/harbordesk/harbordesk/internal/contact"
	"github.com/harbordesk/harbordesk/internal/store/db"
)

// KPIFact records a KPI fact of the contact p on d (the transaction of the
// change it counts), once per (contact, kind, key); for the per-aggregate
// stores (internal/store/handoffs). Errors are not mapped.
func KPIFact(ctx context.Context, d db.DB, p contact.Params, kind, key string, at time.Time, lang string, afterHours, bot bool, score int) error {
	return kpiFact(ctx, d, p, kind, key, at, lang, afterHours, bot, score)
}

// TicketEvent appends an event to the history of the contact's ticket on d
// (the transaction of the change it records); for the per-aggregate stores
// (internal/store/handoffs). Errors are not mapped.
func TicketEvent(ctx context.Context, d db.DB, contactID, kind string, detail map[string]any) error {
	return ticketEvent(ctx, d, contactID, kind, detail)
}
