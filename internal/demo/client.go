package demo

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
)

// client calls the public Harbordesk API (CONTRACT.md). It is hand-rolled
// because the API is ours and has no generated client; it is the handful of
// calls the demo makes, nothing more.
type client struct {
	base string
	http *http.Client
}

// APIError is a non-2xx answer of the API: the status and the error code of
// the body {"error":{"code","message"}}. It never carries customer text.
type APIError struct {
	Method, Path string
	Status       int
	Code         string
}

func (e *APIError) Error() string {
	if e.Code == "" {
		return fmt.Sprintf("demo: %s %s: HTTP %d", e.Method, e.Path, e.Status)
	}
	return fmt.Sprintf("demo: %s %s: HTTP %d (%s)", e.Method, e.Path, e.Status, e.Code)
}

// isStatus reports whether err is an APIError with one of the statuses.
func isStatus(err error, statuses ...int) bool {
	var ae *APIError
	if !errors.As(err, &ae) {
		return false
	}
	for _, s := range statuses {
		if ae.Status == s {
			return true
		}
	}
	return false
}

// do sends body (nil: none) as JSON with key and decodes a 2xx answer into
// out (nil: ignored). pathForErr is the path without ids, for errors.
func (c *client) do(ctx context.Context, method, path, pathForErr, key string, body, out any) error {
	var r io.Reader
	if body != nil {
		j, err := json.Marshal(body)
		if err != nil {
			return fmt.Errorf("demo: encoding %s %s: %w", method, pathForErr, err)
		}
		r = bytes.NewReader(j)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, r)
	if err != nil {
		return fmt.Errorf("demo: %s %s: %w", method, pathForErr, err)
	}
	req.Header.Set("Authorization", "Bearer "+key)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		// The URL error repeats the request URL; it holds ids, not personal data.
		return fmt.Errorf("demo: %s %s: %w", method, pathForErr, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return fmt.Errorf("demo: reading %s %s: %w", method, pathForErr, err)
	}
	if resp.StatusCode/100 != 2 {
		var e struct {
			Error struct {
				Code string `json:"code"`
			} `json:"error"`
		}
		_ = json.Unmarshal(raw, &e) // the code is a courtesy; the status decides
		return &APIError{Method: method, Path: pathForErr, Status: resp.StatusCode, Code: e.Error.Code}
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			return fmt.Errorf("demo: %s %s: answer is not the expected JSON: %w", method, pathForErr, err)
		}
	}
	return nil
}

type newContact struct {
	Channel        string `json:"channel"`
	CustomerID     string `json:"customer_id"`
	ConversationID string `json:"conversation_id"`
	MessageID      string `json:"message_id"`
	Text           string `json:"text"`
}

type followUp struct {
	MessageID string `json:"message_id"`
	Text      string `json:"text"`
}

type accepted struct {
	ContactID string `json:"contact_id"`
}

// contactView is the part of GET /v1/contacts/{id} the demo reads.
type contactView struct {
	State    string `json:"state"`
	Language string `json:"language"`
	Script   string `json:"script"`
	Intent   string `json:"intent"`
	Replies  []struct {
		Author string `json:"author"`
		Kind   string `json:"kind"`
	} `json:"replies"`
	Handoff *struct {
		ID    string `json:"id"`
		State string `json:"state"`
	} `json:"handoff"`
}

// answers counts the replies that are not the privacy notice, as the API's
// replies_gt does.
func (v contactView) answers() int {
	n := 0
	for _, r := range v.Replies {
		if r.Kind != "notice" {
			n++
		}
	}
	return n
}

func (v contactView) surveyed() bool {
	for _, r := range v.Replies {
		if r.Kind == "survey" {
			return true
		}
	}
	return false
}

func (c *client) postContact(ctx context.Context, key string, m newContact) (string, error) {
	var a accepted
	if err := c.do(ctx, http.MethodPost, "/v1/contacts", "/v1/contacts", key, m, &a); err != nil {
		return "", err
	}
	if a.ContactID == "" {
		return "", errors.New("demo: POST /v1/contacts: answer has no contact_id")
	}
	return a.ContactID, nil
}

func (c *client) postMessage(ctx context.Context, key, contactID string, m followUp) error {
	return c.do(ctx, http.MethodPost, "/v1/contacts/"+url.PathEscape(contactID)+"/messages",
		"/v1/contacts/{id}/messages", key, m, nil)
}

// contact long-polls a contact until it has more than gt answers or wait
// (an API duration such as "5s") is over.
func (c *client) contact(ctx context.Context, key, contactID string, wait string, gt int) (contactView, error) {
	var v contactView
	q := url.Values{"wait": {wait}, "replies_gt": {fmt.Sprint(gt)}}
	err := c.do(ctx, http.MethodGet, "/v1/contacts/"+url.PathEscape(contactID)+"?"+q.Encode(),
		"/v1/contacts/{id}", key, nil, &v)
	return v, err
}

// handoff posts an agent action (claim, reply, resolve) on a handoff.
func (c *client) handoff(ctx context.Context, key, handoffID, verb string, body any) error {
	if !strings.Contains("claim reply resolve release", verb) {
		return fmt.Errorf("demo: unknown handoff action %q", verb)
	}
	return c.do(ctx, http.MethodPost, "/v1/handoffs/"+url.PathEscape(handoffID)+"/"+verb,
		"/v1/handoffs/{id}/"+verb, key, body, nil)
}
