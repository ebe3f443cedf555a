package api

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/harbordesk/harbordesk/internal/config"
	"github.com/harbordesk/harbordesk/internal/contact"
	"github.com/harbordesk/harbordesk/internal/crm"
	"github.com/harbordesk/harbordesk/internal/pgtest"
	"github.com/harbordesk/harbordesk/internal/store"
	"github.com/harbordesk/harbordesk/internal/store/contacts"
	"github.com/harbordesk/harbordesk/internal/store/workspace"
	"github.com/harbordesk/harbordesk/internal/translate"
)

// downCRM is a CRM that is always unavailable.
type downCRM struct{}

func (downCRM) Customer(context.Context, string) (crm.Customer, error) {
	return crm.Customer{}, crm.ErrUnavailable
}
func (downCRM) Order(context.Context, string) (crm.Order, error) {
	return crm.Order{}, crm.ErrUnavailable
}
func (downCRM) OrdersFor(context.Context, string) ([]crm.Order, error) {
	return nil, errors.New("crm: dial tcp: connection refused")
}

func workspaceServer(t *testing.T, ws Workspace, more ...func(*gin.Engine, *Server)) (*httptest.Server, *store.Store) {
	t.Helper()
	st := pgtest.New(t)
	srv := &Server{Store: st, MaxBody: 1 << 20, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Registry: prometheus.NewRegistry(),
		Extra:    append([]func(*gin.Engine, *Server){MountWorkspace(ws)}, more...),
		Keys: map[string]config.APIKey{
			"public-key": {Key: "public-key", Role: config.RolePublic, Identity: "shop-web"},
			"admin-key":  {Key: "admin-key", Role: config.RoleAdmin, Identity: "admin-ada"},
			"sup-key":    {Key: "sup-key", Role: config.RoleSupervisor, Identity: "sup-sue"},
			"agent-key":  {Key: "agent-key", Role: config.RoleAgent, Identity: "agent-ken"},
			"intake-key": {Key: "intake-key", Role: config.RoleIntake, Identity: "web-widget"},
		}}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts, st
}

// seedHandoff opens a handoff on a seeded contact, as RecordTurn does.
func seedHandoff(t *testing.T, st *store.Store, wf, id string) {
	t.Helper()
	if _, err := st.Pool.Exec(context.Background(), `INSERT INTO handoffs (id, contact_id, priority, language) VALUES ($1,$2,'P2','zh')`,
		id, contact.ID(wf)); err != nil {
		t.Fatal(err)
	}
}

func decode[T any](t *testing.T, b []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("decode %s: %v", b, err)
	}
	return v
}

func TestMacros(t *testing.T) {
	ts, st := workspaceServer(t, Workspace{})
	wf := seedCustomer(t, st, "cust-m", "conv-m", "where is my refund")
	if _, err := st.Pool.Exec(context.Background(), `UPDATE contacts SET language = 'zh', script = 'Hans' WHERE workflow_id = $1`, wf); err != nil {
		t.Fatal(err)
	}
	body := `{"title":"Refund done","text":{"en":"Hi {customer_name}, ticket {ticket_id} is refunded. {agent_name}","zh-Hant":"{customer_name}你好，退款已處理。"}}`
	for _, tc := range []struct {
		name string
		req  privReq
		want int
	}{
		{"no key", privReq{"POST", "/v1/macros", "", body}, 401},
		{"agent writes", privReq{"POST", "/v1/macros", "agent-key", body}, 403},
		{"agent deletes", privReq{"DELETE", "/v1/macros/mc_x", "agent-key", ""}, 403},
		{"intake lists", privReq{"GET", "/v1/macros", "intake-key", ""}, 403},
		{"malformed", privReq{"POST", "/v1/macros", "sup-key", `{"title":`}, 400},
		{"wrong type", privReq{"POST", "/v1/macros", "sup-key", `{"title":1}`}, 422},
		{"unknown placeholder", privReq{"POST", "/v1/macros", "sup-key", `{"title":"x","text":{"en":"Hi {name}"}}`}, 422},
		{"unknown locale", privReq{"POST", "/v1/macros", "sup-key", `{"title":"x","text":{"fr":"Salut"}}`}, 422},
		{"no texts", privReq{"POST", "/v1/macros", "sup-key", `{"title":"x","text":{}}`}, 422},
		{"supervisor writes", privReq{"POST", "/v1/macros", "sup-key", body}, 201},
		{"same title again", privReq{"POST", "/v1/macros", "admin-key", strings.Replace(body, "Refund done", "refund DONE", 1)}, 409},
		{"delete unknown", privReq{"DELETE", "/v1/macros/mc_nope", "sup-key", ""}, 404},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got, b, _ := tc.req.do(t, ts); got != tc.want {
				t.Fatalf("%s %s: %d %s, want %d", tc.req.method, tc.req.path, got, b, tc.want)
			} else if got >= 400 && !strings.Contains(string(b), `"error":{"code"`) {
				t.Fatalf("error shape: %s", b)
			}
		})
	}
	code, b, _ := privReq{"GET", "/v1/macros", "agent-key", ""}.do(t, ts)
	list := decode[struct{ Items []workspace.MacroView }](t, b)
	if code != 200 || len(list.Items) != 1 || list.Items[0].Text["en"] == "" {
		t.Fatalf("list: %d %s", code, b)
	}
	id := list.Items[0].ID

	// Rendered for a Simplified Chinese contact from the Traditional text, filled.
	code, b, _ = privReq{"POST", "/v1/macros/" + id + "/render", "agent-key", `{"contact_id":"` + contact.ID(wf) + `"}`}.do(t, ts)
	r := decode[map[string]string](t, b)
	if code != 200 || r["text"] != "客户你好，退款已处理。" || r["locale"] != "zh-Hans" || r["written_in"] != "zh-Hant" {
		t.Fatalf("render: %d %s", code, b)
	}
	if code, _, _ := (privReq{"POST", "/v1/macros/" + id + "/render", "agent-key", `{"contact_id":"ct_nope"}`}).do(t, ts); code != 422 {
		t.Fatalf("render unknown contact: %d", code)
	}
	if code, _, _ := (privReq{"POST", "/v1/macros/mc_nope/render", "agent-key", `{"contact_id":"` + contact.ID(wf) + `"}`}).do(t, ts); code != 404 {
		t.Fatalf("render unknown macro: %d", code)
	}
	if code, _, _ := (privReq{"DELETE", "/v1/macros/" + id, "sup-key", ""}).do(t, ts); code != 204 {
		t.Fatalf("delete: %d", code)
	}
	if _, b, _ := (privReq{"GET", "/v1/macros", "agent-key", ""}).do(t, ts); strings.Contains(string(b), id) {
		t.Fatalf("deleted macro still listed: %s", b)
	}
	var audits int
	_ = st.Pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE action IN ('macro_create','macro_delete') AND subject = $1`, id).Scan(&audits)
	if audits != 2 {
		t.Fatalf("audit entries = %d, want 2", audits)
	}
}

func TestNotesSearchHistory(t *testing.T) {
	ts, st := workspaceServer(t, Workspace{})
	wfZh := seedCustomer(t, st, "cust-a", "conv-zh", "我要找人工客服")
	wfEn := seedCustomer(t, st, "cust-a", "conv-en", "My parcel arrived DAMAGED, call [PHONE]")
	seedCustomer(t, st, "cust-b", "conv-other", "unrelated question about opening hours")
	seedHandoff(t, st, wfZh, "ho_zh")

	// Notes: masked, listed, in the contact view, never among the replies.
	for _, tc := range []struct {
		name string
		req  privReq
		want int
	}{
		{"no key", privReq{"POST", "/v1/handoffs/ho_zh/notes", "", `{"text":"x"}`}, 401},
		{"intake", privReq{"POST", "/v1/handoffs/ho_zh/notes", "intake-key", `{"text":"x"}`}, 403},
		{"unknown handoff", privReq{"POST", "/v1/handoffs/ho_nope/notes", "agent-key", `{"text":"x"}`}, 404},
		{"empty", privReq{"POST", "/v1/handoffs/ho_zh/notes", "agent-key", `{"text":"  "}`}, 422},
		{"control chars", privReq{"POST", "/v1/handoffs/ho_zh/notes", "agent-key", `{"text":"a\u0000b"}`}, 422},
		{"too long", privReq{"POST", "/v1/handoffs/ho_zh/notes", "agent-key", `{"text":"` + strings.Repeat("長", 4001) + `"}`}, 413},
		{"saved", privReq{"POST", "/v1/handoffs/ho_zh/notes", "agent-key", `{"text":"客人要求退款 zebra-771, 電話 9876 5432"}`}, 201},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got, b, _ := tc.req.do(t, ts); got != tc.want {
				t.Fatalf("%d %s, want %d", got, b, tc.want)
			}
		})
	}
	_, b, _ := privReq{"GET", "/v1/handoffs/ho_zh/notes", "agent-key", ""}.do(t, ts)
	notes := decode[struct{ Items []workspace.NoteView }](t, b)
	if len(notes.Items) != 1 || strings.Contains(notes.Items[0].Text, "9876") || !strings.Contains(notes.Items[0].Text, "[PHONE]") || notes.Items[0].Author != "agent-ken" {
		t.Fatalf("notes: %s", b)
	}
	cv, err := contacts.New(st.Pool).Contact(context.Background(), contact.ID(wfZh))
	if err != nil || len(cv.Notes) != 1 {
		t.Fatalf("contact view notes: %+v %v", cv.Notes, err)
	}
	for _, r := range cv.Replies {
		if strings.Contains(r.Text, "zebra-771") {
			t.Fatalf("note in replies: %+v", cv.Replies)
		}
	}

	search := func(q string) (int, []workspace.SearchHit) {
		code, b, _ := privReq{"GET", "/v1/search?q=" + url.QueryEscape(q), "agent-key", ""}.do(t, ts)
		return code, decode[struct{ Items []workspace.SearchHit }](t, b).Items
	}
	for _, tc := range []struct {
		q    string
		want string // contact ID expected among the hits
	}{
		{"人工客服", contact.ID(wfZh)},      // Chinese transcript
		{"zebra-771", contact.ID(wfZh)}, // internal note
		{"damaged", contact.ID(wfEn)},   // English, case-insensitive
		{"退款", contact.ID(wfZh)},        // two characters: below a trigram, still found
	} {
		code, hits := search(tc.q)
		found := false
		for _, h := range hits {
			found = found || h.ContactID == tc.want
			if h.Snippet == "" || h.TicketID == "" {
				t.Errorf("q=%s: hit without snippet or ticket: %+v", tc.q, h)
			}
		}
		if code != 200 || !found {
			t.Errorf("search %q: %d %+v, want %s", tc.q, code, hits, tc.want)
		}
	}
	// The query is masked as the stored text is: a phone number searches
	// for its placeholder, and finds the message and the note that held one.
	raw, _ := json.Marshal(mustHits(search("9123 4567")))
	placeholder, _ := json.Marshal(mustHits(search("[PHONE]")))
	if string(raw) != string(placeholder) || !strings.Contains(string(raw), contact.ID(wfEn)) || strings.Contains(string(raw), "9876") {
		t.Errorf("phone search: %s vs %s", raw, placeholder)
	}
	if _, hits := search("100%"); len(hits) != 0 { // LIKE wildcards are literal
		t.Errorf("wildcard query matched %+v", hits)
	}
	for _, q := range []string{"", "x", strings.Repeat("y", 201)} {
		if code, _ := searchCode(t, ts, q); code != 422 {
			t.Errorf("q=%q: %d, want 422", q, code)
		}
	}
	if code, _, _ := (privReq{"GET", "/v1/search?q=abc", "intake-key", ""}).do(t, ts); code != 403 {
		t.Errorf("intake search: %d", code)
	}

	// History: both of cust-a's contacts, not cust-b's; orders from the built-in CRM.
	if _, err := st.Pool.Exec(context.Background(), `INSERT INTO crm_orders (order_no, customer_id, status) VALUES ('HH100200', 'cust-a', 'shipped')`); err != nil {
		t.Fatal(err)
	}
	code, b, _ := privReq{"GET", "/v1/customers/cust-a/history", "agent-key", ""}.do(t, ts)
	hist := decode[struct {
		Contacts []workspace.HistoryContact
		Orders   []orderView
	}](t, b)
	if code != 200 || len(hist.Contacts) != 2 || len(hist.Orders) != 1 || hist.Orders[0].Number != "HH100200" {
		t.Fatalf("history: %d %s", code, b)
	}
	if code, _, _ := (privReq{"GET", "/v1/customers/nobody/history", "agent-key", ""}).do(t, ts); code != 404 {
		t.Errorf("history unknown: %d", code)
	}
	if code, _, _ := (privReq{"GET", "/v1/customers/cust-a/history", "intake-key", ""}).do(t, ts); code != 403 {
		t.Errorf("history as intake: %d", code)
	}
}

func mustHits(code int, hits []workspace.SearchHit) []workspace.SearchHit {
	if code != 200 {
		panic(code)
	}
	return hits
}

func searchCode(t *testing.T, ts *httptest.Server, q string) (int, []byte) {
	code, b, _ := privReq{"GET", "/v1/search?q=" + url.QueryEscape(q), "agent-key", ""}.do(t, ts)
	return code, b
}

func TestHistoryCRMDown(t *testing.T) {
	ts, st := workspaceServer(t, Workspace{CRM: downCRM{}})
	seedCustomer(t, st, "cust-d", "conv-d", "hello")
	code, b, _ := privReq{"GET", "/v1/customers/cust-d/history", "agent-key", ""}.do(t, ts)
	if code != 200 || !strings.Contains(string(b), `"orders_unavailable":true`) || strings.Contains(string(b), "refused") {
		t.Fatalf("history with CRM down: %d %s", code, b)
	}
}

// tableMachine is a machine translator from a fixed table.
type tableMachine map[string]string

func (m tableMachine) Translate(_ context.Context, text, from, to string) (string, error) {
	if out, ok := m[from+">"+to+":"+text]; ok {
		return out, nil
	}
	return "", errors.New("no translation")
}

func TestTranslationForAgents(t *testing.T) {
	ts, st := workspaceServer(t, Workspace{Translator: translate.Translator{Machine: tableMachine{
		"zh-Hans>en:我要找人工客服":                    "I want a human agent",
		"en>zh-Hans:Your refund is on its way.": "您的退款正在处理中。",
	}}})
	wf := seedCustomer(t, st, "cust-t", "conv-t", "我要找人工客服")
	if _, err := st.Pool.Exec(context.Background(), `UPDATE contacts SET language = 'zh', script = 'Hans' WHERE workflow_id = $1`, wf); err != nil {
		t.Fatal(err)
	}
	seedHandoff(t, st, wf, "ho_t")
	id := contact.ID(wf)

	code, b, _ := privReq{"GET", "/v1/contacts/" + id + "/translation?to=en", "agent-key", ""}.do(t, ts)
	tr := decode[struct{ Items []translationItem }](t, b)
	if code != 200 || len(tr.Items) != 1 || tr.Items[0].Text != "I want a human agent" || tr.Items[0].Original != "我要找人工客服" || !tr.Items[0].Machine {
		t.Fatalf("transcript translation: %d %s", code, b)
	}
	// Offline: into Traditional without a model.
	_, b, _ = privReq{"GET", "/v1/contacts/" + id + "/translation?to=zh-Hant", "agent-key", ""}.do(t, ts)
	if tr = decode[struct{ Items []translationItem }](t, b); tr.Items[0].Text != "我要找人工客服" || tr.Items[0].Engine != translate.EngineScript {
		t.Fatalf("offline translation: %s", b)
	}

	before, _ := contacts.New(st.Pool).Contact(context.Background(), id)
	code, b, _ = privReq{"POST", "/v1/handoffs/ho_t/draft", "agent-key", `{"text":"Your refund is on its way."}`}.do(t, ts)
	d := decode[struct {
		Draft translate.Result
		Sent  bool
	}](t, b)
	if code != 200 || d.Draft.Text != "您的退款正在处理中。" || d.Draft.To != "zh-Hans" || d.Draft.From != "en" || d.Sent || !d.Draft.Machine {
		t.Fatalf("draft: %d %s", code, b)
	}
	if after, _ := contacts.New(st.Pool).Contact(context.Background(), id); len(after.Replies) != len(before.Replies) {
		t.Fatalf("a draft was sent: %d → %d replies", len(before.Replies), len(after.Replies))
	}

	for _, tc := range []struct {
		name string
		req  privReq
		want int
	}{
		{"unknown target", privReq{"GET", "/v1/contacts/" + id + "/translation?to=fr", "agent-key", ""}, 422},
		{"unknown contact", privReq{"GET", "/v1/contacts/ct_nope/translation", "agent-key", ""}, 404},
		{"intake reads", privReq{"GET", "/v1/contacts/" + id + "/translation", "intake-key", ""}, 403},
		{"draft unknown handoff", privReq{"POST", "/v1/handoffs/ho_nope/draft", "agent-key", `{"text":"hi"}`}, 404},
		{"draft bad from", privReq{"POST", "/v1/handoffs/ho_t/draft", "agent-key", `{"text":"hi","from":"xx"}`}, 422},
		{"draft empty", privReq{"POST", "/v1/handoffs/ho_t/draft", "agent-key", `{"text":""}`}, 422},
		{"draft no key", privReq{"POST", "/v1/handoffs/ho_t/draft", "", `{"text":"hi"}`}, 401},
	} {
		if got, b, _ := tc.req.do(t, ts); got != tc.want {
			t.Errorf("%s: %d %s, want %d", tc.name, got, b, tc.want)
		}
	}
}
