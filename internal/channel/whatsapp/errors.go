package whatsapp

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// Request errors found before anything is sent. They are permanent.
var (
	ErrBadRequest    = errors.New("whatsapp: invalid outbound message")
	ErrMediaTooLarge = errors.New("whatsapp: media larger than allowed")
	// ErrNoMessageID means the Graph API answered 2xx without a message id.
	// The message may have gone out, so it is permanent: retrying could
	// double-send.
	ErrNoMessageID = errors.New("whatsapp: accepted without a message id")
)

// Graph error codes that come back with a 4xx status but clear up on retry:
// rate limits and transient platform failures (Cloud API error-code reference).
var retryableCodes = map[int]bool{
	1:      true, // API unknown
	2:      true, // API service temporarily unavailable
	4:      true, // application request limit reached
	80007:  true, // WABA rate limit
	130429: true, // Cloud API throughput reached
	131000: true, // something went wrong
	131016: true, // service unavailable
	131056: true, // business/consumer pair rate limit
	133004: true, // server temporarily unavailable
}

// CodeReEngagement is returned when free-form text is sent more than 24 hours
// after the customer's last message; a template must be used instead.
const CodeReEngagement = 131047

// APIError is a non-2xx answer from the Graph API. Message is Graph's own
// text with long digit runs (phone numbers) redacted; the request's content
// and recipient are never included.
type APIError struct {
	Op         string // "send", "media"
	HTTPStatus int
	Code       int
	Subcode    int
	Type       string
	Message    string
	FBTraceID  string
}

func (e *APIError) Error() string {
	return fmt.Sprintf("whatsapp: %s: graph status %d code %d subcode %d: %s (fbtrace %s)",
		e.Op, e.HTTPStatus, e.Code, e.Subcode, e.Message, e.FBTraceID)
}

// Permanent reports whether retrying the same request cannot succeed.
func (e *APIError) Permanent() bool {
	if e.HTTPStatus == 429 || e.HTTPStatus >= 500 || retryableCodes[e.Code] {
		return false
	}
	return e.HTTPStatus >= 400
}

// TransportError is a failure to get any answer (timeout, refused connection,
// unreadable response). It is always retryable.
type TransportError struct {
	Op  string
	Err error
}

func (e *TransportError) Error() string { return "whatsapp: " + e.Op + ": " + e.Err.Error() }
func (e *TransportError) Unwrap() error { return e.Err }

// Permanent is false: the request may succeed later.
func (e *TransportError) Permanent() bool { return false }

// IsPermanent reports whether err must not be retried: a 4xx from the Graph
// API (other than rate limits), an invalid request, or an over-size media.
// Timeouts, connection failures, 429 and 5xx are retryable.
func IsPermanent(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, ErrBadRequest) || errors.Is(err, ErrMediaTooLarge) || errors.Is(err, ErrNoMessageID) {
		return true
	}
	var p interface{ Permanent() bool }
	if errors.As(err, &p) {
		return p.Permanent()
	}
	return false
}

// IsReEngagement reports whether err says the 24-hour window has closed.
func IsReEngagement(err error) bool {
	var ae *APIError
	return errors.As(err, &ae) && ae.Code == CodeReEngagement
}

// longDigits matches phone-number-like runs (7+ digits, optional separators);
// Graph error codes have at most 6 digits and survive.
var longDigits = regexp.MustCompile(`\+?\d(?:[ -]?\d){6,}`)

func redact(s string) string {
	const max = 200
	s = longDigits.ReplaceAllString(s, "[redacted]")
	if len(s) > max {
		s = strings.ToValidUTF8(s[:max], "")
	}
	return s
}
