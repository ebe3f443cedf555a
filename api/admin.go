package api

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/harbordesk/harbordesk/internal/config"
	"github.com/harbordesk/harbordesk/internal/kb"
	"github.com/harbordesk/harbordesk/internal/lexicon"
	"github.com/harbordesk/harbordesk/internal/store"
	"github.com/harbordesk/harbordesk/internal/store/articles"
	"github.com/harbordesk/harbordesk/internal/store/documents"
)

// MountContent serves the admin API for the knowledge base
// (/v1/kb/articles) and the slang lexicon (/v1/lexicon). Changes land in
// PostgreSQL as new versions with an audit entry; the worker's reloader
// picks them up without a deploy.
func MountContent(r *gin.Engine, s *Server) {
	g := r.Group("/v1", s.Auth(config.RoleAdmin))
	g.GET("/kb/articles", s.listArticles)
	g.POST("/kb/articles", s.createArticle)
	g.GET("/kb/articles/:id", s.getArticle)
	g.PUT("/kb/articles/:id", s.updateArticle)
	g.DELETE("/kb/articles/:id", s.deleteArticle)
	g.GET("/kb/articles/:id/history", s.articleHistory)
	g.GET("/lexicon", s.getLexicon)
	g.GET("/lexicon/versions", s.listLexiconVersions)
	g.POST("/lexicon/import", s.importLexicon)
	g.POST("/lexicon/versions/:version/activate", s.activateLexicon)
	g.GET("/lexicon/export", s.exportLexicon)
}

func editorOf(c *gin.Context) store.Editor {
	return store.Editor{Identity: c.GetString("identity"), Role: c.GetString("role")}
}

// contentFail adds 422 for invalid documents to the shared error mapping.
func (s *Server) contentFail(c *gin.Context, err error) {
	if errors.Is(err, store.ErrInvalidDocument) {
		Abort(c, http.StatusUnprocessableEntity, "invalid", strings.TrimPrefix(err.Error(), store.ErrInvalidDocument.Error()+": "))
		return
	}
	s.Fail(c, err)
}

type articleSummary struct {
	ID        string     `json:"id"`
	Intent    string     `json:"intent"`
	Topic     string     `json:"topic"`
	Tags      []string   `json:"tags"`
	Version   int        `json:"version"`
	Locales   []string   `json:"locales"`
	Source    string     `json:"source"`
	UpdatedAt *time.Time `json:"updated_at"`
}

type articleDetail struct {
	kb.Article
	Version   int        `json:"version"`
	Author    string     `json:"author"`
	Source    string     `json:"source"`
	UpdatedAt *time.Time `json:"updated_at"`
}

func timeOrNull(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

func summarize(r articles.ArticleRecord) articleSummary {
	var locales []string
	for _, l := range kb.StoredLocales {
		if _, ok := r.Article.Versions[l]; ok {
			locales = append(locales, l)
		}
	}
	tags := r.Article.Tags
	if tags == nil {
		tags = []string{}
	}
	return articleSummary{ID: r.Article.ID, Intent: r.Article.Intent, Topic: r.Article.Topic, Tags: tags,
		Version: r.Version, Locales: locales, Source: r.Source, UpdatedAt: timeOrNull(r.UpdatedAt)}
}

func detail(r articles.ArticleRecord) articleDetail {
	return articleDetail{Article: r.Article, Version: r.Version, Author: r.Author, Source: r.Source, UpdatedAt: timeOrNull(r.UpdatedAt)}
}

// kbArticles is the KB article store on the server's pool.
func (s *Server) kbArticles() *articles.Store { return articles.New(s.Store.Pool) }

// docStore is the lexicon, playbooks and business profile store on the
// server's pool.
func (s *Server) docStore() *documents.Store { return documents.New(s.Store.Pool) }

const (
	defaultArticlePage = 100
	maxArticlePage     = 500
)

func (s *Server) listArticles(c *gin.Context) {
	limit := defaultArticlePage
	if v := c.Query("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxArticlePage {
			Abort(c, http.StatusUnprocessableEntity, "invalid", "limit must be 1.."+strconv.Itoa(maxArticlePage))
			return
		}
		limit = n
	}
	after := ""
	if cur := c.Query("cursor"); cur != "" {
		b, err := base64.RawURLEncoding.DecodeString(cur)
		if err != nil || len(b) == 0 {
			s.Fail(c, store.ErrBadCursor)
			return
		}
		after = string(b)
	}
	// One extra row tells whether there is a next page.
	recs, err := s.kbArticles().ListArticles(c.Request.Context(), after, limit+1)
	if err != nil {
		s.Fail(c, err)
		return
	}
	next := ""
	if len(recs) > limit {
		recs = recs[:limit]
		next = base64.RawURLEncoding.EncodeToString([]byte(recs[limit-1].Article.ID))
	}
	items := make([]articleSummary, len(recs))
	for i, r := range recs {
		items[i] = summarize(r)
	}
	c.JSON(http.StatusOK, gin.H{"items": items, "next_cursor": next})
}

func (s *Server) getArticle(c *gin.Context) {
	rec, err := s.kbArticles().Article(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, detail(rec))
}

func (s *Server) createArticle(c *gin.Context) {
	var a kb.Article
	if !BindJSON(c, &a) {
		return
	}
	rec, err := s.kbArticles().CreateArticle(c.Request.Context(), a, editorOf(c))
	if err != nil {
		s.contentFail(c, err)
		return
	}
	c.Header("Location", "/v1/kb/articles/"+rec.Article.ID)
	c.JSON(http.StatusCreated, detail(rec))
}

func (s *Server) updateArticle(c *gin.Context) {
	var a kb.Article
	if !BindJSON(c, &a) {
		return
	}
	id := c.Param("id")
	if a.ID == "" {
		a.ID = id
	}
	if a.ID != id {
		Abort(c, http.StatusUnprocessableEntity, "invalid", "id in the body must match the path")
		return
	}
	rec, err := s.kbArticles().UpdateArticle(c.Request.Context(), a, editorOf(c))
	if err != nil {
		s.contentFail(c, err)
		return
	}
	c.JSON(http.StatusOK, detail(rec))
}

func (s *Server) deleteArticle(c *gin.Context) {
	if err := s.kbArticles().DeleteArticle(c.Request.Context(), c.Param("id"), editorOf(c)); err != nil {
		s.Fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

type articleVersionView struct {
	Version   int        `json:"version"`
	Author    string     `json:"author"`
	CreatedAt *time.Time `json:"created_at"`
	Document  kb.Article `json:"document"`
}

func (s *Server) articleHistory(c *gin.Context) {
	hist, err := s.kbArticles().ArticleHistory(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.Fail(c, err)
		return
	}
	items := make([]articleVersionView, len(hist))
	for i, v := range hist {
		items[i] = articleVersionView{Version: v.Version, Author: v.Author, CreatedAt: timeOrNull(v.CreatedAt), Document: v.Article}
	}
	c.JSON(http.StatusOK, gin.H{"items": items, "next_cursor": ""})
}

type lexiconVersionView struct {
	Version    string    `json:"version"`
	Entries    int       `json:"entries"`
	Author     string    `json:"author"`
	ImportedAt time.Time `json:"imported_at"`
	Active     bool      `json:"active"`
}

func lexiconViews(vs []documents.LexiconVersion) []lexiconVersionView {
	out := make([]lexiconVersionView, len(vs))
	for i, v := range vs {
		out[i] = lexiconVersionView{Version: v.Version, Entries: v.Entries, Author: v.Author, ImportedAt: v.ImportedAt.UTC(), Active: v.Active}
	}
	return out
}

func (s *Server) getLexicon(c *gin.Context) {
	ctx := c.Request.Context()
	lex, fromDB, err := s.docStore().ActiveLexicon(ctx)
	if err != nil {
		s.Fail(c, err)
		return
	}
	vs, err := s.docStore().LexiconVersions(ctx)
	if err != nil {
		s.Fail(c, err)
		return
	}
	source := store.SourceOf(fromDB)
	c.JSON(http.StatusOK, gin.H{"version": lex.Version, "source": source, "entries": lex.Entries, "versions": lexiconViews(vs)})
}

func (s *Server) listLexiconVersions(c *gin.Context) {
	vs, err := s.docStore().LexiconVersions(c.Request.Context())
	if err != nil {
		s.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": lexiconViews(vs), "next_cursor": ""})
}

// importLexicon takes the document as YAML or JSON (by Content-Type, or
// detected for anything else). ?activate=false stores it without putting it
// in force. 201 for a new version, 200 for an identical re-import.
// importRequest reads an admin import: the ?activate flag (default true)
// and a non-empty body; what names the expected document in the error.
func importRequest(c *gin.Context, what string) (body []byte, activate, ok bool) {
	activate = true
	if v := c.Query("activate"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			Abort(c, http.StatusUnprocessableEntity, "invalid", "activate must be true or false")
			return nil, false, false
		}
		activate = b
	}
	if body, ok = readBody(c); !ok {
		return nil, false, false
	}
	if len(strings.TrimSpace(string(body))) == 0 {
		Abort(c, http.StatusBadRequest, "malformed", "request body is empty; want "+what)
		return nil, false, false
	}
	return body, activate, true
}

func (s *Server) importLexicon(c *gin.Context) {
	body, activate, ok := importRequest(c, "a lexicon in YAML or JSON")
	if !ok {
		return
	}
	if mt, _, _ := mime.ParseMediaType(c.GetHeader("Content-Type")); mt == "application/json" && !json.Valid(body) {
		Abort(c, http.StatusBadRequest, "malformed", "request body is not valid JSON")
		return
	}
	lex, err := lexicon.Parse(body)
	if err != nil {
		Abort(c, http.StatusUnprocessableEntity, "invalid", err.Error())
		return
	}
	v, created, err := s.docStore().ImportLexicon(c.Request.Context(), lex, activate, editorOf(c))
	if err != nil {
		s.contentFail(c, err)
		return
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	c.JSON(status, gin.H{"version": v.Version, "entries": v.Entries, "active": v.Active, "created": created})
}

func (s *Server) activateLexicon(c *gin.Context) {
	if err := s.docStore().ActivateLexicon(c.Request.Context(), c.Param("version"), editorOf(c)); err != nil {
		s.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"version": c.Param("version"), "active": true})
}

// exportLexicon writes the lexicon in force (or ?version=) as YAML that
// POST /v1/lexicon/import and `harbordesk lexicon import` read back.
func (s *Server) exportLexicon(c *gin.Context) {
	ctx := c.Request.Context()
	var doc []byte
	var err error
	if v := c.Query("version"); v != "" {
		doc, err = s.docStore().LexiconDocument(ctx, v)
	} else {
		var lex *lexicon.Lexicon
		if lex, _, err = s.docStore().ActiveLexicon(ctx); err == nil {
			doc, err = lex.Marshal()
		}
	}
	if err != nil {
		s.Fail(c, err)
		return
	}
	c.Data(http.StatusOK, "application/yaml; charset=utf-8", doc)
}
