package api

// Agent actions on a handoff beyond claim/reply/release/resolve: a reply
// that waits on the customer (pausing the SLA clock) and transfer.

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/harbordesk/harbordesk/internal/config"
	"github.com/harbordesk/harbordesk/internal/desk"
)

type agentReplyWaitRequest struct {
	Text          string `json:"text"`
	MessageID     string `json:"message_id"`
	AwaitCustomer bool   `json:"await_customer"`
}

// agentReplyAwait is POST /v1/handoffs/{id}/reply: the agent's message goes
// to the customer; "await_customer": true pauses the SLA clock until the
// customer's next message.
func (s *Server) agentReplyAwait(c *gin.Context) {
	var req agentReplyWaitRequest
	if !bindJSON(c, &req) {
		return
	}
	if strings.TrimSpace(req.Text) == "" || utf8.RuneCountInString(req.Text) > maxTextRunes {
		abort(c, http.StatusUnprocessableEntity, "invalid", "text is required (up to 4000 characters)")
		return
	}
	err := s.Desk.AgentReply(c.Request.Context(), c.Param("id"), agentOf(c),
		desk.AgentMessage{Text: req.Text, MessageID: req.MessageID, AwaitCustomer: req.AwaitCustomer})
	if err != nil {
		s.failHandoff(c, err)
		return
	}
	status := "sent"
	if req.AwaitCustomer {
		status = "awaiting_customer"
	}
	c.JSON(http.StatusOK, gin.H{"status": status})
}

type transferRequest struct {
	To string `json:"to"`
}

// transfer is POST /v1/handoffs/{id}/transfer {"to": "<agent identity>"}:
// a supervisor may transfer any handoff, an agent only the one they hold.
func (s *Server) transfer(c *gin.Context) {
	var req transferRequest
	if !bindJSON(c, &req) {
		return
	}
	to := strings.TrimSpace(req.To)
	if to == "" {
		abort(c, http.StatusUnprocessableEntity, "invalid", "to is required (an agent identity)")
		return
	}
	if !s.isAgent(c.Request.Context(), to) {
		abort(c, http.StatusUnprocessableEntity, "invalid", "to is not a known agent identity")
		return
	}
	h, err := s.Desk.Transfer(c.Request.Context(), c.Param("id"), agentOf(c), to)
	if err != nil {
		s.failHandoff(c, err)
		return
	}
	c.JSON(http.StatusOK, h)
}

// isAgent reports whether identity belongs to a configured key that may act
// as an agent, or is the login of an account.
func (s *Server) isAgent(ctx context.Context, identity string) bool {
	for _, k := range s.Keys {
		if k.Identity == identity && k.Role.Allows(config.RoleAgent) {
			return true
		}
	}
	if s.Store == nil {
		return false
	}
	_, err := s.agentStore().AgentByLogin(ctx, identity)
	return err == nil
}

// failHandoff is fail plus 403 for actions the caller may not take.
func (s *Server) failHandoff(c *gin.Context, err error) {
	if errors.Is(err, desk.ErrForbidden) {
		abort(c, http.StatusForbidden, "forbidden", "only the claiming agent or a supervisor may do that")
		return
	}
	s.fail(c, err)
}
