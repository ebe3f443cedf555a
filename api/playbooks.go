package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/harbordesk/harbordesk/internal/config"
	"github.com/harbordesk/harbordesk/internal/playbook"
	"github.com/harbordesk/harbordesk/internal/store"
	"github.com/harbordesk/harbordesk/internal/store/documents"
)

// MountPlaybooks serves the admin API for the per-intent playbooks
// (/v1/playbooks): import a YAML set as a new version, activate a version
// (roll forward or back), export the set in force. Every change is audited;
// the worker's reloader puts the active set in force without a deploy, and
// contacts already running keep the decisions recorded in their history.
func MountPlaybooks(r *gin.Engine, s *Server) {
	g := r.Group("/v1/playbooks", s.Auth(config.RoleAdmin))
	g.GET("", s.getPlaybooks)
	g.POST("/import", s.importPlaybooks)
	g.POST("/versions/:version/activate", s.activatePlaybooks)
	g.GET("/export", s.exportPlaybooks)
}

type playbookVersionView struct {
	Version    string    `json:"version"`
	Author     string    `json:"author"`
	ImportedAt time.Time `json:"imported_at"`
	Active     bool      `json:"active"`
}

func playbookVersionViews(vs []documents.PlaybookVersion) []playbookVersionView {
	out := make([]playbookVersionView, len(vs))
	for i, v := range vs {
		out[i] = playbookVersionView{Version: v.Version, Author: v.Author, ImportedAt: v.ImportedAt.UTC(), Active: v.Active}
	}
	return out
}

// playbookSummary is one intent's playbook at a glance; the templates are
// in the export.
type playbookSummary struct {
	Intent           string   `json:"intent"`
	Action           string   `json:"action"`
	TicketKind       string   `json:"ticket_kind"`
	MinPriority      string   `json:"min_priority,omitempty"`
	NegativePriority string   `json:"negative_priority,omitempty"`
	HandoffWhen      []string `json:"handoff_when"`
}

func summarizePlaybooks(set *playbook.Set) []playbookSummary {
	pbs := set.Playbooks()
	out := make([]playbookSummary, len(pbs))
	for i, p := range pbs {
		when := make([]string, len(p.HandoffWhen))
		for j, c := range p.HandoffWhen {
			when[j] = c.Kind
			if c.Limit != 0 {
				when[j] += ":" + strconv.FormatFloat(c.Limit, 'f', -1, 64)
			}
		}
		out[i] = playbookSummary{Intent: p.Intent, Action: p.Action, TicketKind: p.TicketKind,
			MinPriority: p.MinPriority, NegativePriority: p.NegativePriority, HandoffWhen: when}
	}
	return out
}

// getPlaybooks answers the set in force (version, source, one summary per
// intent) and every imported version.
func (s *Server) getPlaybooks(c *gin.Context) {
	ctx := c.Request.Context()
	set, fromDB, err := s.docStore().ActivePlaybooks(ctx)
	if err != nil {
		s.Fail(c, err)
		return
	}
	vs, err := s.docStore().PlaybookVersions(ctx)
	if err != nil {
		s.Fail(c, err)
		return
	}
	source := store.SourceOf(fromDB)
	c.JSON(http.StatusOK, gin.H{"version": set.Version, "source": source,
		"playbooks": summarizePlaybooks(set), "versions": playbookVersionViews(vs)})
}

// importPlaybooks takes a playbook set as YAML (the export's format).
// ?activate=false stores it without putting it in force. 201 for a new
// version, 200 for a re-import of the same playbooks, 409 for the same
// version with other playbooks, 422 with the parser's message for an
// invalid set.
func (s *Server) importPlaybooks(c *gin.Context) {
	body, activate, ok := importRequest(c, "a playbook set in YAML")
	if !ok {
		return
	}
	v, created, err := s.docStore().ImportPlaybooks(c.Request.Context(), body, activate, editorOf(c))
	if err != nil {
		s.contentFail(c, err)
		return
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	c.JSON(status, gin.H{"version": v.Version, "active": v.Active, "created": created,
		"author": v.Author, "imported_at": v.ImportedAt.UTC()})
}

func (s *Server) activatePlaybooks(c *gin.Context) {
	if err := s.docStore().ActivatePlaybooks(c.Request.Context(), c.Param("version"), editorOf(c)); err != nil {
		s.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"version": c.Param("version"), "active": true})
}

// exportPlaybooks writes the set in force (or ?version=) as the YAML that
// POST /v1/playbooks/import reads back; with no version active that is the
// shipped default, the starting point of an override.
func (s *Server) exportPlaybooks(c *gin.Context) {
	ctx := c.Request.Context()
	var doc []byte
	var err error
	if v := c.Query("version"); v != "" {
		doc, err = s.docStore().PlaybookDocument(ctx, v)
	} else {
		doc, _, err = s.docStore().ActivePlaybookDocument(ctx)
	}
	if err != nil {
		s.Fail(c, err)
		return
	}
	c.Data(http.StatusOK, "application/yaml; charset=utf-8", doc)
}
