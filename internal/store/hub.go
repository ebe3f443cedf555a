package store

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// ReplyChannel is the PostgreSQL NOTIFY channel a reply commit signals on
// (the contacts store's reply statement notifies it with the contact's ID,
// RecordBaseline with "baseline/<id>"); ReplyHub listens on it.
const ReplyChannel = "harbordesk_reply"

// ReplyHub lets API requests wait for a contact's next reply without polling
// the database: it holds one LISTEN connection and wakes the waiters of a
// contact when a reply to it commits (in any process — API and worker may be
// different replicas). A missed notification only costs the waiter its
// timeout, after which it re-reads; nothing depends on delivery.
type ReplyHub struct {
	store *Store
	log   *slog.Logger
	mu    sync.Mutex
	wait  map[string][]chan struct{}
}

// NewReplyHub starts listening; it reconnects until ctx ends.
func NewReplyHub(ctx context.Context, s *Store, log *slog.Logger) *ReplyHub {
	h := &ReplyHub{store: s, log: log, wait: map[string][]chan struct{}{}}
	go h.run(ctx)
	return h
}

// Wait returns a channel closed at the next reply to contactID; call the
// returned cancel when done waiting.
func (h *ReplyHub) Wait(contactID string) (<-chan struct{}, func()) {
	ch := make(chan struct{})
	h.mu.Lock()
	h.wait[contactID] = append(h.wait[contactID], ch)
	h.mu.Unlock()
	return ch, func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		list := h.wait[contactID]
		for i, c := range list {
			if c == ch {
				h.wait[contactID] = append(list[:i], list[i+1:]...)
				break
			}
		}
		if len(h.wait[contactID]) == 0 {
			delete(h.wait, contactID)
		}
	}
}

func (h *ReplyHub) wake(contactID string) {
	h.mu.Lock()
	list := h.wait[contactID]
	delete(h.wait, contactID)
	h.mu.Unlock()
	for _, c := range list {
		close(c)
	}
}

func (h *ReplyHub) wakeAll() {
	h.mu.Lock()
	all := h.wait
	h.wait = map[string][]chan struct{}{}
	h.mu.Unlock()
	for _, list := range all {
		for _, c := range list {
			close(c)
		}
	}
}

func (h *ReplyHub) run(ctx context.Context) {
	backoff := 200 * time.Millisecond
	for ctx.Err() == nil {
		err := h.listen(ctx)
		if ctx.Err() != nil {
			return
		}
		h.log.Warn("reply listener lost its connection; reconnecting", "err_type", "listen")
		h.wakeAll() // waiters re-read instead of sleeping out their timeout
		_ = err
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		if backoff < 5*time.Second {
			backoff *= 2
		}
	}
}

func (h *ReplyHub) listen(ctx context.Context) error {
	conn, err := h.store.Pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "LISTEN "+ReplyChannel); err != nil {
		return err
	}
	defer func() {
		// The connection goes back to the pool: stop listening on it.
		uctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_, _ = conn.Exec(uctx, "UNLISTEN *")
	}()
	for {
		n, err := conn.Conn().WaitForNotification(ctx)
		if err != nil {
			return err
		}
		h.wake(n.Payload)
	}
}
