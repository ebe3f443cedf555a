package crm

import (
	"context"
	"errors"
	"time"
)

// Customer is the CRM's view of a customer.
type Customer struct {
	ID                string
	VIPTier           string // "" when not a VIP
	PreferredLanguage string // as the CRM stores it ("yue", "zh-Hant", "en", …)
	TrainingConsent   bool   // may the conversation be used to improve the desk
}

// Item is one line of an order.
type Item struct {
	SKU      string `json:"sku"`
	Name     string `json:"name"`
	Quantity int    `json:"quantity"`
}

// Order is the ERP's view of an order.
type Order struct {
	Number     string
	CustomerID string
	Status     string // as the ERP names it ("pending", "shipped", …)
	Carrier    string
	TrackingNo string
	Items      []Item
	UpdatedAt  time.Time
}

// Directory answers customer and order questions.
type Directory interface {
	Customer(ctx context.Context, id string) (Customer, error)
	Order(ctx context.Context, number string) (Order, error)
	// OrdersFor returns the customer's orders, most recently updated first
	// (empty, not ErrNotFound, when there are none).
	OrdersFor(ctx context.Context, customerID string) ([]Order, error)
}

var (
	// ErrNotFound: the CRM/ERP has no such customer or order. Permanent;
	// an order the ERP cannot find becomes a tracking ticket.
	ErrNotFound = errors.New("crm: not found")
	// ErrUnavailable: the CRM/ERP or its token server is down, slow or
	// overloaded. Retryable.
	ErrUnavailable = errors.New("crm: unavailable")
	// ErrUnauthorized: the credentials are refused even with a fresh token.
	// Permanent until the configuration is fixed.
	ErrUnauthorized = errors.New("crm: unauthorized")
	// ErrBadResponse: the CRM answered something the desk cannot use (a
	// rejected request or an unreadable body). Permanent.
	ErrBadResponse = errors.New("crm: unusable response")
)

// IsRetryable reports whether a Directory error may clear up on retry.
func IsRetryable(err error) bool { return errors.Is(err, ErrUnavailable) }
