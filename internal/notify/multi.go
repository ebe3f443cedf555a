package notify

import (
	"context"
	"errors"
)

// Multi fans a notification out to every Notifier. It fails if any fails;
// the error is permanent only when every failure is permanent, so a retry
// re-sends to all (each Notifier is idempotent by Key).
type Multi []Notifier

// Notify implements Notifier.
func (m Multi) Notify(ctx context.Context, n Notification) error {
	var errs []error
	for _, x := range m {
		if err := x.Notify(ctx, n); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return &MultiError{Errs: errs}
}

// MultiError is the failures of a Multi.
type MultiError struct{ Errs []error }

func (e *MultiError) Error() string { return errors.Join(e.Errs...).Error() }

// Unwrap exposes the individual failures to errors.Is and errors.As.
func (e *MultiError) Unwrap() []error { return e.Errs }

// Retryable is true when at least one failure is worth retrying.
func (e *MultiError) Retryable() bool {
	for _, err := range e.Errs {
		if !IsPermanent(err) {
			return true
		}
	}
	return false
}
