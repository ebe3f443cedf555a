// Package apiclient is a client of Harbordesk's public HTTP API
// (CONTRACT.md), used by `harbordesk bench` and `harbordesk demo`. It is
// hand-rolled because the API is ours and has no generated client, and it
// holds only the calls those two make.
package apiclient

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

// maxBody caps what is read of any answer; the API's answers are small.
const maxBody = 1 << 20

// Client calls one Harbordesk instance with one API key. It is safe for
// concurrent use.
type Client struct {
	base string
	key  string
	hc   *http.Client
}

// New returns a client of the instance at baseURL (e.g.
// http://127.0.0.1:8080) that calls with key. hc sets the transport and the
// timeout; nil means http.DefaultClient.
func New(baseURL, key string, hc *http.Client) *Client {
	if hc == nil {
		hc = http.DefaultClient
	}
	return &Client{base: strings.TrimRight(baseURL, "/"), key: key, hc: hc}
}

// WithKey returns a client of the same instance, over the same connections,
// that calls with key instead: an agent's key, say, beside an admin's.
func (c *Client) WithKey(key string) *Client {
	k := *c
	k.key = key
	return &k
}

// StatusError is a non-2xx answer of the API. It holds the route without
// ids, the status and the API's error code, never the body: it may echo
// customer text.
type StatusError struct {
	Method string
	// Route is the path with its ids replaced, e.g. /v1/contacts/{id}.
	Route  string
	Status int
	// Code is the body's error.code, e.g. "not_found"; empty if it has none.
	Code string
}

func (e *StatusError) Error() string {
	if e.Code == "" {
		return fmt.Sprintf("apiclient: %s %s: HTTP %d", e.Method, e.Route, e.Status)
	}
	return fmt.Sprintf("apiclient: %s %s: HTTP %d (%s)", e.Method, e.Route, e.Status, e.Code)
}

// IsStatus reports whether err is a StatusError with one of the statuses.
func IsStatus(err error, statuses ...int) bool {
	var se *StatusError
	if !errors.As(err, &se) {
		return false
	}
	for _, s := range statuses {
		if se.Status == s {
			return true
		}
	}
	return false
}

// do sends in (nil: no body) as JSON to path and decodes a 2xx answer into
// out (nil: the answer is dropped). route is path without ids, for errors.
// The body is drained up to maxBody, so the connection goes back to the
// pool.
func (c *Client) do(ctx context.Context, method, path, route string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return fmt.Errorf("apiclient: %s %s: %w", method, route, err)
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, body)
	if err != nil {
		return fmt.Errorf("apiclient: %s %s: %w", method, route, err)
	}
	req.Header.Set("Authorization", "Bearer "+c.key)
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		// The URL error repeats the URL and so the ids; its cause is enough.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return fmt.Errorf("apiclient: %s %s: %w", method, route, err)
	}
	answer := io.LimitReader(resp.Body, maxBody)
	defer func() {
		_, _ = io.Copy(io.Discard, answer)
		resp.Body.Close()
	}()
	if resp.StatusCode/100 != 2 {
		return &StatusError{Method: method, Route: route, Status: resp.StatusCode, Code: errorCode(answer)}
	}
	if out == nil {
		return nil
	}
	if err := json.NewDecoder(answer).Decode(out); err != nil {
		return fmt.Errorf("apiclient: %s %s: answer is not the expected JSON: %w", method, route, err)
	}
	return nil
}

// errorCode reads the code of an error body {"error":{"code","message"}}.
// It is a courtesy, the status decides: a body without one, or with
// something that does not look like a code, gives "".
func errorCode(body io.Reader) string {
	var e struct {
		Error struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	if json.NewDecoder(body).Decode(&e) != nil || len(e.Error.Code) > 64 {
		return ""
	}
	for _, r := range e.Error.Code {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '_' {
			return ""
		}
	}
	return e.Error.Code
}
