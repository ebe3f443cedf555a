package notify

import (
	"errors"
	"fmt"
	"time"
)

// Retryable is implemented by errors that know whether retrying can help.
type Retryable interface {
	Retryable() bool
}

// Error is a failed delivery. Its text never contains the webhook URL,
// secrets or notification content.
type Error struct {
	Pusher     string        // "dingtalk", ...
	Reason     string        // what went wrong, in our words
	Code       int           // the partner's error code, 0 if none
	Status     int           // HTTP status, 0 if no response
	Permanent  bool          // retrying cannot help (bad token, bad signature ...)
	RetryAfter time.Duration // earliest useful retry, 0 if unknown
}

func (e *Error) Error() string {
	kind := "retryable"
	if e.Permanent {
		kind = "permanent"
	}
	s := fmt.Sprintf("notify: %s: %s (%s", e.Pusher, e.Reason, kind)
	if e.Code != 0 {
		s += fmt.Sprintf(", errcode %d", e.Code)
	}
	if e.Status != 0 {
		s += fmt.Sprintf(", http %d", e.Status)
	}
	if e.RetryAfter > 0 {
		s += fmt.Sprintf(", retry after %s", e.RetryAfter)
	}
	return s + ")"
}

// Retryable implements Retryable.
func (e *Error) Retryable() bool { return !e.Permanent }

// IsPermanent reports whether err says retrying cannot help, so a Temporal
// activity should fail with a non-retryable application error. Errors that
// do not say (context cancellation, unknown errors) are not permanent.
func IsPermanent(err error) bool {
	var r Retryable
	return errors.As(err, &r) && !r.Retryable()
}

// RetryAfter returns the earliest useful retry delay err carries (for
// temporal.ApplicationErrorOptions.NextRetryDelay), or 0.
func RetryAfter(err error) time.Duration {
	var e *Error
	if errors.As(err, &e) {
		return e.RetryAfter
	}
	return 0
}
