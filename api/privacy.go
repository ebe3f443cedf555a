package api

// PDPO endpoints: data access (DPP6) and erasure, consent recording, and
// the consent-gated training export (DPP3). Handlers bind and validate; the
// store does the work and writes the audit entries in the same
// transaction. Audit entries name customers only by privacy.CustomerSubject.

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"
	"go.temporal.io/api/serviceerror"

	"github.com/harbordesk/harbordesk/internal/codec"
	"github.com/harbordesk/harbordesk/internal/config"
	"github.com/harbordesk/harbordesk/internal/store"
	"github.com/harbordesk/harbordesk/internal/store/privacy"
)

// TrainingConsentVersion is the training-consent wording a consent refers
// to when the caller names none.
const TrainingConsentVersion = "pdpo-training-2026-11"

// erasureReason is the termination reason of an erased customer's running
// workflows; it names no one.
const erasureReason = "PDPO erasure request"

// Terminator ends running workflows; client.Client satisfies it.
type Terminator interface {
	TerminateWorkflow(ctx context.Context, workflowID, runID, reason string, details ...interface{}) error
}

// Privacy configures the PDPO endpoints.
type Privacy struct {
	// Terminator ends an erased customer's running contact workflows; nil
	// means the Desk's Temporal client.
	Terminator Terminator
	// SubjectKey keys the audit-log pseudonym of customer IDs (derive it
	// from HARBORDESK_DATA_KEY).
	SubjectKey []byte
	// AttachmentRing opens the customer's sealed photos and documents for
	// the export (nil: metadata only).
	AttachmentRing *codec.Keyring
}

type privacyAPI struct {
	s *Server
	p Privacy
}

// MountPrivacy serves GET /v1/customers/:id/export and DELETE
// /v1/customers/:id (admin), POST /v1/customers/:id/consent (admin; a
// customer records their own through their chat session) and
// GET /v1/training/export (admin).
func MountPrivacy(p Privacy) func(r *gin.Engine, s *Server) {
	return func(r *gin.Engine, s *Server) {
		h := &privacyAPI{s: s, p: p}
		r.GET("/v1/customers/:id/export", s.auth(config.RoleAdmin), h.export)
		r.DELETE("/v1/customers/:id", s.auth(config.RoleAdmin), h.erase)
		r.POST("/v1/customers/:id/consent", s.auth(config.RoleAdmin), h.consent)
		r.GET("/v1/training/export", s.auth(config.RoleAdmin), h.training)
	}
}

// privacyStore is the privacy store on the server's pool.
func (s *Server) privacyStore() *privacy.Store { return privacy.New(s.Store.Pool) }

func actorOf(c *gin.Context) store.Actor {
	return store.Actor{Identity: c.GetString("identity"), Role: c.GetString("role")}
}

// customer reads and checks the :id path parameter.
func (h *privacyAPI) customer(c *gin.Context) (id, subject string, ok bool) {
	id = c.Param("id")
	if msg := validID("customer id", id); msg != "" {
		abort(c, http.StatusUnprocessableEntity, "invalid", msg)
		return "", "", false
	}
	return id, privacy.CustomerSubject(h.p.SubjectKey, id), true
}

func (h *privacyAPI) export(c *gin.Context) {
	id, subject, ok := h.customer(c)
	if !ok {
		return
	}
	x, err := h.s.privacyStore().CustomerExport(c.Request.Context(), id, subject, actorOf(c))
	if err != nil {
		h.s.fail(c, err)
		return
	}
	if h.p.AttachmentRing != nil {
		vault := store.AttachmentVault{Store: h.s.Store, Ring: h.p.AttachmentRing}
		for i, a := range x.Attachments {
			_, data, err := vault.Open(c.Request.Context(), a.ID)
			if err != nil {
				h.s.fail(c, err)
				return
			}
			x.Attachments[i].ContentBase64 = base64.StdEncoding.EncodeToString(data)
		}
	}
	c.Header("Content-Disposition", `attachment; filename="customer-export.json"`)
	c.JSON(http.StatusOK, x)
}

// erasureResponse is DELETE's body: what was erased.
type erasureResponse struct {
	privacy.ErasureCounts
	WorkflowsTerminated int `json:"workflows_terminated"`
}

// erase terminates the customer's running contact workflows first (so none
// writes again after the erasure), then erases in one transaction. If
// Temporal is down nothing is erased (503: retry). A repeated request finds
// nothing and answers 404.
func (h *privacyAPI) erase(c *gin.Context) {
	id, subject, ok := h.customer(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	wfs, err := h.s.privacyStore().CustomerWorkflows(ctx, id)
	if err != nil {
		h.s.fail(c, err)
		return
	}
	term := h.p.Terminator
	if term == nil && h.s.Desk != nil && h.s.Desk.Temporal != nil {
		term = h.s.Desk.Temporal
	}
	terminated := 0
	for _, wf := range wfs {
		if term == nil {
			h.s.fail(c, errors.New("no temporal client"))
			return
		}
		err := term.TerminateWorkflow(ctx, wf, "", erasureReason)
		var nf *serviceerror.NotFound
		switch {
		case err == nil:
			terminated++
		case errors.As(err, &nf): // finished (or never started): nothing runs
		default:
			h.s.Log.Error("erasure: terminate workflow failed", "err_type", "temporal")
			abort(c, http.StatusServiceUnavailable, "unavailable", "Temporal is unavailable; nothing was erased, retry later")
			return
		}
	}
	n, err := h.s.privacyStore().EraseCustomer(ctx, id, subject, actorOf(c))
	if err != nil {
		h.s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, erasureResponse{ErasureCounts: n, WorkflowsTerminated: terminated})
}

type consentRequest struct {
	Purpose string `json:"purpose"`
	Granted *bool  `json:"granted"`
	Version string `json:"version"`
}

// consentPurposes are the purposes this endpoint records. Messaging opt-out
// is recorded by the conversation itself (STOP, 取消…), not here.
var consentPurposes = map[string]bool{"training": true}

func (h *privacyAPI) consent(c *gin.Context) {
	id, subject, ok := h.customer(c)
	if !ok {
		return
	}
	recordConsent(c, h.s, id, subject)
}

// recordConsent binds a consent request and records it for customer id.
func recordConsent(c *gin.Context, s *Server, id, subject string) {
	var req consentRequest
	if !bindJSON(c, &req) {
		return
	}
	switch {
	case !consentPurposes[req.Purpose]:
		abort(c, http.StatusUnprocessableEntity, "invalid", `purpose must be "training"`)
		return
	case req.Granted == nil:
		abort(c, http.StatusUnprocessableEntity, "invalid", "granted is required (true or false)")
		return
	case len(req.Version) > 64:
		abort(c, http.StatusUnprocessableEntity, "invalid", "version is too long")
		return
	}
	if req.Version == "" {
		req.Version = TrainingConsentVersion
	}
	v, err := s.privacyStore().RecordConsent(c.Request.Context(), privacy.ConsentRecord{CustomerID: id, Purpose: req.Purpose,
		Version: req.Version, Granted: *req.Granted}, subject, actorOf(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, v)
}

// training streams the labelled examples as JSON lines. The response is
// committed with the first example, so a failure before it is a normal
// error response; a failure after it cuts the stream short (logged).
func (h *privacyAPI) training(c *gin.Context) {
	started := false
	enc := json.NewEncoder(c.Writer)
	enc.SetEscapeHTML(false)
	_, err := h.s.privacyStore().TrainingExamples(c.Request.Context(), actorOf(c), func(e privacy.TrainingExample) error {
		if !started {
			c.Header("Content-Type", "application/x-ndjson")
			c.Status(http.StatusOK)
			started = true
		}
		return enc.Encode(e)
	})
	switch {
	case err != nil && started:
		h.s.Log.Error("training export cut short", "err_type", errType(err))
	case err != nil:
		h.s.fail(c, err)
	case !started:
		c.Header("Content-Type", "application/x-ndjson")
		c.Status(http.StatusOK)
	}
}
