package crm

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// maxOrdersFor caps OrdersFor: the desk only ever talks about recent orders.
const maxOrdersFor = 50

// Postgres is the built-in Directory over the crm_customers and crm_orders
// tables, used when no external CRM is configured.
type Postgres struct {
	pool *pgxpool.Pool
}

var _ Directory = (*Postgres)(nil)

// NewPostgres returns the built-in Directory.
func NewPostgres(pool *pgxpool.Pool) *Postgres { return &Postgres{pool: pool} }

// Customer reads one customer row.
func (p *Postgres) Customer(ctx context.Context, id string) (Customer, error) {
	var c Customer
	err := p.pool.QueryRow(ctx,
		`SELECT customer_id, vip_tier, preferred_language, training_consent
		   FROM crm_customers WHERE customer_id = $1`, id).
		Scan(&c.ID, &c.VIPTier, &c.PreferredLanguage, &c.TrainingConsent)
	if err != nil {
		return Customer{}, pgError("customer", err)
	}
	return c, nil
}

const orderColumns = `order_no, customer_id, status, carrier, tracking_no, items, updated_at`

// Order reads one order row by its exact number.
func (p *Postgres) Order(ctx context.Context, number string) (Order, error) {
	o, err := scanOrder(p.pool.QueryRow(ctx, `SELECT `+orderColumns+` FROM crm_orders WHERE order_no = $1`, number))
	if err != nil {
		return Order{}, pgError("order", err)
	}
	return o, nil
}

// OrdersFor lists the customer's most recently updated orders.
func (p *Postgres) OrdersFor(ctx context.Context, customerID string) ([]Order, error) {
	rows, err := p.pool.Query(ctx, `SELECT `+orderColumns+` FROM crm_orders
		WHERE customer_id = $1 ORDER BY updated_at DESC, order_no LIMIT $2`, customerID, maxOrdersFor)
	if err != nil {
		return nil, pgError("orders", err)
	}
	orders, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Order, error) { return scanOrder(row) })
	if err != nil {
		return nil, pgError("orders", err)
	}
	return orders, nil
}

func scanOrder(row pgx.Row) (Order, error) {
	var o Order
	var updated time.Time
	if err := row.Scan(&o.Number, &o.CustomerID, &o.Status, &o.Carrier, &o.TrackingNo, &o.Items, &updated); err != nil {
		return Order{}, err
	}
	o.UpdatedAt = updated.UTC()
	return o, nil
}

// pgError maps database failures onto the Directory errors: no row is
// ErrNotFound; lost connections, timeouts, shutdowns and resource
// exhaustion are ErrUnavailable; anything else (schema drift, bad data) is
// ErrBadResponse. SQL text and parameters are never included.
func pgError(op string, err error) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("crm: %s: %w", op, ErrNotFound)
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) && len(pe.Code) == 5 {
		switch pe.Code[:2] {
		case "08", "53", "57", "40", "58":
			return fmt.Errorf("crm: %s: %w (sqlstate %s)", op, ErrUnavailable, pe.Code)
		}
		return fmt.Errorf("crm: %s: %w (sqlstate %s)", op, ErrBadResponse, pe.Code)
	}
	var se interface{ SQLState() string }
	if errors.As(err, &se) {
		return fmt.Errorf("crm: %s: %w (sqlstate %s)", op, ErrBadResponse, se.SQLState())
	}
	var scanErr pgx.ScanArgError
	if errors.As(err, &scanErr) {
		return fmt.Errorf("crm: %s: %w: column %d unreadable", op, ErrBadResponse, scanErr.ColumnIndex)
	}
	// Everything else never reached a query result: connect failures,
	// closed pools, timeouts, cancelled contexts.
	return fmt.Errorf("crm: %s: %w: %s", op, ErrUnavailable, transportKind(err))
}
