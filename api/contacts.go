package api

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/harbordesk/harbordesk/internal/config"
	"github.com/harbordesk/harbordesk/internal/contact"
	"github.com/harbordesk/harbordesk/internal/desk"
	"github.com/harbordesk/harbordesk/internal/store/contacts"
	"github.com/harbordesk/harbordesk/internal/validate"
)

// contactStore is the contacts store on the server's pool.
func (s *Server) contactStore() *contacts.Store { return contacts.New(s.Store.Pool) }

// maxTextRunes is the longest customer text (validate.MaxTextRunes).
const maxTextRunes = validate.MaxTextRunes

// MaxAudioBytes bounds a decoded voice note (HTTP 413 above it).
var MaxAudioBytes = 10 << 20

type contactRequest struct {
	Channel        string `json:"channel"`
	CustomerID     string `json:"customer_id"`
	ConversationID string `json:"conversation_id"`
	MessageID      string `json:"message_id"`
	Text           string `json:"text"`
	AudioBase64    string `json:"audio_base64"`
	AudioMIME      string `json:"audio_mime"`
}

// bindJSON decodes a JSON body strictly enough to tell malformed (400) from
// too large (413), and refuses (422) invalid UTF-8 (which encoding/json
// would silently replace) and control characters in any string field.
func bindJSON(c *gin.Context, v any) bool {
	body, ok := readBody(c)
	if !ok {
		return false
	}
	if len(strings.TrimSpace(string(body))) == 0 {
		abort(c, http.StatusBadRequest, "malformed", "request body is empty; want a JSON object")
		return false
	}
	if !utf8.Valid(body) {
		abort(c, http.StatusUnprocessableEntity, "invalid", "request body is not valid UTF-8")
		return false
	}
	if err := json.Unmarshal(body, v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			abort(c, http.StatusUnprocessableEntity, "invalid", "field "+te.Field+" has the wrong type")
			return false
		}
		abort(c, http.StatusBadRequest, "malformed", "request body is not valid JSON")
		return false
	}
	if field := validate.Strings(v); field != "" {
		abort(c, http.StatusUnprocessableEntity, "invalid", field+" contains control characters")
		return false
	}
	return true
}

// BindJSON is bindJSON for handlers mounted from other packages.
func BindJSON(c *gin.Context, v any) bool { return bindJSON(c, v) }

func validID(name, v string) string { return validate.ID(name, v) }

// toMessage validates a request and turns it into a desk message; it
// returns (status, code, message) on failure. role is the caller's: only an
// admin may replay a message on a webhook-only channel (an operator
// re-injecting what the partner delivered, or a drill); such a message has
// no reply address, so it can never redirect the customer's replies.
func (s *Server) toMessage(req contactRequest, needConversation bool, role config.Role) (desk.Message, int, string, string) {
	m := desk.Message{Channel: req.Channel, CustomerID: req.CustomerID, ConversationID: req.ConversationID,
		MessageID: req.MessageID, Text: req.Text, ReceivedAt: time.Now().UTC()}
	if utf8.RuneCountInString(req.Text) > maxTextRunes {
		return m, 413, "too_large", "text is over 4000 characters"
	}
	if needConversation {
		if !contact.ValidChannel(req.Channel) {
			return m, 422, "invalid", "channel must be one of web, whatsapp, dingtalk, api"
		}
		if contact.WebhookOnly(req.Channel) && role != config.RoleAdmin {
			return m, 422, "invalid", "channel " + req.Channel + " takes customer messages only through its signed webhook"
		}
		for _, f := range [][2]string{{"customer_id", req.CustomerID}, {"conversation_id", req.ConversationID}} {
			if msg := validID(f[0], f[1]); msg != "" {
				return m, 422, "invalid", msg
			}
		}
	}
	if msg := validID("message_id", req.MessageID); msg != "" {
		return m, 422, "invalid", msg
	}
	switch {
	case req.Text != "" && req.AudioBase64 != "":
		return m, 422, "invalid", "send either text or audio_base64, not both"
	case req.AudioBase64 != "":
		if base64.StdEncoding.DecodedLen(len(req.AudioBase64)) > MaxAudioBytes+3 {
			return m, 413, "too_large", "audio is over the limit"
		}
		data, err := base64.StdEncoding.DecodeString(req.AudioBase64)
		if err != nil {
			return m, 422, "invalid", "audio_base64 is not valid base64"
		}
		if len(data) > MaxAudioBytes {
			return m, 413, "too_large", "audio is over the limit"
		}
		if req.AudioMIME == "" {
			return m, 422, "invalid", "audio_mime is required with audio_base64"
		}
		if s.CheckAudio != nil {
			if status, code, msg := s.CheckAudio(data, req.AudioMIME); status != 0 {
				return m, status, code, msg
			}
		}
		m.Audio, m.AudioMIME = data, req.AudioMIME
	case strings.TrimSpace(req.Text) == "":
		return m, 422, "invalid", "text (or audio_base64) is required"
	case !validate.Clean(req.Text):
		return m, 422, "invalid", "text contains control characters or invalid UTF-8"
	case utf8.RuneCountInString(req.Text) > maxTextRunes:
		return m, 413, "too_large", "text is over 4000 characters"
	}
	return m, 0, "", ""
}

func (s *Server) postContact(c *gin.Context) {
	var req contactRequest
	if !bindJSON(c, &req) {
		return
	}
	m, status, code, msg := s.toMessage(req, true, principalOf(c).Role)
	if status != 0 {
		abort(c, status, code, msg)
		return
	}
	acc, err := s.Desk.Receive(c.Request.Context(), m)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusAccepted, acc)
}

func (s *Server) postMessage(c *gin.Context) {
	var req contactRequest
	if !bindJSON(c, &req) {
		return
	}
	m, status, code, msg := s.toMessage(req, false, principalOf(c).Role)
	if status != 0 {
		abort(c, status, code, msg)
		return
	}
	acc, err := s.Desk.FollowUp(c.Request.Context(), c.Param("id"), m)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusAccepted, acc)
}

// getContact returns a contact's status. With ?wait=DURATION (up to 30s) it
// long-polls: it answers as soon as the contact has more than replies_gt
// non-notice replies (default 0), or when the wait is over — web chat and
// the benchmark use this instead of polling.
func (s *Server) getContact(c *gin.Context) {
	ctx := c.Request.Context()
	id := c.Param("id")
	wait, gt, ok := waitParams(c)
	if !ok {
		return
	}
	// The view is one statement: the long poll reads it before each wait
	// and answers with the read that saw the reply.
	v, err := longPoll(s, ctx, id, wait, func() (contacts.ContactView, bool, error) {
		v, err := s.contactStore().Contact(ctx, id)
		return v, err == nil && v.Answers() > gt, err
	})
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, v)
}

func waitParams(c *gin.Context) (time.Duration, int, bool) {
	var wait time.Duration
	if w := c.Query("wait"); w != "" {
		d, err := time.ParseDuration(w)
		if err != nil || d < 0 || d > 30*time.Second {
			abort(c, http.StatusUnprocessableEntity, "invalid", "wait must be a duration up to 30s, e.g. 10s")
			return 0, 0, false
		}
		wait = d
	}
	gt := 0
	if g := c.Query("replies_gt"); g != "" {
		n, ok := atoi(g)
		if !ok {
			abort(c, http.StatusUnprocessableEntity, "invalid", "replies_gt must be a non-negative integer")
			return 0, 0, false
		}
		gt = n
	}
	return wait, gt, true
}

// longPoll re-reads until read reports done, the wait is over or the
// request ends. It registers with the reply hub before each read, so a reply
// committed between the read and the wait is not missed.
func longPoll[T any](s *Server, ctx context.Context, key string, wait time.Duration, read func() (T, bool, error)) (T, error) {
	if wait <= 0 || s.Replies == nil {
		v, _, err := read()
		return v, err
	}
	timer := time.NewTimer(wait)
	defer timer.Stop()
	for {
		ch, cancel := s.Replies.Wait(key)
		v, done, err := read()
		if err != nil || done {
			cancel()
			return v, err
		}
		select {
		case <-ch:
		case <-timer.C:
			cancel()
			v, _, err = read()
			return v, err
		case <-ctx.Done():
			cancel()
			return v, ctx.Err()
		}
		cancel()
	}
}

func (s *Server) listTickets(c *gin.Context) {
	f := contacts.TicketFilter{Priority: c.Query("priority"), Status: firstOf(c.Query("state"), c.Query("status")),
		Kind: c.Query("kind"), CustomerID: c.Query("customer_id"), Cursor: c.Query("cursor")}
	if l := c.Query("limit"); l != "" {
		n, ok := atoi(l)
		if !ok || n < 1 || n > 200 {
			abort(c, http.StatusUnprocessableEntity, "invalid", "limit must be 1..200")
			return
		}
		f.Limit = n
	}
	items, next, err := s.contactStore().Tickets(c.Request.Context(), f)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": items, "next_cursor": next})
}

func (s *Server) getTicket(c *gin.Context) {
	t, err := s.contactStore().Ticket(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, t)
}

// listHandoffs is GET /v1/handoffs?state=…[&mine=1][&wait=25s&version=V].
// mine=1 lists the caller's own assigned and claimed handoffs. With wait and
// the version of the list the caller already has, the answer waits until the
// list changes (queue_watch.go).
func (s *Server) listHandoffs(c *gin.Context) {
	state := c.Query("state")
	switch state {
	case "", contact.HandoffOpen, contact.HandoffAssigned, contact.HandoffClaimed, contact.HandoffResolved:
	default:
		abort(c, http.StatusUnprocessableEntity, "invalid", "state must be open, assigned, claimed or resolved")
		return
	}
	s.watchHandoffs(c, state)
}

func (s *Server) claim(c *gin.Context) {
	h, err := s.Desk.Claim(c.Request.Context(), c.Param("id"), agentOf(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, h)
}

func (s *Server) release(c *gin.Context) {
	if err := s.Desk.Release(c.Request.Context(), c.Param("id"), agentOf(c)); err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"status": "open"})
}

type resolveRequest struct {
	Resolution string `json:"resolution"`
	Code       string `json:"code"`
}

func (s *Server) resolve(c *gin.Context) {
	var req resolveRequest
	if c.Request.ContentLength != 0 && !bindJSON(c, &req) {
		return
	}
	if utf8.RuneCountInString(req.Resolution) > maxTextRunes {
		abort(c, http.StatusUnprocessableEntity, "invalid", "resolution is too long")
		return
	}
	if err := s.Desk.Resolve(c.Request.Context(), c.Param("id"), agentOf(c), req.Resolution, req.Code); err != nil {
		s.failHandoff(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"status": "resolved"})
}

// listEscalations lists the open escalations (CONTRACT.md) with their
// deadlines and levels; ?state=closed or ?state=all for the others.
func (s *Server) listEscalations(c *gin.Context) {
	state := c.DefaultQuery("state", "open")
	switch state {
	case "open", "closed":
	case "all":
		state = ""
	default:
		abort(c, http.StatusUnprocessableEntity, "invalid", "state must be open, closed or all")
		return
	}
	items, err := s.handoffStore().Escalations(c.Request.Context(), state)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": items, "next_cursor": ""})
}

type baselineRequest struct {
	ID string `json:"id"`
}

func (s *Server) postBaseline(c *gin.Context) {
	var req baselineRequest
	if !bindJSON(c, &req) {
		return
	}
	if msg := validID("id", req.ID); msg != "" {
		abort(c, http.StatusUnprocessableEntity, "invalid", msg)
		return
	}
	if err := s.Desk.StartBaseline(c.Request.Context(), req.ID, time.Now().UTC()); err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusAccepted, gin.H{"id": req.ID})
}

func (s *Server) getBaseline(c *gin.Context) {
	ctx, id := c.Request.Context(), c.Param("id")
	wait, _, valid := waitParams(c)
	if !valid {
		return
	}
	type run struct {
		recv, done time.Time
		ok         bool
	}
	r, err := longPoll(s, ctx, "baseline/"+id, wait, func() (run, bool, error) {
		recv, done, ok, err := s.Store.Baseline(ctx, id)
		return run{recv, done, ok}, ok, err
	})
	recv, done, ok := r.recv, r.done, r.ok
	if err != nil {
		s.fail(c, err)
		return
	}
	if !ok {
		c.JSON(http.StatusOK, gin.H{"done": false})
		return
	}
	c.JSON(http.StatusOK, gin.H{"done": true, "first_response_ms": done.Sub(recv).Milliseconds()})
}

func firstOf(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

func atoi(s string) (int, bool) {
	n := 0
	if s == "" || len(s) > 9 {
		return 0, false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return 0, false
		}
		n = n*10 + int(r-'0')
	}
	return n, true
}
