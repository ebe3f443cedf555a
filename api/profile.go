package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/harbordesk/harbordesk/internal/config"
	"github.com/harbordesk/harbordesk/internal/profile"
	"github.com/harbordesk/harbordesk/internal/store"
	"github.com/harbordesk/harbordesk/internal/store/documents"
)

// MountProfile serves the admin API for the business profile and its
// customer-facing texts (/v1/profile): the profile in force, import as a
// new version (YAML or JSON), the version history and roll-back. Every
// change is audited; the worker's reloader puts the active version in
// force without a deploy.
func MountProfile(r *gin.Engine, s *Server) {
	g := r.Group("/v1/profile", s.Auth(config.RoleAdmin))
	g.GET("", s.getProfile)
	g.POST("/import", s.importProfile)
	g.GET("/versions", s.profileVersions)
	g.POST("/versions/:version/activate", s.activateProfile)
	g.GET("/placeholders", s.profilePlaceholders)
}

type profileVersionView struct {
	Version    int64     `json:"version"`
	Name       string    `json:"name"`
	Author     string    `json:"author"`
	ImportedAt time.Time `json:"imported_at"`
	Active     bool      `json:"active"`
}

// getProfile answers the profile in force (?version=N: an imported one) as
// the JSON document POST /v1/profile/import reads back, with its version
// (0: the shipped default).
func (s *Server) getProfile(c *gin.Context) {
	ctx := c.Request.Context()
	var p *profile.Profile
	var version int64
	var err error
	if v := c.Query("version"); v != "" {
		if version, err = strconv.ParseInt(v, 10, 64); err != nil || version <= 0 {
			Abort(c, http.StatusNotFound, "not_found", "no such profile version")
			return
		}
		p, err = s.docStore().Profile(ctx, version)
	} else {
		p, version, err = s.docStore().ActiveProfile(ctx)
	}
	if err != nil {
		s.Fail(c, err)
		return
	}
	d := p.Document()
	c.JSON(http.StatusOK, gin.H{"version": version, "source": store.SourceOf(version > 0),
		"business": d.Business, "texts": d.Texts})
}

// importProfile takes a profile document in YAML or JSON. ?activate=false
// stores it without putting it in force. 201 with the new version; 422
// naming the field for an invalid document.
func (s *Server) importProfile(c *gin.Context) {
	body, activate, ok := importRequest(c, "a business profile in YAML or JSON")
	if !ok {
		return
	}
	v, err := s.docStore().ImportProfile(c.Request.Context(), body, activate, editorOf(c))
	if err != nil {
		s.contentFail(c, err)
		return
	}
	c.JSON(http.StatusCreated, versionView(v))
}

func versionView(v documents.ProfileVersion) profileVersionView {
	return profileVersionView{Version: v.Version, Name: v.Name, Author: v.Author, ImportedAt: v.ImportedAt.UTC(), Active: v.Active}
}

func (s *Server) profileVersions(c *gin.Context) {
	vs, err := s.docStore().ProfileVersions(c.Request.Context())
	if err != nil {
		s.Fail(c, err)
		return
	}
	items := make([]profileVersionView, len(vs))
	for i, v := range vs {
		items[i] = versionView(v)
	}
	c.JSON(http.StatusOK, gin.H{"items": items, "next_cursor": ""})
}

func (s *Server) activateProfile(c *gin.Context) {
	version, err := strconv.ParseInt(c.Param("version"), 10, 64)
	if err != nil || version <= 0 {
		Abort(c, http.StatusNotFound, "not_found", "no such profile version")
		return
	}
	if err := s.docStore().ActivateProfile(c.Request.Context(), version, editorOf(c)); err != nil {
		s.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"version": version, "active": true})
}

// profilePlaceholders lists the text keys, which are required, and the
// placeholders each may use: what the console's editor offers.
func (s *Server) profilePlaceholders(c *gin.Context) {
	type keyView struct {
		Key          string   `json:"key"`
		Required     bool     `json:"required"`
		Placeholders []string `json:"placeholders"`
	}
	out := make([]keyView, 0, len(profile.Keys))
	for i, k := range profile.Keys {
		out = append(out, keyView{Key: k, Required: i < len(profile.Required), Placeholders: profile.Placeholders(k)})
	}
	c.JSON(http.StatusOK, gin.H{"items": out, "locales": profile.Locales})
}
