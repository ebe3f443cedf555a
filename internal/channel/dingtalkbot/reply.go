package dingtalkbot

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// DefaultHosts are the only hosts a sessionWebhook may point at unless the
// Replier is configured otherwise: the URL comes from the callback body, so
// without a host check a forged or replayed body could make the desk POST
// customer text anywhere.
var DefaultHosts = []string{"oapi.dingtalk.com", "api.dingtalk.com"}

// Reply errors found before sending. They are permanent.
var (
	ErrSessionExpired    = errors.New("dingtalkbot: session webhook expired")
	ErrWebhookNotAllowed = errors.New("dingtalkbot: session webhook host not allowed")
	ErrBadReply          = errors.New("dingtalkbot: empty or over-long reply")
)

// MaxTextBytes is DingTalk's limit on a text message's content.
const MaxTextBytes = 20000

// APIError is a failed answer from the session webhook: a non-2xx status or
// a 200 whose errcode is not 0. ErrMsg is DingTalk's own text, not ours.
type APIError struct {
	HTTPStatus int
	ErrCode    int
	ErrMsg     string
}

func (e *APIError) Error() string {
	return fmt.Sprintf("dingtalkbot: session webhook status %d errcode %d: %s", e.HTTPStatus, e.ErrCode, e.ErrMsg)
}

// Permanent reports whether the same reply cannot succeed later. 5xx, 429,
// errcode -1 (system busy) and 130101 (sending too fast) are transient.
func (e *APIError) Permanent() bool {
	if e.HTTPStatus == 429 || e.HTTPStatus >= 500 || e.ErrCode == -1 || e.ErrCode == 130101 {
		return false
	}
	return true
}

// TransportError is a failure to get an answer; always retryable.
type TransportError struct{ Err error }

func (e *TransportError) Error() string   { return "dingtalkbot: session webhook: " + e.Err.Error() }
func (e *TransportError) Unwrap() error   { return e.Err }
func (e *TransportError) Permanent() bool { return false }

// IsPermanent reports whether err must not be retried.
func IsPermanent(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, ErrSessionExpired) || errors.Is(err, ErrWebhookNotAllowed) || errors.Is(err, ErrBadReply) {
		return true
	}
	var p interface{ Permanent() bool }
	return errors.As(err, &p) && p.Permanent()
}

// Replier posts text replies to callbacks' session webhooks.
type Replier struct {
	// HTTP is used for every reply; nil means a client with a 10 s timeout.
	HTTP *http.Client
	// AllowedHosts lists the hosts (host or host:port) a session webhook may
	// point at; empty means DefaultHosts. Tests add their fake's host.
	AllowedHosts []string
	// Now is the clock for expiry checks; nil means time.Now.
	Now func() time.Time
}

type textReply struct {
	MsgType string `json:"msgtype"`
	Text    struct {
		Content string `json:"content"`
	} `json:"text"`
}

// Reply sends text to the conversation behind sessionWebhook. expires is the
// callback's SessionWebhookExpires (zero = unknown, not checked).
func (r *Replier) Reply(ctx context.Context, sessionWebhook string, expires time.Time, text string) error {
	if strings.TrimSpace(text) == "" {
		return ErrBadReply
	}
	if len(text) > MaxTextBytes {
		return fmt.Errorf("%w: text longer than %d bytes", ErrBadReply, MaxTextBytes)
	}
	if !expires.IsZero() && !r.now().Before(expires) {
		return ErrSessionExpired
	}
	if err := r.checkURL(sessionWebhook); err != nil {
		return err
	}
	var body textReply
	body.MsgType, body.Text.Content = "text", text
	raw, _ := json.Marshal(body)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, sessionWebhook, bytes.NewReader(raw))
	if err != nil {
		return fmt.Errorf("%w: unusable URL", ErrWebhookNotAllowed)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := r.client().Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // the URL carries the session token; keep it out of logs
		}
		return &TransportError{Err: err}
	}
	defer resp.Body.Close()
	var ans struct {
		ErrCode *int   `json:"errcode"`
		ErrMsg  string `json:"errmsg"`
	}
	dec := json.NewDecoder(io.LimitReader(resp.Body, 64<<10))
	decErr := dec.Decode(&ans)
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return &APIError{HTTPStatus: resp.StatusCode, ErrCode: deref(ans.ErrCode), ErrMsg: clip(ans.ErrMsg)}
	}
	if decErr != nil || ans.ErrCode == nil {
		// DingTalk always answers with an errcode; anything else is not DingTalk.
		return &APIError{HTTPStatus: resp.StatusCode, ErrCode: -2, ErrMsg: "answer without errcode"}
	}
	if *ans.ErrCode != 0 {
		return &APIError{HTTPStatus: resp.StatusCode, ErrCode: *ans.ErrCode, ErrMsg: clip(ans.ErrMsg)}
	}
	return nil
}

func (r *Replier) checkURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("%w: unusable URL", ErrWebhookNotAllowed)
	}
	hosts := r.AllowedHosts
	if len(hosts) == 0 {
		hosts = DefaultHosts
		if u.Scheme != "https" {
			return fmt.Errorf("%w: not https", ErrWebhookNotAllowed)
		}
	}
	if !slices.Contains(hosts, u.Host) && !slices.Contains(hosts, u.Hostname()) {
		return ErrWebhookNotAllowed
	}
	return nil
}

func (r *Replier) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

func (r *Replier) client() *http.Client {
	if r.HTTP != nil {
		return r.HTTP
	}
	return &http.Client{Timeout: 10 * time.Second}
}

func deref(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}

func clip(s string) string {
	if len(s) > 200 {
		return strings.ToValidUTF8(s[:200], "")
	}
	return s
}
