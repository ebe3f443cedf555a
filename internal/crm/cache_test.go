package crm

import (
	"context"
	"errors"
	"testing"
	"time"
)

type countingDir struct {
	Directory
	calls int
	err   error
}

func (d *countingDir) Customer(_ context.Context, id string) (Customer, error) {
	d.calls++
	if d.err != nil {
		return Customer{}, d.err
	}
	if id == "ghost" {
		return Customer{}, ErrNotFound
	}
	return Customer{ID: id, VIPTier: "gold"}, nil
}

func TestCachedCustomer(t *testing.T) {
	now := time.Unix(0, 0)
	d := &countingDir{}
	c := &Cached{Directory: d, TTL: time.Minute, Now: func() time.Time { return now }}
	ctx := context.Background()
	for range 3 {
		if cu, err := c.Customer(ctx, "c1"); err != nil || cu.VIPTier != "gold" {
			t.Fatalf("Customer = %+v, %v", cu, err)
		}
	}
	if _, err := c.Customer(ctx, "ghost"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("ghost: %v", err)
	}
	if _, err := c.Customer(ctx, "ghost"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("ghost again: %v", err)
	}
	if d.calls != 2 {
		t.Errorf("directory calls = %d, want 2 (one per customer within the TTL)", d.calls)
	}
	now = now.Add(2 * time.Minute)
	d.err = ErrUnavailable
	if _, err := c.Customer(ctx, "c1"); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("expired entry with the CRM down: %v", err)
	}
	d.err = nil
	if _, err := c.Customer(ctx, "c1"); err != nil || d.calls != 4 {
		t.Errorf("an error was cached: calls %d, err %v", d.calls, err)
	}
}
