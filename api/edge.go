package api

// The edge: what every request meets before its handler — body limits
// decided per route before anything is read, a bound on concurrent large
// uploads, hygiene of path and query parameters, and the headers every API
// answer carries.

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/harbordesk/harbordesk/internal/validate"
)

// Body limits by kind of route (CONTRACT.md "Trust boundaries"). The
// server's MaxBody (HARBORDESK_MAX_BODY_BYTES) caps all of them.
const (
	// TextBodyLimit is the body limit of every route that takes text: a
	// 4,000-character message, escaped as JSON, is well under it.
	TextBodyLimit = 64 << 10
	// AudioBodyLimit is the body limit of routes that take a voice note
	// (base64 of up to MaxAudioBytes, plus the JSON around it) or a
	// customer's attachment.
	AudioBodyLimit = 14 << 20
)

// audioRoutes take audio_base64 or an uploaded file.
var audioRoutes = map[string]bool{
	"/v1/contacts":                          true,
	"/v1/contacts/:id/messages":             true,
	"/v1/chat/:conversation_id/messages":    true,
	"/v1/chat/:conversation_id/attachments": true,
}

// DefaultUploadSlots is how many bodies over TextBodyLimit are read at
// once; more wait up to UploadWait, then get 503 with Retry-After.
const DefaultUploadSlots = 4

// uploadWait is how long a large body waits for a slot (a variable for
// tests).
var uploadWait = 5 * time.Second

// bodyLimit is the most a route's body may hold: audio routes
// AudioBodyLimit, document imports and the payload codec the server's
// MaxBody, everything else TextBodyLimit; never more than MaxBody.
func (s *Server) bodyLimit(route string) int64 {
	limit := int64(TextBodyLimit)
	switch {
	case audioRoutes[route]:
		limit = AudioBodyLimit
	case strings.HasSuffix(route, "/import"), strings.HasPrefix(route, "/codec/"):
		limit = s.MaxBody
	}
	return min(limit, s.MaxBody)
}

// limitBody refuses a body whose Content-Length is over the route's limit
// before reading a byte of it, caps what is read otherwise, and lets only
// s.uploads large bodies be read at a time, so a flood of big uploads
// cannot grow memory without bound.
func (s *Server) limitBody(c *gin.Context) {
	limit := s.bodyLimit(c.FullPath())
	if c.Request.ContentLength > limit {
		abort(c, http.StatusRequestEntityTooLarge, "too_large", "request body is over the limit of "+strconv.FormatInt(limit, 10)+" bytes")
		return
	}
	if limit > TextBodyLimit && (c.Request.ContentLength > TextBodyLimit || c.Request.ContentLength < 0) {
		timer := time.NewTimer(uploadWait)
		select {
		case s.uploads <- struct{}{}:
			timer.Stop()
			defer func() { <-s.uploads }()
		case <-timer.C:
			c.Header("Retry-After", "1")
			abort(c, http.StatusServiceUnavailable, "busy", "too many large uploads at once; retry shortly")
			return
		case <-c.Request.Context().Done():
			timer.Stop()
			abort(c, 499, "canceled", "request canceled")
			return
		}
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, limit)
	c.Next()
}

// checkInput answers 404 for a path parameter that cannot name anything
// (control characters, invalid UTF-8, and for IDs anything outside the ID
// alphabet) and 422 for such a query parameter, before a handler or the
// database sees it.
func checkInput(c *gin.Context) {
	for _, p := range c.Params {
		ok := validate.Clean(p.Value)
		if ok && (p.Key == "id" || strings.HasSuffix(p.Key, "_id")) {
			ok = validate.ValidID(p.Value)
		}
		if !ok {
			abort(c, http.StatusNotFound, "not_found", "no such "+strings.TrimPrefix(p.Key, "*"))
			return
		}
	}
	for k, vs := range c.Request.URL.Query() {
		ok := validate.Clean(k)
		for _, v := range vs {
			ok = ok && validate.Clean(v)
		}
		if !ok {
			abort(c, http.StatusUnprocessableEntity, "invalid", "a query parameter contains control characters or invalid UTF-8")
			return
		}
	}
	c.Next()
}

// apiHeaders marks every /v1 answer as not to be sniffed or cached: they
// carry customer data and are never static.
func apiHeaders(c *gin.Context) {
	if strings.HasPrefix(c.Request.URL.Path, "/v1/") {
		h := c.Writer.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Cache-Control", "no-store")
	}
	c.Next()
}

// jsonErrors gives a handler from another library (the Temporal payload
// codec) the contract's error shape: a status of 400 or above is answered
// with {"error":{"code","message"}} instead of the library's own text,
// which is dropped (it may quote the input).
func jsonErrors(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(&errorShaper{ResponseWriter: w}, r)
	})
}

type errorShaper struct {
	http.ResponseWriter
	failed bool
}

func (e *errorShaper) WriteHeader(status int) {
	if status < 400 {
		e.ResponseWriter.WriteHeader(status)
		return
	}
	e.failed = true
	code, msg := "invalid", "the request was refused"
	switch status {
	case http.StatusBadRequest:
		code, msg = "malformed", "request body is not a valid payload list"
	case http.StatusNotFound:
		code, msg = "not_found", "no such route"
	case http.StatusMethodNotAllowed:
		code, msg = "method_not_allowed", "method not allowed"
	case http.StatusRequestEntityTooLarge:
		code, msg = "too_large", "request body is over the limit"
	}
	if status >= 500 {
		code, msg = "unavailable", "the payload could not be processed"
	}
	h := e.ResponseWriter.Header()
	h.Del("Content-Length")
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	e.ResponseWriter.WriteHeader(status)
	var b errorBody
	b.Error.Code, b.Error.Message = code, msg
	_ = json.NewEncoder(e.ResponseWriter).Encode(b)
}

func (e *errorShaper) Write(p []byte) (int, error) {
	if e.failed {
		return len(p), nil // the library's own error text: dropped
	}
	return e.ResponseWriter.Write(p)
}
