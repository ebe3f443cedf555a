package api

import (
	"net/http"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/harbordesk/harbordesk/internal/config"
	"github.com/harbordesk/harbordesk/internal/lexicon"
	"github.com/harbordesk/harbordesk/internal/store/contacts"
)

// MountCorrections serves POST /v1/contacts/:id/messages/:message_id/correction
// (agent): an agent corrects the reading of one customer message (intent and
// the urgent signal). Corrections of consenting customers' messages label
// them in GET /v1/training/export, which `harbordesk train --corrections`
// reads.
func MountCorrections(r *gin.Engine, s *Server) {
	r.POST("/v1/contacts/:id/messages/:message_id/correction", s.auth(config.RoleAgent), s.correctReading)
}

type correctionRequest struct {
	Intent   string `json:"intent"`
	Negative *bool  `json:"negative"`
}

func (s *Server) correctReading(c *gin.Context) {
	contactID, messageID := c.Param("id"), c.Param("message_id")
	for _, p := range []struct{ name, v string }{{"contact id", contactID}, {"message id", messageID}} {
		if msg := validID(p.name, p.v); msg != "" {
			abort(c, http.StatusUnprocessableEntity, "invalid", msg)
			return
		}
	}
	var req correctionRequest
	if !bindJSON(c, &req) {
		return
	}
	if !slices.Contains(lexicon.KnownIntents, req.Intent) {
		abort(c, http.StatusUnprocessableEntity, "invalid", "intent must be one of "+strings.Join(lexicon.KnownIntents, ", "))
		return
	}
	if req.Negative == nil {
		abort(c, http.StatusUnprocessableEntity, "invalid", "negative is required (true or false)")
		return
	}
	got, err := s.contactStore().RecordCorrection(c.Request.Context(), contacts.CorrectionRecord{ContactID: contactID,
		MessageID: messageID, Intent: req.Intent, Negative: *req.Negative, By: actorOf(c)})
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"contact_id": contactID, "message_id": messageID, "correction": got})
}
