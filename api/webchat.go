package api

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-contrib/sse"
	"github.com/gin-gonic/gin"

	"github.com/harbordesk/harbordesk/internal/chatsession"
	"github.com/harbordesk/harbordesk/internal/config"
	"github.com/harbordesk/harbordesk/internal/contact"
	"github.com/harbordesk/harbordesk/internal/identity"
	"github.com/harbordesk/harbordesk/internal/store"
	"github.com/harbordesk/harbordesk/internal/store/privacy"
	"github.com/harbordesk/harbordesk/internal/validate"
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

// WebChat configures the web-chat channel's customer side.
type WebChat struct {
	// Sessions signs and checks session tokens (required).
	Sessions *chatsession.Signer
	// IdentitySecret verifies customer_hash (HARBORDESK_IDENTITY_SECRET);
	// empty: every session is anonymous and a customer_hash is refused.
	IdentitySecret []byte
	// SubjectKey keys the audit pseudonym of a customer whose consent a
	// session records (as Privacy.SubjectKey).
	SubjectKey []byte
	// FrameAncestors may frame the chat page (CSP); empty: any site.
	FrameAncestors []string
	// Attachments takes the customer's photos and documents (nil: no uploads).
	Attachments *Attachments
}

// webChat holds the customer endpoints' settings and stream timing.
type webChat struct {
	s                  *Server
	o                  WebChat
	heartbeat, maxLife time.Duration
}

// MountWebChat serves the web-chat channel's customer side: the page at
// /chat/ and the embeddable /chat/widget.js (no key needed), and, for a
// public key, the session endpoints (CONTRACT.md "Trust boundaries"):
//
//	POST /v1/chat/sessions                                       open a session
//	POST /v1/chat/{conversation_id}/messages                     the customer says something
//	GET  /v1/chat/{conversation_id}/messages?after=N&wait=25s    transcript (long-poll)
//	GET  /v1/chat/{conversation_id}/events?after=N               Server-Sent Events
//	POST /v1/chat/{conversation_id}/consent                      the customer's own consent
//	POST /v1/chat/{conversation_id}/attachments?caption=…        a photo or document (raw body; see Attachments)
//
// Everything under a conversation needs X-Chat-Session: a token for that
// conversation. Only channel "web" is reachable this way.
func MountWebChat(o WebChat) func(r *gin.Engine, s *Server) {
	return func(r *gin.Engine, s *Server) {
		mountWebChat(r, s, webChat{s: s, o: o, heartbeat: SSEHeartbeat, maxLife: SSEMaxLife})
	}
}

func mountWebChat(r *gin.Engine, s *Server, w webChat) {
	h := gin.WrapH(webchat.Handler(webchat.Options{FrameAncestors: w.o.FrameAncestors}))
	r.GET("/chat", h)
	r.GET("/chat/*any", h)
	r.HEAD("/chat/*any", h)
	r.POST("/v1/chat/sessions", s.auth(config.RolePublic), w.openSession)
	g := r.Group("/v1/chat/:conversation_id", s.auth(config.RolePublic), w.session)
	g.POST("/messages", w.post)
	g.GET("/messages", w.messages)
	g.GET("/events", w.events)
	g.POST("/consent", w.consent)
	if a := w.o.Attachments; a != nil {
		g.POST("/attachments", func(c *gin.Context) {
			cl := chatClaims(c)
			a.upload(c, s, cl.ConversationID, cl.CustomerID)
		})
	}
}

// SessionHeader carries a web-chat session token.
const SessionHeader = "X-Chat-Session"

type sessionRequest struct {
	CustomerID   string `json:"customer_id"`
	CustomerHash string `json:"customer_hash"`
}

type sessionResponse struct {
	SessionToken   string    `json:"session_token"`
	ConversationID string    `json:"conversation_id"`
	CustomerID     string    `json:"customer_id"`
	Verified       bool      `json:"verified"`
	ExpiresAt      time.Time `json:"expires_at"`
}

// openSession starts a new conversation for an anonymous customer with a
// server-made ID, or for the customer the shop's server vouched for with
// customer_hash. A customer_id without a hash is not trusted: the session
// is anonymous.
func (w webChat) openSession(c *gin.Context) {
	var req sessionRequest
	if c.Request.ContentLength != 0 && !bindJSON(c, &req) {
		return
	}
	claims := chatsession.Claims{ConversationID: chatsession.RandomID("wc-"), CustomerID: chatsession.RandomID("anon-")}
	if req.CustomerHash != "" {
		if msg := validate.ID("customer_id", req.CustomerID); msg != "" {
			abort(c, http.StatusUnprocessableEntity, "invalid", msg)
			return
		}
		if !identity.Verify(w.o.IdentitySecret, req.CustomerID, req.CustomerHash) {
			abort(c, http.StatusForbidden, "forbidden", "customer_hash does not verify customer_id")
			return
		}
		claims.CustomerID, claims.Verified = req.CustomerID, true
	}
	token, claims := w.o.Sessions.Issue(claims)
	c.JSON(http.StatusCreated, sessionResponse{SessionToken: token, ConversationID: claims.ConversationID,
		CustomerID: claims.CustomerID, Verified: claims.Verified, ExpiresAt: claims.ExpiresAt})
}

// session admits a request with a valid token for the path's conversation:
// none, forged or expired is 401, another conversation's is 403.
func (w webChat) session(c *gin.Context) {
	tok := c.GetHeader(SessionHeader)
	if tok == "" {
		abort(c, http.StatusUnauthorized, "unauthorized", "missing "+SessionHeader+" (open one with POST /v1/chat/sessions)")
		return
	}
	claims, err := w.o.Sessions.Verify(tok)
	switch {
	case errors.Is(err, chatsession.ErrExpired):
		abort(c, http.StatusUnauthorized, "session_expired", "the chat session has expired; open a new one")
		return
	case err != nil:
		abort(c, http.StatusUnauthorized, "unauthorized", "the chat session token is not valid")
		return
	case claims.ConversationID != c.Param("conversation_id"):
		abort(c, http.StatusForbidden, "forbidden", "this session is for another conversation")
		return
	}
	c.Set("chat_session", claims)
	c.Next()
}

func chatClaims(c *gin.Context) chatsession.Claims {
	v, _ := c.Get("chat_session")
	cl, _ := v.(chatsession.Claims)
	return cl
}

// chatRequest is a customer's message on a session: the conversation and
// the customer come from the token, never from the body.
type chatRequest struct {
	MessageID   string `json:"message_id"`
	Text        string `json:"text"`
	AudioBase64 string `json:"audio_base64"`
	AudioMIME   string `json:"audio_mime"`
}

func (w webChat) post(c *gin.Context) {
	s := w.s
	var req chatRequest
	if !bindJSON(c, &req) {
		return
	}
	cl := chatClaims(c)
	m, status, code, msg := s.toMessage(contactRequest{Channel: contact.ChannelWeb, CustomerID: cl.CustomerID,
		ConversationID: cl.ConversationID, MessageID: req.MessageID, Text: req.Text,
		AudioBase64: req.AudioBase64, AudioMIME: req.AudioMIME}, false, config.RolePublic)
	if status != 0 {
		abort(c, status, code, msg)
		return
	}
	acc, err := s.Desk.Receive(c.Request.Context(), m)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusAccepted, gin.H{"contact_id": acc.ContactID})
}

// consent records the session's own customer's consent (an anonymous
// customer's covers that customer's one conversation).
func (w webChat) consent(c *gin.Context) {
	id := chatClaims(c).CustomerID
	recordConsent(c, w.s, id, privacy.CustomerSubject(w.o.SubjectKey, id))
}

// chatConversation returns the session's conversation and the contact it
// maps to.
func (w webChat) chatConversation(c *gin.Context) (conv, contactID string) {
	conv = chatClaims(c).ConversationID
	return conv, w.s.Desk.ContactID(contact.ChannelWeb, conv)
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
	v, err := s.contactStore().Contact(ctx, contactID)
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
func (w webChat) messages(c *gin.Context) {
	s := w.s
	conv, id := w.chatConversation(c)
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
	conv, id := w.chatConversation(c)
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
