package api

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/harbordesk/harbordesk/internal/config"
	"github.com/harbordesk/harbordesk/internal/crm"
	"github.com/harbordesk/harbordesk/internal/kb"
	"github.com/harbordesk/harbordesk/internal/macro"
	"github.com/harbordesk/harbordesk/internal/nlu"
	"github.com/harbordesk/harbordesk/internal/nlu/script"
	"github.com/harbordesk/harbordesk/internal/pii"
	"github.com/harbordesk/harbordesk/internal/store"
	"github.com/harbordesk/harbordesk/internal/store/workspace"
	"github.com/harbordesk/harbordesk/internal/translate"
	"github.com/harbordesk/harbordesk/internal/validate"
)

// Workspace holds what the agents' workspace routes need beyond the Server:
// the CRM for customer history (nil: the built-in PostgreSQL CRM).
type Workspace struct {
	CRM crm.Directory
	// Translator translates for agents (zero value: offline only).
	Translator translate.Translator
	// Attachments serves customers' photos and documents (nil: off).
	Attachments *Attachments
	// CRMTimeout bounds the order lookup in a customer's history (default 3 s).
	CRMTimeout time.Duration
}

// workspaceStore is the agents' workspace store on the server's pool.
func (s *Server) workspaceStore() *workspace.Store { return workspace.New(s.Store.Pool) }

// MountWorkspace serves macros, internal notes, search and customer history
// (CONTRACT.md "Agents, routing and the workspace"):
//
//	GET    /v1/macros                  agent       canned replies
//	POST   /v1/macros                  supervisor  {"title","text":{locale:…}} → 201
//	DELETE /v1/macros/:id              supervisor  → 204
//	POST   /v1/macros/:id/render       agent       {"contact_id"} → the text in the contact's locale, placeholders filled
//	POST   /v1/handoffs/:id/notes      agent       {"text"} → 201 (masked; never sent to the customer)
//	GET    /v1/handoffs/:id/notes      agent       the contact's notes
//	GET    /v1/search?q=…              agent       masked transcripts, ticket summaries and notes
//	GET    /v1/customers/:id/history   agent       earlier contacts and CRM orders
//	GET    /v1/contacts/:id/translation?to=en  agent  each customer message in the agent's locale (default: the account's first language), beside the original
//	POST   /v1/handoffs/:id/draft      agent       {"text","from"?} → the agent's text in the customer's locale, a draft only
func MountWorkspace(ws Workspace) func(r *gin.Engine, s *Server) {
	return func(r *gin.Engine, s *Server) {
		if ws.CRM == nil {
			ws.CRM = crm.NewPostgres(s.Store.Pool)
		}
		if ws.CRMTimeout <= 0 {
			ws.CRMTimeout = 3 * time.Second
		}
		h := &workspaceHandlers{s: s, ws: ws}
		v1 := r.Group("/v1")
		v1.GET("/macros", s.auth(config.RoleAgent), h.listMacros)
		v1.POST("/macros", s.auth(config.RoleSupervisor), h.createMacro)
		v1.DELETE("/macros/:id", s.auth(config.RoleSupervisor), h.deleteMacro)
		v1.POST("/macros/:id/render", s.auth(config.RoleAgent), h.renderMacro)
		v1.POST("/handoffs/:id/notes", s.auth(config.RoleAgent), h.addNote)
		v1.GET("/handoffs/:id/notes", s.auth(config.RoleAgent), h.listNotes)
		v1.GET("/search", s.auth(config.RoleAgent), h.search)
		v1.GET("/customers/:id/history", s.auth(config.RoleAgent), h.history)
		v1.GET("/contacts/:id/translation", s.auth(config.RoleAgent), h.translateTranscript)
		v1.POST("/handoffs/:id/draft", s.auth(config.RoleAgent), h.draft)
		if ws.Attachments != nil {
			ws.Attachments.mount(r, s)
		}
	}
}

type workspaceHandlers struct {
	s  *Server
	ws Workspace
}

// pathID reads an ID path parameter; a malformed one is a 404.
func pathID(c *gin.Context) (string, bool) {
	id := c.Param("id")
	if validID("id", id) != "" {
		abort(c, http.StatusNotFound, "not_found", "not found")
		return "", false
	}
	return id, true
}

func (h *workspaceHandlers) listMacros(c *gin.Context) {
	items, err := h.s.workspaceStore().Macros(c.Request.Context())
	if err != nil {
		h.s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": items, "next_cursor": ""})
}

func (h *workspaceHandlers) createMacro(c *gin.Context) {
	var m macro.Macro
	if !bindJSON(c, &m) {
		return
	}
	m.Title = strings.TrimSpace(m.Title)
	if err := m.Validate(); err != nil {
		abort(c, http.StatusUnprocessableEntity, "invalid", strings.TrimPrefix(err.Error(), macro.ErrInvalid.Error()+": "))
		return
	}
	v, err := h.s.workspaceStore().CreateMacro(c.Request.Context(), m.Title, m.Text, actorOf(c))
	if errors.Is(err, store.ErrConflict) {
		abort(c, http.StatusConflict, "conflict", "a macro with this title exists")
		return
	}
	if err != nil {
		h.s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, v)
}

func (h *workspaceHandlers) deleteMacro(c *gin.Context) {
	id, ok := pathID(c)
	if !ok {
		return
	}
	if err := h.s.workspaceStore().DeleteMacro(c.Request.Context(), id, actorOf(c)); err != nil {
		h.s.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

type renderRequest struct {
	ContactID string `json:"contact_id"`
}

// renderMacro fills a macro for one contact: the text in the contact's
// locale (converted to the customer's script when only the other one was
// written), with the placeholders filled. It only returns text for the
// agent's reply box; sending stays the agent's explicit reply.
func (h *workspaceHandlers) renderMacro(c *gin.Context) {
	id, ok := pathID(c)
	if !ok {
		return
	}
	var req renderRequest
	if !bindJSON(c, &req) {
		return
	}
	if msg := validID("contact_id", req.ContactID); msg != "" {
		abort(c, http.StatusUnprocessableEntity, "invalid", msg)
		return
	}
	ctx := c.Request.Context()
	mv, err := h.s.workspaceStore().Macro(ctx, id)
	if err != nil {
		h.s.fail(c, err)
		return
	}
	ct, err := h.s.contactStore().Contact(ctx, req.ContactID)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			abort(c, http.StatusUnprocessableEntity, "invalid", "contact_id names no contact")
			return
		}
		h.s.fail(c, err)
		return
	}
	want := kb.Locale(ct.Language, ct.Script)
	text, used := macro.Macro{Title: mv.Title, Text: mv.Text}.Pick(want)
	agentName, _ := h.caller(c)
	vals := map[string]string{"agent_name": agentName}
	if ct.Ticket != nil {
		vals["ticket_id"] = ct.Ticket.ID
	}
	if orders, err := h.orders(ctx, ct.CustomerID); err == nil && len(orders) > 0 {
		vals["order_number"] = orders[0].Number
	}
	out := macro.Render(text, want, vals)
	if converted, err := toScript(out, used, want); err == nil {
		out = converted
	}
	c.JSON(http.StatusOK, gin.H{"macro_id": mv.ID, "contact_id": ct.ID, "locale": want, "written_in": used, "text": out})
}

// toScript converts Chinese text between Traditional and Simplified when
// the locale it was written in has the other script than the one wanted.
func toScript(text, from, to string) (string, error) {
	switch {
	case strings.HasSuffix(from, "-Hant") && strings.HasSuffix(to, "-Hans"):
		return kb.ToSimplified(text)
	case strings.HasSuffix(from, "-Hans") && strings.HasSuffix(to, "-Hant"):
		return kb.ToTraditional(text)
	}
	return text, nil
}

type noteRequest struct {
	Text string `json:"text"`
}

// checkFreeText says what is wrong with an agent's free text: empty, not
// UTF-8 or control characters (422), over 4,000 characters (413). Status 0
// means fine.
func checkFreeText(field, v string) (status int, code, msg string) {
	switch {
	case strings.TrimSpace(v) == "":
		return http.StatusUnprocessableEntity, "invalid", field + " is required"
	case !utf8.ValidString(v):
		return http.StatusUnprocessableEntity, "invalid", field + " is not valid UTF-8"
	case utf8.RuneCountInString(v) > maxTextRunes:
		return http.StatusRequestEntityTooLarge, "too_large", field + " is over 4000 characters"
	case !validate.Clean(v): // valid UTF-8 by now: a control character
		return http.StatusUnprocessableEntity, "invalid", field + " contains control characters"
	}
	return 0, "", ""
}

func (h *workspaceHandlers) addNote(c *gin.Context) {
	id, ok := pathID(c)
	if !ok {
		return
	}
	var req noteRequest
	if !bindJSON(c, &req) {
		return
	}
	if status, code, msg := checkFreeText("text", req.Text); status != 0 {
		abort(c, status, code, msg)
		return
	}
	n, err := h.s.workspaceStore().AddNote(c.Request.Context(), id, c.GetString("identity"), pii.Mask(strings.TrimSpace(req.Text)))
	if err != nil {
		h.s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, n)
}

func (h *workspaceHandlers) listNotes(c *gin.Context) {
	id, ok := pathID(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	ho, err := h.s.handoffStore().Handoff(ctx, id)
	if err != nil {
		h.s.fail(c, err)
		return
	}
	items, err := h.s.workspaceStore().Notes(ctx, ho.ContactID)
	if err != nil {
		h.s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": items, "next_cursor": ""})
}

// Search query bounds, in characters.
const (
	minQueryRunes = 2
	maxQueryRunes = 200
)

// search finds contacts by their masked text. The query is masked the same
// way, so a phone number typed by an agent finds nothing it should not and
// a search for "[PHONE]" finds the messages that held one.
func (h *workspaceHandlers) search(c *gin.Context) {
	q := strings.TrimSpace(c.Query("q"))
	if status, _, msg := checkFreeText("q", q); status != 0 {
		abort(c, http.StatusUnprocessableEntity, "invalid", msg)
		return
	}
	if n := utf8.RuneCountInString(q); n < minQueryRunes || n > maxQueryRunes {
		abort(c, http.StatusUnprocessableEntity, "invalid", "q must be 2 to 200 characters")
		return
	}
	limit, _ := atoi(c.Query("limit"))
	hits, err := h.s.workspaceStore().Search(c.Request.Context(), pii.Mask(q), limit)
	if err != nil {
		h.s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": hits, "next_cursor": ""})
}

// orderView is an order in a customer's history.
type orderView struct {
	Number     string     `json:"number"`
	Status     string     `json:"status"`
	Carrier    string     `json:"carrier"`
	TrackingNo string     `json:"tracking_no"`
	Items      []crm.Item `json:"items"`
	UpdatedAt  time.Time  `json:"updated_at"`
}

func (h *workspaceHandlers) orders(ctx context.Context, customerID string) ([]crm.Order, error) {
	ctx, cancel := context.WithTimeout(ctx, h.ws.CRMTimeout)
	defer cancel()
	return h.ws.CRM.OrdersFor(ctx, customerID)
}

// history lists a customer's contacts and, through the CRM, their orders.
// A CRM that is down does not hide the contacts: orders are then null and
// orders_unavailable is true.
func (h *workspaceHandlers) history(c *gin.Context) {
	id, ok := pathID(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	contacts, err := h.s.workspaceStore().CustomerHistory(ctx, id, 0)
	if err != nil {
		h.s.fail(c, err)
		return
	}
	body := gin.H{"customer_id": id, "contacts": contacts}
	orders, err := h.orders(ctx, id)
	switch {
	case err == nil || errors.Is(err, crm.ErrNotFound):
		views := make([]orderView, 0, len(orders))
		for _, o := range orders {
			items := o.Items
			if items == nil {
				items = []crm.Item{}
			}
			views = append(views, orderView{Number: o.Number, Status: o.Status, Carrier: o.Carrier, TrackingNo: o.TrackingNo, Items: items, UpdatedAt: o.UpdatedAt})
		}
		body["orders"], body["orders_unavailable"] = views, false
	default:
		h.s.Log.Warn("customer history: CRM orders unavailable", "err_type", "crm")
		body["orders"], body["orders_unavailable"] = nil, true
	}
	if len(contacts) == 0 && len(orders) == 0 {
		abort(c, http.StatusNotFound, "not_found", "no contacts or orders for this customer")
		return
	}
	c.JSON(http.StatusOK, body)
}

// agentLocales maps an agent account's first language to the locale its
// translations are shown in.
var agentLocales = map[string]string{"yue": "yue-Hant", "zh": "zh-Hans", "en": "en"}

// caller is the signed-in agent's display name and reading locale: from
// their account for a session token, else the key's identity and English.
func (h *workspaceHandlers) caller(c *gin.Context) (name, locale string) {
	name, locale = c.GetString("identity"), "en"
	v, _ := c.Get("principal")
	p, ok := v.(principal)
	if !ok || p.AgentID == "" {
		return name, locale
	}
	ag, err := h.s.agentStore().AgentByID(c.Request.Context(), p.AgentID)
	if err != nil {
		return name, locale
	}
	if ag.Name != "" {
		name = ag.Name
	}
	if len(ag.Languages) > 0 && agentLocales[ag.Languages[0]] != "" {
		locale = agentLocales[ag.Languages[0]]
	}
	return name, locale
}

// localeOf is the locale a text is written in. Chinese text without a
// character that tells the scripts apart takes fallbackScript (the
// contact's) when there is one.
func localeOf(text, fallbackScript string) string {
	lang, scr := nlu.DetectLanguage(text)
	if lang != "en" && (fallbackScript == script.Hant || fallbackScript == script.Hans) {
		if c := script.Count(text); c.TradOnly == 0 && c.SimpOnly == 0 {
			scr = fallbackScript
		}
	}
	return kb.Locale(lang, scr)
}

// translationItem is one customer message with its translation.
type translationItem struct {
	MessageID string    `json:"message_id"`
	At        time.Time `json:"at"`
	translate.Result
}

// translateTranscript shows each customer message (masked) in the agent's
// locale (?to=, default en) beside the original.
func (h *workspaceHandlers) translateTranscript(c *gin.Context) {
	id, ok := pathID(c)
	if !ok {
		return
	}
	to := c.Query("to")
	if to == "" {
		_, to = h.caller(c)
	}
	if !translate.ValidLocale(to) {
		abort(c, http.StatusUnprocessableEntity, "invalid", "to must be one of "+strings.Join(translate.Locales, ", "))
		return
	}
	ctx := c.Request.Context()
	ct, err := h.s.contactStore().Contact(ctx, id)
	if err != nil {
		h.s.fail(c, err)
		return
	}
	items := make([]translationItem, 0, len(ct.Transcript))
	for _, m := range ct.Transcript {
		from := localeOf(m.Text, ct.Script)
		if strings.TrimSpace(m.Text) == "" || m.Text == store.RetentionMarker {
			from = to
		}
		r, err := h.ws.Translator.Translate(ctx, m.Text, from, to)
		if err != nil {
			h.s.fail(c, err)
			return
		}
		items = append(items, translationItem{MessageID: m.MessageID, At: m.At, Result: r})
	}
	c.JSON(http.StatusOK, gin.H{"contact_id": ct.ID, "to": to, "items": items})
}

type draftRequest struct {
	Text string `json:"text"`
	From string `json:"from"` // the agent's locale; detected when empty
}

// draft puts the agent's text into the customer's language and script. It
// sends nothing: the agent reviews the draft and sends it with
// POST /v1/handoffs/{id}/reply, so no unreviewed machine translation ever
// reaches the customer.
func (h *workspaceHandlers) draft(c *gin.Context) {
	id, ok := pathID(c)
	if !ok {
		return
	}
	var req draftRequest
	if !bindJSON(c, &req) {
		return
	}
	if status, code, msg := checkFreeText("text", req.Text); status != 0 {
		abort(c, status, code, msg)
		return
	}
	if req.From != "" && !translate.ValidLocale(req.From) {
		abort(c, http.StatusUnprocessableEntity, "invalid", "from must be one of "+strings.Join(translate.Locales, ", "))
		return
	}
	ctx := c.Request.Context()
	ho, err := h.s.handoffStore().Handoff(ctx, id)
	if err != nil {
		h.s.fail(c, err)
		return
	}
	ct, err := h.s.contactStore().Contact(ctx, ho.ContactID)
	if err != nil {
		h.s.fail(c, err)
		return
	}
	to := kb.Locale(ct.Language, ct.Script)
	if req.From == "" {
		req.From = localeOf(req.Text, "")
	}
	r, err := h.ws.Translator.Translate(ctx, req.Text, req.From, to)
	if err != nil {
		h.s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"handoff_id": ho.ID, "contact_id": ct.ID, "draft": r, "sent": false})
}
