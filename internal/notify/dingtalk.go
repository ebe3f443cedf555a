package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/harbordesk/harbordesk/internal/dingtalk"
)

// DingTalk's documented limit: 20 messages a minute per robot; going over
// throttles the robot for ten minutes.
const (
	DefaultRateLimit    = 20
	DefaultRatePeriod   = time.Minute
	DefaultThrottleTime = 10 * time.Minute
	DefaultTimeout      = 10 * time.Second
	// DefaultDigestSize is how many contacts one digest message lists at most.
	DefaultDigestSize = 15
	// DefaultMaxPending bounds the in-memory queue; beyond it Notify answers
	// "retry later" without queueing (the activity's retry keeps it alive).
	DefaultMaxPending = 1000
	// deliveredTTL is how long a delivered Key is remembered so that a
	// retried activity whose notification went out in someone else's digest
	// returns nil instead of sending it again.
	deliveredTTL = time.Hour
)

// DingTalk robot errcodes (in the body of an HTTP 200).
const (
	codeOK          = 0
	codeBusy        = -1     // system busy
	codeTooFast     = 130101 // send too fast, exceed 20 times per minute
	codeTooFastNew  = 410100 // newer wording of the same throttle
	codeSecurity    = 310000 // sign mismatch, keyword missing or IP not allowed
	codeTokenAbsent = 300001 // token is not exist
)

// DingTalk pushes notifications to a DingTalk custom group robot. One value
// is shared by every activity in the worker process: it holds the robot's
// rate limiter and the coalescing queue.
//
// When the limit is reached, a notification is queued and Notify returns a
// retryable *Error with RetryAfter; the next send (anyone's) carries every
// queued notification, those of one contact collapsed into one entry, others
// listed in a digest. A retried Notify whose notification already went out
// returns nil. The limiter is per process: with several worker replicas on
// one robot, give each a share via WithRateLimit.
type DingTalk struct {
	webhook, secret string
	client          *http.Client
	now             func() time.Time
	log             *slog.Logger
	digestSize      int
	maxPending      int
	throttle        time.Duration
	timeout         time.Duration

	mu        sync.Mutex
	limiter   *window
	pending   []Notification // arrival order, unique Key
	inflight  map[string]*sending
	delivered map[string]time.Time
}

// sending is one robot message on the wire.
type sending struct {
	done chan struct{}
	err  error
}

// Option configures NewDingTalk.
type Option func(*DingTalk)

// WithHTTPClient replaces the HTTP client (its Timeout is kept if set).
func WithHTTPClient(c *http.Client) Option { return func(d *DingTalk) { d.client = c } }

// WithTimeout sets the per-request timeout (default 10s). It applies to a
// copy of the client, never mutating one passed to WithHTTPClient.
func WithTimeout(t time.Duration) Option { return func(d *DingTalk) { d.timeout = t } }

// WithClock sets the clock used for signing and rate limiting (tests).
func WithClock(now func() time.Time) Option { return func(d *DingTalk) { d.now = now } }

// WithLogger sets the logger (default slog.Default()).
func WithLogger(l *slog.Logger) Option { return func(d *DingTalk) { d.log = l } }

// WithRateLimit admits at most n messages in any span of per.
func WithRateLimit(n int, per time.Duration) Option {
	return func(d *DingTalk) { d.limiter = newWindow(max(n, 1), per) }
}

// WithThrottle sets how long the robot is left alone after DingTalk answers
// "send too fast" (default DefaultThrottleTime, DingTalk's documented
// ten-minute penalty). A deployment whose robot is penalised for less, and
// tests, shorten it; zero or less keeps the default, since retrying at once
// only extends the penalty.
func WithThrottle(t time.Duration) Option {
	return func(d *DingTalk) {
		if t > 0 {
			d.throttle = t
		}
	}
}

// WithDigestSize caps how many contacts one message lists.
func WithDigestSize(n int) Option { return func(d *DingTalk) { d.digestSize = max(n, 1) } }

// WithMaxPending caps the coalescing queue.
func WithMaxPending(n int) Option { return func(d *DingTalk) { d.maxPending = max(n, 1) } }

// NewDingTalk returns a notifier for the robot at webhookURL (with its
// access_token). secret is the robot's "加签" secret (SEC...); empty means
// the robot is secured by keyword or IP instead and URLs are not signed.
func NewDingTalk(webhookURL, secret string, opts ...Option) *DingTalk {
	d := &DingTalk{
		webhook:    webhookURL,
		secret:     secret,
		client:     &http.Client{Timeout: DefaultTimeout},
		now:        time.Now,
		log:        slog.Default(),
		digestSize: DefaultDigestSize,
		maxPending: DefaultMaxPending,
		throttle:   DefaultThrottleTime,
		limiter:    newWindow(DefaultRateLimit, DefaultRatePeriod),
		inflight:   map[string]*sending{},
		delivered:  map[string]time.Time{},
	}
	for _, o := range opts {
		o(d)
	}
	if d.timeout > 0 {
		c := *d.client
		c.Timeout = d.timeout
		d.client = &c
	}
	return d
}

// Notify delivers n, possibly together with other queued notifications.
func (d *DingTalk) Notify(ctx context.Context, n Notification) error {
	if n.Key == "" {
		return &Error{Pusher: "dingtalk", Reason: "notification has no idempotency key", Permanent: true}
	}
	now := d.now()
	d.mu.Lock()
	d.forget(now)
	if _, ok := d.delivered[n.Key]; ok {
		d.mu.Unlock()
		return nil
	}
	if s := d.inflight[n.Key]; s != nil {
		d.mu.Unlock()
		return wait(ctx, s)
	}
	if !d.enqueue(n) {
		d.mu.Unlock()
		return &Error{Pusher: "dingtalk", Reason: "notification queue full", RetryAfter: d.limiter.per / time.Duration(d.limiter.limit)}
	}
	if after, ok := d.limiter.take(now); !ok {
		d.mu.Unlock()
		return &Error{Pusher: "dingtalk", Reason: "robot rate limit reached; queued for the next message", RetryAfter: after}
	}
	batch := d.takeBatch(n)
	s := &sending{done: make(chan struct{})}
	for _, b := range batch {
		d.inflight[b.Key] = s
	}
	d.mu.Unlock()

	err := d.send(ctx, batch, now)

	d.mu.Lock()
	for _, b := range batch {
		delete(d.inflight, b.Key)
	}
	var e *Error
	switch {
	case err == nil:
		for _, b := range batch {
			d.delivered[b.Key] = now
		}
	case errors.As(err, &e) && e.Permanent:
		// Dropped: every owner's retry re-queues and fails loudly itself.
	default:
		d.pending = append(batch, d.pending...)
		if errors.As(err, &e) && (e.Code == codeTooFast || e.Code == codeTooFastNew) {
			d.limiter.block(now.Add(d.throttle))
		}
	}
	s.err = err
	close(s.done)
	d.mu.Unlock()
	return err
}

func wait(ctx context.Context, s *sending) error {
	select {
	case <-s.done:
		return s.err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// enqueue adds n to pending (replacing a pending one with the same Key)
// and reports false when the queue is full.
func (d *DingTalk) enqueue(n Notification) bool {
	for i := range d.pending {
		if d.pending[i].Key == n.Key {
			d.pending[i] = n
			return true
		}
	}
	if len(d.pending) >= d.maxPending {
		return false
	}
	d.pending = append(d.pending, n)
	return true
}

// takeBatch removes from pending n's contact and up to digestSize-1 other
// contacts, oldest first, with all their notifications.
func (d *DingTalk) takeBatch(n Notification) []Notification {
	chosen := map[string]bool{n.contactID(): true}
	for _, p := range d.pending {
		if len(chosen) >= d.digestSize {
			break
		}
		chosen[p.contactID()] = true
	}
	var batch, rest []Notification
	for _, p := range d.pending {
		if chosen[p.contactID()] {
			batch = append(batch, p)
		} else {
			rest = append(rest, p)
		}
	}
	d.pending = rest
	return batch
}

func (d *DingTalk) forget(now time.Time) {
	for k, at := range d.delivered {
		if now.Sub(at) > deliveredTTL {
			delete(d.delivered, k)
		}
	}
}

// groups collapses a batch by contact, in order of first arrival.
func groups(batch []Notification) []contactGroup {
	idx := map[string]int{}
	var out []contactGroup
	for _, n := range batch {
		id := n.contactID()
		i, ok := idx[id]
		if !ok {
			i = len(out)
			idx[id] = i
			out = append(out, contactGroup{})
		}
		out[i].items = append(out[i].items, n)
	}
	return out
}

// Pending is how many notifications wait for the next message.
func (d *DingTalk) Pending() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.pending)
}

func (d *DingTalk) send(ctx context.Context, batch []Notification, now time.Time) error {
	target := d.webhook
	if d.secret != "" {
		u, err := dingtalk.SignedURL(d.webhook, d.secret, now)
		if err != nil {
			return d.permanent(0, 0, "webhook misconfigured: "+err.Error())
		}
		target = u
	}
	body, err := json.Marshal(render(groups(batch)))
	if err != nil {
		return d.permanent(0, 0, "encode message: "+err.Error())
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		// Never include err: it quotes the URL and its access_token.
		return d.permanent(0, 0, "webhook URL is invalid")
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	resp, err := d.client.Do(req)
	if err != nil {
		return &Error{Pusher: "dingtalk", Reason: transportReason(err)}
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return &Error{Pusher: "dingtalk", Reason: "read response: " + transportReason(err), Status: resp.StatusCode}
	}
	switch {
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusRequestTimeout || resp.StatusCode >= 500:
		return &Error{Pusher: "dingtalk", Reason: "robot endpoint unavailable", Status: resp.StatusCode}
	case resp.StatusCode != http.StatusOK:
		return d.permanent(0, resp.StatusCode, "robot endpoint refused the request")
	}
	var r struct {
		ErrCode *int   `json:"errcode"`
		ErrMsg  string `json:"errmsg"`
	}
	if err := json.Unmarshal(raw, &r); err != nil || r.ErrCode == nil {
		return &Error{Pusher: "dingtalk", Reason: "unreadable robot response", Status: resp.StatusCode}
	}
	switch code := *r.ErrCode; code {
	case codeOK:
		return nil
	case codeTooFast, codeTooFastNew:
		return &Error{Pusher: "dingtalk", Reason: "robot throttled (send too fast)", Code: code, RetryAfter: d.throttle}
	case codeBusy:
		return &Error{Pusher: "dingtalk", Reason: "robot busy", Code: code}
	case codeSecurity:
		return d.permanent(code, 0, "robot security check failed (signature, keyword or IP allow-list)")
	case codeTokenAbsent:
		return d.permanent(code, 0, "robot access token does not exist")
	default:
		// Invalid or revoked token (400013, 400101 ...), robot stopped,
		// malformed message: retrying the same request cannot succeed.
		return d.permanent(code, 0, "robot rejected the message")
	}
}

// permanent logs an alert (an operator must fix the robot configuration)
// and returns the non-retryable error. The log line carries codes only:
// never the webhook, the secret or the message.
func (d *DingTalk) permanent(code, status int, reason string) error {
	d.log.Error("dingtalk supervisor push failed permanently; check HARBORDESK_DINGTALK_WEBHOOK and HARBORDESK_DINGTALK_SECRET",
		"errcode", code, "http_status", status, "reason", reason)
	return &Error{Pusher: "dingtalk", Reason: reason, Code: code, Status: status, Permanent: true}
}

// transportReason describes a transport error without the request URL.
func transportReason(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		if ue.Timeout() {
			return "timeout"
		}
		err = ue.Err
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "timeout"
	}
	if errors.Is(err, context.Canceled) {
		return "canceled"
	}
	return "transport: " + err.Error()
}
