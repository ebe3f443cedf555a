package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// maxBody caps what is read of any response; contact views are small.
const maxBody = 1 << 20

// StatusError is a non-2xx answer from the instance. It carries the status
// only: bodies may echo customer text.
type StatusError struct {
	Op     string
	Status int
}

func (e *StatusError) Error() string { return fmt.Sprintf("bench: %s: HTTP %d", e.Op, e.Status) }

// client speaks the four endpoints bench uses.
type client struct {
	base string
	key  string
	hc   *http.Client
}

func newClient(o Options) *client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	// Every worker keeps its own connection alive; without this Go keeps 2
	// idle connections per host and the rest are re-dialled on every request.
	tr.MaxIdleConns = 4 * o.Concurrency
	tr.MaxIdleConnsPerHost = 4 * o.Concurrency
	tr.IdleConnTimeout = 90 * time.Second
	return &client{
		base: strings.TrimRight(o.URL, "/"),
		key:  o.Key,
		hc:   &http.Client{Transport: tr, Timeout: o.ReplyTimeout},
	}
}

type contactRequest struct {
	Channel        string `json:"channel"`
	CustomerID     string `json:"customer_id"`
	ConversationID string `json:"conversation_id"`
	MessageID      string `json:"message_id"`
	Text           string `json:"text"`
}

type accepted struct {
	ContactID  string `json:"contact_id"`
	WorkflowID string `json:"workflow_id"`
}

type reply struct {
	Author string `json:"author"`
	Kind   string `json:"kind"`
}

type contactView struct {
	Replies []reply `json:"replies"`
}

// botReplies counts the replies that answer the customer: the bot's, other
// than the privacy notice (answers, handoff messages, acknowledgements).
func (v contactView) botReplies() int {
	n := 0
	for _, r := range v.Replies {
		if r.Author == "bot" && r.Kind != "notice" {
			n++
		}
	}
	return n
}

type baselineView struct {
	Done bool `json:"done"`
}

func (c *client) postContact(ctx context.Context, req contactRequest) (accepted, error) {
	var acc accepted
	if err := c.do(ctx, http.MethodPost, "/v1/contacts", "post contact", req, &acc); err != nil {
		return acc, err
	}
	if acc.ContactID == "" {
		return acc, errors.New("bench: post contact: answer has no contact_id")
	}
	return acc, nil
}

// longPoll is how long one status request may wait on the server.
const longPoll = "5s"

func (c *client) getContact(ctx context.Context, id string) (contactView, error) {
	var v contactView
	// Long-poll: the server answers as soon as the first reply commits (or
	// after the wait), so measuring costs no busy polling on either side.
	err := c.do(ctx, http.MethodGet, "/v1/contacts/"+url.PathEscape(id)+"?wait="+longPoll+"&replies_gt=0", "get contact", nil, &v)
	return v, err
}

func (c *client) postBaseline(ctx context.Context, id string) error {
	return c.do(ctx, http.MethodPost, "/v1/bench/baseline", "post baseline", map[string]string{"id": id}, nil)
}

func (c *client) getBaseline(ctx context.Context, id string) (baselineView, error) {
	var v baselineView
	err := c.do(ctx, http.MethodGet, "/v1/bench/baseline/"+url.PathEscape(id)+"?wait="+longPoll, "get baseline", nil, &v)
	return v, err
}

// do sends one request and decodes a 2xx JSON answer into out (if not nil).
// The body is always drained so the connection goes back to the pool.
func (c *client) do(ctx context.Context, method, path, op string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return fmt.Errorf("bench: %s: %w", op, err)
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, body)
	if err != nil {
		return fmt.Errorf("bench: %s: %w", op, err)
	}
	req.Header.Set("Authorization", "Bearer "+c.key)
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return fmt.Errorf("bench: %s: %w", op, err)
	}
	defer func() {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxBody))
		resp.Body.Close()
	}()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return &StatusError{Op: op, Status: resp.StatusCode}
	}
	if out == nil {
		return nil
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxBody)).Decode(out); err != nil {
		return fmt.Errorf("bench: %s: decoding answer: %w", op, err)
	}
	return nil
}
