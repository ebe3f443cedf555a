package api

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"go.temporal.io/api/serviceerror"

	"github.com/harbordesk/harbordesk/internal/config"
	"github.com/harbordesk/harbordesk/internal/contact"
	"github.com/harbordesk/harbordesk/internal/nlu"
	"github.com/harbordesk/harbordesk/internal/pgtest"
	"github.com/harbordesk/harbordesk/internal/store"
	"github.com/harbordesk/harbordesk/internal/store/contacts"
	"github.com/harbordesk/harbordesk/internal/store/privacy"
)

// fakeTerminator records terminations like Temporal does: a workflow can be
// terminated once; after that (or if it never ran) it is NotFound.
type fakeTerminator struct {
	mu      sync.Mutex
	running map[string]bool
	reasons []string
	err     error
}

func (f *fakeTerminator) TerminateWorkflow(_ context.Context, id, _, reason string, _ ...interface{}) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return f.err
	}
	if !f.running[id] {
		return serviceerror.NewNotFound("workflow execution already completed")
	}
	delete(f.running, id)
	f.reasons = append(f.reasons, reason)
	return nil
}

func privacyServer(t *testing.T, term *fakeTerminator) (*httptest.Server, *store.Store) {
	t.Helper()
	st := pgtest.New(t)
	srv := &Server{Store: st, MaxBody: 1 << 20, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Registry: prometheus.NewRegistry(),
		Extra:    []func(*gin.Engine, *Server){MountPrivacy(Privacy{Terminator: term, SubjectKey: []byte("test-key")})},
		Keys: map[string]config.APIKey{
			"admin-key":  {Key: "admin-key", Role: config.RoleAdmin, Identity: "dpo-dora"},
			"agent-key":  {Key: "agent-key", Role: config.RoleAgent, Identity: "agent-ken"},
			"intake-key": {Key: "intake-key", Role: config.RoleIntake, Identity: "web-widget"},
		}}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts, st
}

// seedCustomer records one contact with a message and a reply through the
// store, as the ContactWorkflow's activities do, and returns its workflow ID.
func seedCustomer(t *testing.T, st *store.Store, customer, conversation, text string) string {
	t.Helper()
	ctx := context.Background()
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	wf := contact.WorkflowID("web", conversation)
	p := contact.Params{ContactID: contact.ID(wf), Channel: "web", ConversationID: conversation, CustomerID: customer, Arm: "ai"}
	if _, _, err := contacts.New(st.Pool).EnsureContact(ctx, contacts.NewContact{ID: p.ContactID, WorkflowID: wf, Channel: "web",
		ConversationID: conversation, CustomerID: customer, Arm: "ai", ReceivedAt: at}); err != nil {
		t.Fatal(err)
	}
	if _, err := contacts.New(st.Pool).RecordIntake(ctx, contacts.Intake{Params: p, MessageID: "m1", Kind: "text", ReceivedAt: at,
		Reading:    contact.Reading{Language: "en", Script: "Latn", Intent: "refund_request", Priority: "P2", Negative: true, MaskedText: text},
		TicketKind: "refund", Summary: text, NoticeVer: "v1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := contacts.New(st.Pool).RecordReply(ctx, contacts.ReplyRecord{Params: p, Reply: contact.Reply{Key: "r1", Author: "bot", Kind: "answer"},
		MaskedText: "reply to " + customer, At: at.Add(time.Second)}); err != nil {
		t.Fatal(err)
	}
	return wf
}

type privReq struct {
	method, path, key, body string
}

func (r privReq) do(t *testing.T, ts *httptest.Server) (int, []byte, http.Header) {
	t.Helper()
	req, err := http.NewRequest(r.method, ts.URL+r.path, strings.NewReader(r.body))
	if err != nil {
		t.Fatal(err)
	}
	if r.key != "" {
		req.Header.Set("Authorization", "Bearer "+r.key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b, resp.Header
}

func TestPrivacyAuthAndValidation(t *testing.T) {
	ts, _ := privacyServer(t, &fakeTerminator{})
	cases := []struct {
		name string
		req  privReq
		want int
	}{
		{"export without key", privReq{"GET", "/v1/customers/c1/export", "", ""}, 401},
		{"export as agent", privReq{"GET", "/v1/customers/c1/export", "agent-key", ""}, 403},
		{"export unknown customer", privReq{"GET", "/v1/customers/nobody/export", "admin-key", ""}, 404},
		{"export id too long", privReq{"GET", "/v1/customers/" + strings.Repeat("x", 201) + "/export", "admin-key", ""}, 404},
		{"erase without key", privReq{"DELETE", "/v1/customers/c1", "", ""}, 401},
		{"erase with unknown key", privReq{"DELETE", "/v1/customers/c1", "nope", ""}, 401},
		{"erase as agent", privReq{"DELETE", "/v1/customers/c1", "agent-key", ""}, 403},
		{"erase unknown customer", privReq{"DELETE", "/v1/customers/nobody", "admin-key", ""}, 404},
		{"training as intake", privReq{"GET", "/v1/training/export", "intake-key", ""}, 403},
		{"training without key", privReq{"GET", "/v1/training/export", "", ""}, 401},
		{"consent without key", privReq{"POST", "/v1/customers/c1/consent", "", `{"purpose":"training","granted":true}`}, 401},
		{"consent malformed", privReq{"POST", "/v1/customers/c1/consent", "admin-key", `{"purpose":`}, 400},
		{"consent empty", privReq{"POST", "/v1/customers/c1/consent", "admin-key", ``}, 400},
		{"consent wrong type", privReq{"POST", "/v1/customers/c1/consent", "admin-key", `{"purpose":"training","granted":"yes"}`}, 422},
		{"consent other purpose", privReq{"POST", "/v1/customers/c1/consent", "admin-key", `{"purpose":"marketing","granted":true}`}, 422},
		{"consent without granted", privReq{"POST", "/v1/customers/c1/consent", "admin-key", `{"purpose":"training"}`}, 422},
		{"consent version too long", privReq{"POST", "/v1/customers/c1/consent", "admin-key", `{"purpose":"training","granted":true,"version":"` + strings.Repeat("v", 65) + `"}`}, 422},
		{"consent as intake", privReq{"POST", "/v1/customers/c1/consent", "intake-key", `{"purpose":"training","granted":true}`}, 403},
		{"consent as admin", privReq{"POST", "/v1/customers/c1/consent", "admin-key", `{"purpose":"training","granted":false,"version":"t2"}`}, 200},
	}
	for _, c := range cases {
		code, body, _ := c.req.do(t, ts)
		if code != c.want {
			t.Errorf("%s: %d %s, want %d", c.name, code, body, c.want)
			continue
		}
		if code >= 400 {
			var e errorBody
			if err := json.Unmarshal(body, &e); err != nil || e.Error.Code == "" {
				t.Errorf("%s: error body %s", c.name, body)
			}
		}
	}
}

func TestCustomerExportAndErasure(t *testing.T) {
	term := &fakeTerminator{running: map[string]bool{}}
	ts, st := privacyServer(t, term)
	ctx := context.Background()
	wf1 := seedCustomer(t, st, "cust-9137", "conv-a", "refund for order HK20461 please [PHONE]")
	wf2 := seedCustomer(t, st, "cust-9137", "conv-b", "still waiting for my refund")
	seedCustomer(t, st, "cust-other", "conv-c", "other customer text")
	term.running[wf1] = true // conv-b's workflow already finished

	code, body, _ := privReq{"GET", "/v1/customers/cust-9137/export", "admin-key", ""}.do(t, ts)
	if code != 200 {
		t.Fatalf("export: %d %s", code, body)
	}
	var x privacy.CustomerExport
	if err := json.Unmarshal(body, &x); err != nil {
		t.Fatal(err)
	}
	if len(x.Contacts) != 2 || x.Contacts[0].Transcript[0].Text == "" || len(x.Contacts[0].Replies) == 0 ||
		x.Contacts[0].Ticket == nil || len(x.Consents) != 1 || len(x.KPIEvents) == 0 {
		t.Errorf("export %s", body)
	}
	if bytes.Contains(body, []byte("other customer text")) {
		t.Error("export leaks another customer")
	}
	var actor, subject string
	if err := st.Pool.QueryRow(ctx, `SELECT actor, subject FROM audit_log WHERE action = 'export'`).Scan(&actor, &subject); err != nil ||
		actor != "dpo-dora" || subject != privacy.CustomerSubject([]byte("test-key"), "cust-9137") {
		t.Errorf("export audit: %q %q %v", actor, subject, err)
	}

	// Temporal down: 503 and nothing erased.
	term.err = errors.New("connection refused")
	if code, body, _ := (privReq{"DELETE", "/v1/customers/cust-9137", "admin-key", ""}).do(t, ts); code != 503 || bytes.Contains(body, []byte("refused")) {
		t.Errorf("erase with Temporal down: %d %s", code, body)
	}
	if wfs, _ := privacy.New(st.Pool).CustomerWorkflows(ctx, "cust-9137"); len(wfs) != 2 {
		t.Errorf("data erased although Temporal was down")
	}
	term.err = nil

	code, body, _ = privReq{"DELETE", "/v1/customers/cust-9137", "admin-key", ""}.do(t, ts)
	if code != 200 {
		t.Fatalf("erase: %d %s", code, body)
	}
	var n erasureResponse
	if err := json.Unmarshal(body, &n); err != nil {
		t.Fatal(err)
	}
	if n.Contacts != 2 || n.Messages != 2 || n.Replies < 2 || n.Tickets != 2 || n.Consents != 1 || n.WorkflowsTerminated != 1 {
		t.Errorf("erase counts %s", body)
	}
	if len(term.reasons) != 1 || strings.Contains(term.reasons[0], "cust") || term.running[wf1] {
		t.Errorf("terminations %v (running %v, %s)", term.reasons, term.running, wf2)
	}
	var left int
	if err := st.Pool.QueryRow(ctx, `
		SELECT (SELECT count(*) FROM messages m WHERE strpos(m.text, 'refund') > 0)
		     + (SELECT count(*) FROM contacts WHERE customer_id = 'cust-9137')
		     + (SELECT count(*) FROM audit_log WHERE strpos(subject || detail::text, 'cust-9137') > 0)`).Scan(&left); err != nil || left != 0 {
		t.Errorf("left after erasure: %d %v", left, err)
	}
	var auditActor string
	if err := st.Pool.QueryRow(ctx, `SELECT actor FROM audit_log WHERE action = 'erase'`).Scan(&auditActor); err != nil || auditActor != "dpo-dora" {
		t.Errorf("erase audit actor %q %v", auditActor, err)
	}

	// Idempotent: the second request finds nothing.
	for _, r := range []privReq{{"DELETE", "/v1/customers/cust-9137", "admin-key", ""}, {"GET", "/v1/customers/cust-9137/export", "admin-key", ""}} {
		if code, body, _ := r.do(t, ts); code != 404 {
			t.Errorf("%s after erasure: %d %s", r.method, code, body)
		}
	}
	if code, _, _ := (privReq{"GET", "/v1/customers/cust-other/export", "admin-key", ""}).do(t, ts); code != 200 {
		t.Errorf("other customer's export: %d", code)
	}
}

func TestTrainingExportConsent(t *testing.T) {
	ts, st := privacyServer(t, &fakeTerminator{})
	ctx := context.Background()
	// Empty corpus: 200 with no lines.
	if code, body, h := (privReq{"GET", "/v1/training/export", "admin-key", ""}).do(t, ts); code != 200 || len(body) != 0 ||
		h.Get("Content-Type") != "application/x-ndjson" {
		t.Errorf("empty export: %d %q %v", code, body, h)
	}
	seedCustomer(t, st, "cust-yes", "conv-y", "I want a refund for the broken kettle")
	seedCustomer(t, st, "cust-no", "conv-n", "NON-CONSENTING secret words")
	seedCustomer(t, st, "cust-crm", "conv-crm", "crm-consented refund text")
	seedCustomer(t, st, "cust-withdrawn", "conv-w", "withdrawn customer words")
	if _, err := st.Pool.Exec(ctx, `INSERT INTO crm_customers (customer_id, training_consent) VALUES ('cust-crm', true), ('cust-withdrawn', true), ('cust-no', false)`); err != nil {
		t.Fatal(err)
	}
	for _, r := range []privReq{
		{"POST", "/v1/customers/cust-yes/consent", "admin-key", `{"purpose":"training","granted":true}`},
		{"POST", "/v1/customers/cust-withdrawn/consent", "admin-key", `{"purpose":"training","granted":false}`},
	} {
		code, body, _ := r.do(t, ts)
		var v privacy.ConsentView
		if code != 200 || json.Unmarshal(body, &v) != nil || v.Version != TrainingConsentVersion || v.At.IsZero() {
			t.Fatalf("consent: %d %s", code, body)
		}
	}

	code, body, h := privReq{"GET", "/v1/training/export", "admin-key", ""}.do(t, ts)
	if code != 200 || h.Get("Content-Type") != "application/x-ndjson" {
		t.Fatalf("training export: %d %v", code, h)
	}
	var texts []string
	sc := bufio.NewScanner(bytes.NewReader(body))
	for sc.Scan() {
		var e map[string]any
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		if len(e) != 6 || e["training_consent"] != true || e["script"] != "Latn" || e["lang"] != "en" || e["intent"] != "refund_request" || e["negative"] != true {
			t.Errorf("example %v", e)
		}
		texts = append(texts, e["text"].(string))
	}
	all := strings.Join(texts, "\n")
	if len(texts) != 2 || !strings.Contains(all, "broken kettle") || !strings.Contains(all, "crm-consented") {
		t.Errorf("examples %q", texts)
	}
	if strings.Contains(all, "NON-CONSENTING") || strings.Contains(all, "withdrawn") {
		t.Errorf("non-consenting customer's text exported: %q", texts)
	}
	// The export feeds `harbordesk train --corrections` as is.
	cs, err := nlu.ReadCorrections(bytes.NewReader(body))
	if err != nil || len(nlu.TrainingExamples(cs)) != 2 {
		t.Errorf("as corrections: %d usable, %v", len(nlu.TrainingExamples(cs)), err)
	}
	var audited int
	if err := st.Pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action = 'training_export' AND actor = 'dpo-dora'`).Scan(&audited); err != nil || audited != 2 {
		t.Errorf("training export audits %d %v", audited, err)
	}
}

func TestPrivacyDatabaseDown(t *testing.T) {
	ts, st := privacyServer(t, &fakeTerminator{})
	st.Close()
	for _, r := range []privReq{
		{"GET", "/v1/customers/c1/export", "admin-key", ""},
		{"DELETE", "/v1/customers/c1", "admin-key", ""},
		{"POST", "/v1/customers/c1/consent", "admin-key", `{"purpose":"training","granted":true}`},
		{"GET", "/v1/training/export", "admin-key", ""},
	} {
		code, body, _ := r.do(t, ts)
		if code != 503 || bytes.Contains(body, []byte("closed")) {
			t.Errorf("%s %s with database down: %d %s", r.method, r.path, code, body)
		}
	}
}
