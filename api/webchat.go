package api

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-contrib/sse"
	"github.com/gin-gonic/gin"

	"github.com/harbordesk/harbordesk/internal/config"
	"github.com/harbordesk/harbordesk/internal/store"
	"github.com/harbordesk/harbordesk/internal/webchat"
)

// Web-chat stream timing. A heartbeat comment goes out after
// SSEHeartbeat without an event, so proxies keep the stream open and a dead
// client is noticed; a stream ends after SSEMaxLife and the page reconnects
// with its cursor, so no connection outlives a deploy by much.
const (
	SSEHeartbeat = 15 * time.Second
	SSEMaxLife   = 10 * time.Minute
)

// webChat holds the customer endpoints' stream timing.
type webChat struct {
	s                  *Server
	heartbeat, maxLife time.Duration
}

// MountWebChat serves the web-chat channel's customer side: the page at
// /chat/ and the embeddable /chat/widget.js (no key needed), and, for an
// intake key, the customer's read endpoints:
//
//	GET /v1/chat/{conversation_id}/messages?after=N&wait=25s  transcript (long-poll)
//	GET /v1/chat/{conversation_id}/events?after=N              Server-Sent Events
//
// Both see only channel "web" and that one conversation. Customers post
// through POST /v1/contacts with channel "web".
func MountWebChat(r *gin.Engine, s *Server) {
	mountWebChat(r, s, webChat{s: s, heartbeat: SSEHeartbeat, maxLife: SSEMaxLife})
}

func mountWebChat(r *gin.Engine, s *Server, w webChat) {
	h := gin.WrapH(webchat.Handler(webchat.Options{}))
	r.GET("/chat", h)
	r.GET("/chat/*any", h)
	r.HEAD("/chat/*any", h)
	g := r.Group("/v1/chat/:conversation_id", s.auth(config.RoleIntake))
	g.GET("/messages", s.chatMessages)
	g.GET("/events", w.events)
}

// chatConversation validates the path's conversation ID and returns the
// contact it maps to.
func chatConversation(c *gin.Context) (conv, contactID string, ok bool) {
	conv = c.Param("conversation_id")
	if !webchat.ValidConversationID(conv) {
		abort(c, http.StatusUnprocessableEntity, "invalid",
			"conversation_id must be 22 to 200 characters from A-Z, a-z, 0-9, - and _")
		return "", "", false
	}
	return conv, webchat.ContactID(conv), true
}

// chatAfter reads the reply cursor from ?after= or, for a reconnecting event
// stream, the Last-Event-ID header.
func chatAfter(c *gin.Context) (int, bool) {
	v := c.Query("after")
	if v == "" {
		v = c.GetHeader("Last-Event-ID")
	}
	if v == "" {
		return 0, true
	}
	n, ok := atoi(v)
	if !ok {
		abort(c, http.StatusUnprocessableEntity, "invalid", "after must be a non-negative integer")
	}
	return n, ok
}

// readChat reads a conversation's customer view; a conversation not started
// yet reads as empty, so the page can wait on it before its first message.
func (s *Server) readChat(ctx context.Context, conv, contactID string) (webchat.Transcript, error) {
	v, err := s.Store.Contact(ctx, contactID)
	if errors.Is(err, store.ErrNotFound) {
		return webchat.Empty(conv), nil
	}
	if err != nil {
		return webchat.Transcript{}, err
	}
	return webchat.FromContact(conv, v), nil
}

// chatMessages returns the transcript; with ?wait= it answers as soon as the
// conversation has more than ?after= replies, or when the wait is over.
func (s *Server) chatMessages(c *gin.Context) {
	conv, id, ok := chatConversation(c)
	if !ok {
		return
	}
	wait, _, ok := waitParams(c)
	if !ok {
		return
	}
	after, ok := chatAfter(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	t, err := longPoll(s, ctx, id, wait, func() (webchat.Transcript, bool, error) {
		t, err := s.readChat(ctx, conv, id)
		return t, err == nil && t.Replies > after, err
	})
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, t)
}

// events streams one "event: reply" per reply numbered above the cursor
// (id: its number, data: the entry as JSON, written by gin's SSE renderer),
// with a ": heartbeat" comment (which that renderer cannot write) after a
// heartbeat interval of silence, until the client goes away or the stream's
// life is over. It waits on the reply hub through longPoll, one heartbeat
// interval at a time.
func (w webChat) events(c *gin.Context) {
	s := w.s
	conv, id, ok := chatConversation(c)
	if !ok {
		return
	}
	after, ok := chatAfter(c)
	if !ok {
		return
	}
	if s.Replies == nil {
		abort(c, http.StatusServiceUnavailable, "unavailable", "live updates are off; long-poll /messages instead")
		return
	}
	ctx, cancel := context.WithTimeout(c.Request.Context(), w.maxLife)
	defer cancel()
	read := func() (webchat.Transcript, bool, error) {
		t, err := s.readChat(ctx, conv, id)
		return t, err == nil && t.Replies > after, err
	}
	// The first read decides the status, so a failing store still gets the
	// API's error shape instead of a stream that dies at once.
	t, _, err := read()
	if err != nil {
		s.fail(c, err)
		return
	}
	h := c.Writer.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // nginx: do not buffer the stream
	c.Status(http.StatusOK)
	if _, err := c.Writer.WriteString(": connected\n\n"); err != nil {
		return
	}
	c.Writer.Flush()
	for {
		for _, e := range t.RepliesAfter(after) {
			c.Render(-1, sse.Event{Id: strconv.Itoa(e.Seq), Event: "reply", Data: e})
			if c.IsAborted() { // the write failed: the client is gone
				return
			}
			after = e.Seq
		}
		c.Writer.Flush()
		var done bool
		t, err = longPoll(s, ctx, id, w.heartbeat, func() (webchat.Transcript, bool, error) {
			t, d, err := read()
			done = d
			return t, d, err
		})
		if err != nil {
			// The client left, the stream is over or the store failed: the
			// page reconnects with its cursor either way.
			if ctx.Err() == nil {
				s.Log.Warn("web chat stream ended", "err_type", errType(err))
			}
			return
		}
		if !done {
			if _, err := c.Writer.WriteString(": heartbeat\n\n"); err != nil {
				return
			}
		}
	}
}
