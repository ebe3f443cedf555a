package activities

import (
	"context"
	"errors"
	"time"

	"github.com/harbordesk/harbordesk/internal/contact"
	"github.com/harbordesk/harbordesk/internal/crm"
	"github.com/harbordesk/harbordesk/internal/playbook"
)

// LookupInput asks the CRM/ERP about one order.
type LookupInput struct {
	CustomerID, OrderNumber, Intent, Language, Script string
	Now                                               time.Time
}

// LookupOrder answers an order-status question from the CRM/ERP. An order
// the ERP cannot find — or that belongs to someone else, which is told the
// same way so order numbers cannot be probed — becomes a tracking ticket
// waiting for the next shift. ERP outages are retried by Temporal; when the
// retries run out the workflow falls back to the tracking ticket too.
func (a *Activities) LookupOrder(ctx context.Context, in LookupInput) (Draft, error) {
	pb := a.Playbooks.Load().For(in.Intent)
	o, err := a.CRM.Order(ctx, in.OrderNumber)
	switch {
	case errors.Is(err, crm.ErrNotFound), err == nil && o.CustomerID != "" && o.CustomerID != in.CustomerID:
		return a.orderMissing(in), nil
	case errors.Is(err, crm.ErrUnavailable):
		return Draft{}, retryable(err)
	case err != nil:
		return a.orderMissing(in), nil // a broken ERP answer: a person checks
	}
	tracking := o.TrackingNo
	if o.Carrier != "" && tracking != "" {
		tracking = o.Carrier + " " + tracking
	}
	text, locale := a.render(pb, playbook.SlotOrderStatus, contact.Reading{Language: in.Language, Script: in.Script},
		map[string]string{"order_id": o.Number, "status": o.Status, "tracking": tracking})
	return Draft{Kind: contact.KindAnswer, Text: text, Locale: locale, Reason: "order_found"}, nil
}

// orderMissing is the reply and ticket state for an order nobody could look
// up now (not found, or the ERP down after retries): the customer is told a
// colleague will check, and the tracking ticket waits for the next shift.
func (a *Activities) orderMissing(in LookupInput) Draft {
	text, locale := a.render(a.Playbooks.Load().For(in.Intent), playbook.SlotOrderMissing,
		contact.Reading{Language: in.Language, Script: in.Script}, map[string]string{"order_id": in.OrderNumber})
	return Draft{Kind: contact.KindAnswer, Text: text, Locale: locale, Reason: "order_not_found", TicketStatus: waitingStatus(in.Now)}
}
