package crm

import (
	"context"
	"sync"
	"time"
)

// Cached keeps customers a Directory returned for TTL, so the first reply
// of every message does not wait for the CRM; orders always go to the
// Directory. A customer the CRM does not know is remembered too (as a
// customer without VIP tier or consent). Errors are not cached.
type Cached struct {
	Directory
	TTL time.Duration
	Now func() time.Time // nil: time.Now

	mu   sync.Mutex
	byID map[string]cachedCustomer
}

type cachedCustomer struct {
	c   Customer
	err error
	at  time.Time
}

// maxCached bounds memory: past it the cache starts over.
const maxCached = 50_000

// Customer implements Directory.
func (c *Cached) Customer(ctx context.Context, id string) (Customer, error) {
	now := time.Now
	if c.Now != nil {
		now = c.Now
	}
	c.mu.Lock()
	if e, ok := c.byID[id]; ok && now().Sub(e.at) < c.TTL {
		c.mu.Unlock()
		return e.c, e.err
	}
	c.mu.Unlock()
	cu, err := c.Directory.Customer(ctx, id)
	if err != nil && err != ErrNotFound {
		return cu, err
	}
	c.mu.Lock()
	if c.byID == nil || len(c.byID) >= maxCached {
		c.byID = map[string]cachedCustomer{}
	}
	c.byID[id] = cachedCustomer{c: cu, err: err, at: now()}
	c.mu.Unlock()
	return cu, err
}
