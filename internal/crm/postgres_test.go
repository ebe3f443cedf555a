package crm

import (
	"context"
	"errors"
	"fmt"
	"os"
	"reflect"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// The lead's migration creates exactly these tables.
const crmDDL = `
CREATE TABLE crm_customers (customer_id text PRIMARY KEY, vip_tier text NOT NULL DEFAULT '', preferred_language text NOT NULL DEFAULT '', training_consent boolean NOT NULL DEFAULT false, updated_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE crm_orders (order_no text PRIMARY KEY, customer_id text NOT NULL, status text NOT NULL, carrier text NOT NULL DEFAULT '', tracking_no text NOT NULL DEFAULT '', items jsonb NOT NULL DEFAULT '[]', updated_at timestamptz NOT NULL DEFAULT now());
`

func testDatabaseURL() string {
	if u := os.Getenv("HARBORDESK_TEST_DATABASE_URL"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
}

// testPool creates a private schema holding the CRM tables and returns a
// pool whose search_path points at it; the schema is dropped afterwards.
func testPool(t testing.TB) *pgxpool.Pool {
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, testDatabaseURL())
	if err != nil {
		t.Skipf("PostgreSQL not reachable at %s: %v", testDatabaseURL(), err)
	}
	schema := "crm_test_" + uuid.NewString()[:8]
	if _, err := admin.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		admin.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
		admin.Close(context.Background())
	})
	cfg, err := pgxpool.ParseConfig(testDatabaseURL())
	if err != nil {
		t.Fatal(err)
	}
	cfg.ConnConfig.RuntimeParams["search_path"] = schema
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	if _, err := pool.Exec(ctx, crmDDL); err != nil {
		t.Fatal(err)
	}
	_, err = pool.Exec(ctx, `
INSERT INTO crm_customers (customer_id, vip_tier, preferred_language, training_consent) VALUES
  ('c-1', 'gold', 'yue', true), ('c-2', '', '', false);
INSERT INTO crm_orders (order_no, customer_id, status, carrier, tracking_no, items, updated_at) VALUES
  ('HK20461', 'c-1', 'pending', '', '', '[{"sku":"A-1","name":"Kettle","quantity":2}]', '2025-03-01 23:00:00+08'),
  ('HK20400', 'c-1', 'shipped', 'SF Express', 'SF1234567890', '[]', '2025-02-01 10:00:00+08');`)
	if err != nil {
		t.Fatal(err)
	}
	return pool
}

func TestPostgresDirectory(t *testing.T) {
	pool := testPool(t)
	d := NewPostgres(pool)
	ctx := context.Background()

	c, err := d.Customer(ctx, "c-1")
	if err != nil || c != (Customer{ID: "c-1", VIPTier: "gold", PreferredLanguage: "yue", TrainingConsent: true}) {
		t.Fatalf("customer = %+v, %v", c, err)
	}
	o, err := d.Order(ctx, "HK20461")
	want := Order{Number: "HK20461", CustomerID: "c-1", Status: "pending",
		Items: []Item{{SKU: "A-1", Name: "Kettle", Quantity: 2}}, UpdatedAt: time.Date(2025, 3, 1, 15, 0, 0, 0, time.UTC)}
	if err != nil || !reflect.DeepEqual(o, want) {
		t.Fatalf("order = %+v, %v", o, err)
	}
	list, err := d.OrdersFor(ctx, "c-1")
	if err != nil || len(list) != 2 || list[0].Number != "HK20461" || list[1].TrackingNo != "SF1234567890" || len(list[1].Items) != 0 {
		t.Fatalf("orders = %+v, %v", list, err)
	}
	if list, err := d.OrdersFor(ctx, "c-2"); err != nil || len(list) != 0 {
		t.Fatalf("no orders = %+v, %v", list, err)
	}
}

func TestPostgresErrors(t *testing.T) {
	pool := testPool(t)
	d := NewPostgres(pool)
	ctx := context.Background()
	tests := []struct {
		name      string
		call      func(d *Postgres) error
		wantErr   error
		retryable bool
	}{
		{"unknown customer", func(d *Postgres) error { _, err := d.Customer(ctx, "nobody"); return err }, ErrNotFound, false},
		{"unknown order", func(d *Postgres) error { _, err := d.Order(ctx, "HK99999"); return err }, ErrNotFound, false},
		{"cancelled", func(d *Postgres) error {
			c, cancel := context.WithCancel(ctx)
			cancel()
			_, err := d.Order(c, "HK20461")
			return err
		}, ErrUnavailable, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call(d)
			if !errors.Is(err, tt.wantErr) || IsRetryable(err) != tt.retryable {
				t.Fatalf("err = %v, want %v (retryable %v)", err, tt.wantErr, tt.retryable)
			}
		})
	}

	// Schema drift (a missing table) is permanent, not retryable.
	if _, err := pool.Exec(ctx, "DROP TABLE crm_orders"); err != nil {
		t.Fatal(err)
	}
	if _, err := d.OrdersFor(ctx, "c-1"); !errors.Is(err, ErrBadResponse) || IsRetryable(err) {
		t.Fatalf("missing table: %v", err)
	}
	if _, err := d.Order(ctx, "HK20461"); !errors.Is(err, ErrBadResponse) {
		t.Fatalf("missing table: %v", err)
	}
	// Unreadable data is permanent.
	if _, err := pool.Exec(ctx, `ALTER TABLE crm_customers ALTER COLUMN vip_tier DROP NOT NULL; UPDATE crm_customers SET vip_tier = NULL WHERE customer_id = 'c-2'`); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Customer(ctx, "c-2"); !errors.Is(err, ErrBadResponse) {
		t.Fatalf("NULL column: %v", err)
	}
	// A closed pool is a database that is down.
	pool.Close()
	if _, err := d.Customer(ctx, "c-1"); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("closed pool: %v", err)
	}
}

func TestPostgresUnreachable(t *testing.T) {
	cfg, err := pgxpool.ParseConfig("postgres://postgres@127.0.0.1:1/postgres?sslmode=disable&connect_timeout=1")
	if err != nil {
		t.Fatal(err)
	}
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	_, err = NewPostgres(pool).Order(context.Background(), "HK20461")
	if !errors.Is(err, ErrUnavailable) || !IsRetryable(err) {
		t.Fatalf("err = %v", err)
	}
	if got := fmt.Sprint(err); len(got) > 200 {
		t.Fatalf("overlong error %q", got)
	}
}

func BenchmarkPostgresOrder(b *testing.B) {
	d := NewPostgres(testPool(b))
	for b.Loop() {
		if _, err := d.Order(context.Background(), "HK20461"); err != nil {
			b.Fatal(err)
		}
	}
}
