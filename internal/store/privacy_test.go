package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/harbordesk/harbordesk/internal/codec"
	"github.com/harbordesk/harbordesk/internal/config"
	"github.com/harbordesk/harbordesk/internal/contact"
	"github.com/harbordesk/harbordesk/internal/pgtest"
	"github.com/harbordesk/harbordesk/internal/store"
)

// seeded is one customer's contact as the workflow would have recorded it.
type seeded struct {
	customer, conversation, contactID, message, reply, agentText, summary string
}

func seed(t testing.TB, st *store.Store, customer, tag string, at time.Time, resolve bool) seeded {
	t.Helper()
	ctx := context.Background()
	s := seeded{customer: customer, conversation: "conv-" + tag,
		message: "我張單 HK" + tag + " 幾時到？ [PHONE] msg-" + tag, reply: "reply-" + tag + " 已幫你查緊",
		agentText: "agent-note-" + tag, summary: "summary-" + tag}
	wf := contact.WorkflowID("web", s.conversation)
	s.contactID = contact.ID(wf)
	p := contact.Params{ContactID: s.contactID, Channel: "web", ConversationID: s.conversation, CustomerID: customer, Arm: "ai"}
	if _, _, err := st.EnsureContact(ctx, store.NewContact{ID: s.contactID, WorkflowID: wf, Channel: "web",
		ConversationID: s.conversation, CustomerID: customer, Arm: "ai", ReceivedAt: at}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.RecordIntake(ctx, store.Intake{Params: p, MessageID: "m1", Kind: "text", ReceivedAt: at,
		Reading:    contact.Reading{Language: "yue", Script: "Hant", Intent: "order_status", Priority: "P2", Negative: true, MaskedText: s.message},
		TicketKind: "tracking", Summary: s.summary, NoticeVer: "v1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.RecordReply(ctx, store.ReplyRecord{Params: p, Reply: contact.Reply{Key: "r1", Author: "bot", Kind: "answer"},
		MaskedText: s.reply, At: at.Add(time.Second)}); err != nil {
		t.Fatal(err)
	}
	h := contact.Handoff{ID: contact.HandoffID(s.contactID, 1), State: "open", Priority: "P2", Reason: "negative", OpenedAt: at}
	if err := st.OpenHandoff(ctx, p, h, "yue", at.Add(30*time.Minute), false); err != nil {
		t.Fatal(err)
	}
	if _, err := st.RecordEscalation(ctx, store.Escalation{ID: contact.EscalationID(h.ID, 1), ContactID: s.contactID,
		HandoffID: h.ID, Reason: "sla_breached", Level: 1, Deadline: at.Add(30 * time.Minute)}); err != nil {
		t.Fatal(err)
	}
	if err := st.RecordClaim(ctx, s.contactID, h.ID, "agent-1", at.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if resolve {
		if err := st.RecordResolve(ctx, store.Resolution{Params: p, HandoffID: h.ID, Agent: "agent-1",
			Text: s.agentText, Code: "answered", At: at.Add(2 * time.Minute)}); err != nil {
			t.Fatal(err)
		}
	}
	ring, err := codec.ParseKeyring(config.DevDataKey)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := (store.AudioVault{Store: st, Ring: ring}).Put(ctx, s.contactID, "audio/ogg", []byte("voice-"+tag)); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Pool.Exec(ctx, `
		INSERT INTO crm_customers (customer_id, vip_tier, preferred_language) VALUES ($1,'gold','yue') ON CONFLICT DO NOTHING;`, customer); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Pool.Exec(ctx, `INSERT INTO crm_orders (order_no, customer_id, status, tracking_no) VALUES ($1,$2,'shipped',$3)`,
		"HK"+tag, customer, "SF"+tag); err != nil {
		t.Fatal(err)
	}
	if err := st.Audit(ctx, "agent-1", "agent", "reveal", customer, map[string]any{"field": "phone"}); err != nil {
		t.Fatal(err)
	}
	return s
}

var admin = store.Actor{Identity: "dpo", Role: "admin"}

func TestCustomerSubject(t *testing.T) {
	a := store.CustomerSubject([]byte("k1"), "c-1")
	cases := []struct {
		name string
		got  string
		same bool
	}{
		{"same key and id", store.CustomerSubject([]byte("k1"), "c-1"), true},
		{"other key", store.CustomerSubject([]byte("k2"), "c-1"), false},
		{"other id", store.CustomerSubject([]byte("k1"), "c-2"), false},
	}
	for _, c := range cases {
		if (c.got == a) != c.same {
			t.Errorf("%s: %q vs %q", c.name, c.got, a)
		}
	}
	if !strings.HasPrefix(a, "cust_") || strings.Contains(a, "c-1") {
		t.Errorf("subject %q", a)
	}
}

func TestCustomerExport(t *testing.T) {
	st := pgtest.New(t)
	ctx := context.Background()
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	mine := seed(t, st, "cust-A", "1001", at, true)
	other := seed(t, st, "cust-B", "2002", at, false)
	subj := store.CustomerSubject([]byte("k"), "cust-A")
	if _, err := st.RecordConsent(ctx, store.ConsentRecord{CustomerID: "cust-A", Purpose: "training", Version: "t1", Granted: true}, subj, admin); err != nil {
		t.Fatal(err)
	}

	x, err := st.CustomerExport(ctx, "cust-A", subj, admin)
	if err != nil {
		t.Fatal(err)
	}
	if len(x.Contacts) != 1 {
		t.Fatalf("contacts = %d", len(x.Contacts))
	}
	c := x.Contacts[0]
	checks := []struct {
		name string
		ok   bool
	}{
		{"contact id", c.ID == mine.contactID},
		{"transcript", len(c.Transcript) == 1 && c.Transcript[0].Text == mine.message},
		{"replies", len(c.Replies) >= 1 && c.Replies[0].Text == mine.reply},
		{"ticket", c.Ticket != nil && c.Ticket.Summary == mine.summary && strings.Contains(c.Ticket.Resolution, mine.agentText)},
		{"handoffs", len(c.Handoffs) == 1 && c.Handoff != nil && c.Handoff.State == "resolved"},
		{"escalations", len(c.Escalations) == 1},
		{"ticket events", len(c.TicketEvents) >= 3},
		{"consents", len(x.Consents) == 2}, // notice + training
		{"kpi events", len(x.KPIEvents) >= 3},
		{"crm customer", x.CRM.Customer != nil && x.CRM.Customer.VIPTier == "gold"},
		{"crm orders", len(x.CRM.Orders) == 1 && x.CRM.Orders[0].TrackingNo == "SF1001"},
		{"audio", len(x.AudioBlobs) == 1},
		{"audit: reveal, claim, resolve, consent", countActions(x.Audit, "reveal", "claim", "resolve", "consent") == 4},
	}
	for _, ch := range checks {
		if !ch.ok {
			t.Errorf("export %s wrong: %+v", ch.name, x)
		}
	}
	for _, k := range x.KPIEvents {
		if k.ContactID != mine.contactID {
			t.Errorf("kpi event of another contact: %+v", k)
		}
	}
	for _, a := range x.Audit {
		if a.Subject == other.customer {
			t.Errorf("other customer's audit entry exported")
		}
	}
	var exports int
	if err := st.Pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action = 'export' AND subject = $1 AND actor = 'dpo'`, subj).Scan(&exports); err != nil || exports != 1 {
		t.Errorf("export audit entries = %d, %v", exports, err)
	}

	if _, err := st.CustomerExport(ctx, "nobody", "cust_x", admin); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown customer: %v", err)
	}
	// Only a consent held still counts as data held.
	if _, err := st.RecordConsent(ctx, store.ConsentRecord{CustomerID: "cust-C", Purpose: "training", Version: "t1"}, "s", admin); err != nil {
		t.Fatal(err)
	}
	if x, err := st.CustomerExport(ctx, "cust-C", "s", admin); err != nil || len(x.Consents) != 1 {
		t.Errorf("consent-only customer: %+v, %v", x, err)
	}
}

func countActions(a []store.AuditView, actions ...string) int {
	n := 0
	for _, e := range a {
		for _, want := range actions {
			if e.Action == want {
				n++
			}
		}
	}
	return n
}

// dumpText reads every text-like column of every table in the database.
func dumpText(t *testing.T, st *store.Store) string {
	t.Helper()
	ctx := context.Background()
	rows, err := st.Pool.Query(ctx, `
		SELECT table_name, column_name FROM information_schema.columns
		WHERE table_schema = 'public' AND data_type IN ('text','jsonb','json','character varying','bytea')`)
	if err != nil {
		t.Fatal(err)
	}
	type col struct{ Table, Column string }
	cols, err := pgx.CollectRows(rows, pgx.RowToStructByPos[col])
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, c := range cols {
		q := fmt.Sprintf(`SELECT COALESCE(string_agg(%s::text, E'\n'), '') FROM %s`,
			pgx.Identifier{c.Column}.Sanitize(), pgx.Identifier{c.Table}.Sanitize())
		var s string
		if err := st.Pool.QueryRow(ctx, q).Scan(&s); err != nil {
			t.Fatal(err)
		}
		b.WriteString(s + "\n")
	}
	if len(cols) < 40 {
		t.Fatalf("only %d text columns scanned", len(cols))
	}
	return b.String()
}

func TestEraseCustomer(t *testing.T) {
	st := pgtest.New(t)
	ctx := context.Background()
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	gone := seed(t, st, "cust-erase-7Q", "3003", at, true)
	kept := seed(t, st, "cust-keep-8R", "4004", at, true)
	subj := store.CustomerSubject([]byte("k"), gone.customer)
	if _, err := st.RecordConsent(ctx, store.ConsentRecord{CustomerID: gone.customer, Purpose: "training", Version: "t1", Granted: true}, subj, admin); err != nil {
		t.Fatal(err)
	}
	var kpiBefore int
	if err := st.Pool.QueryRow(ctx, `SELECT count(*) FROM kpi_events`).Scan(&kpiBefore); err != nil {
		t.Fatal(err)
	}

	n, err := st.EraseCustomer(ctx, gone.customer, subj, admin)
	if err != nil {
		t.Fatal(err)
	}
	want := store.ErasureCounts{Contacts: 1, Messages: 1, Tickets: 1, Handoffs: 1, Consents: 2, CRMCustomers: 1, CRMOrders: 1, AudioBlobs: 1}
	if n.Contacts != want.Contacts || n.Messages != want.Messages || n.Tickets != want.Tickets || n.Handoffs != want.Handoffs ||
		n.Consents != want.Consents || n.CRMCustomers != want.CRMCustomers || n.CRMOrders != want.CRMOrders ||
		n.AudioBlobs != want.AudioBlobs || n.Replies < 1 || n.KPIEvents < 3 || n.AuditScrubs < 3 {
		t.Errorf("counts = %+v", n)
	}

	dump := dumpText(t, st)
	for _, secret := range []string{gone.customer, gone.conversation, gone.contactID, gone.message, gone.reply,
		gone.agentText, gone.summary, "SF3003", "HK3003"} {
		if strings.Contains(dump, secret) {
			t.Errorf("erased customer's %q still in the database", secret)
		}
	}
	// The scan sees data: the other customer is untouched.
	for _, still := range []string{kept.customer, kept.message, kept.reply, kept.summary, "SF4004"} {
		if !strings.Contains(dump, still) {
			t.Errorf("other customer's %q was lost", still)
		}
	}
	var kpiAfter, erased int
	if err := st.Pool.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE contact_id LIKE 'anon_%') FROM kpi_events`).Scan(&kpiAfter, &erased); err != nil {
		t.Fatal(err)
	}
	if kpiAfter != kpiBefore || int64(erased) != n.KPIEvents {
		t.Errorf("kpi events before %d after %d, de-identified %d (want %d)", kpiBefore, kpiAfter, erased, n.KPIEvents)
	}
	var audited int
	if err := st.Pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action = 'erase' AND subject = $1 AND actor = 'dpo'`, subj).Scan(&audited); err != nil || audited != 1 {
		t.Errorf("erase audit entries = %d, %v", audited, err)
	}

	// Idempotent: nothing left, so a repeat is ErrNotFound and changes nothing.
	if _, err := st.EraseCustomer(ctx, gone.customer, subj, admin); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("second erasure: %v", err)
	}
	if _, err := st.CustomerExport(ctx, gone.customer, subj, admin); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("export after erasure: %v", err)
	}
	if wf, err := st.CustomerWorkflows(ctx, kept.customer); err != nil || len(wf) != 1 || wf[0] != contact.WorkflowID("web", kept.conversation) {
		t.Errorf("workflows of kept customer: %v, %v", wf, err)
	}
}

func TestTrainingExamplesConsent(t *testing.T) {
	st := pgtest.New(t)
	ctx := context.Background()
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	cases := []struct {
		customer string
		crm      *bool // crm_customers.training_consent
		consent  *bool // consents row purpose=training
		want     bool
	}{
		{"cust-none", nil, nil, false},
		{"cust-crm-yes", ptr(true), nil, true},
		{"cust-crm-no", ptr(false), nil, false},
		{"cust-row-yes", nil, ptr(true), true},
		{"cust-row-no", nil, ptr(false), false},
		{"cust-crm-yes-withdrawn", ptr(true), ptr(false), false},
		{"cust-crm-no-row-yes", ptr(false), ptr(true), true},
	}
	msgs := map[string]string{}
	for i, c := range cases {
		s := seed(t, st, c.customer, fmt.Sprint(5000+i), at, true)
		msgs[c.customer] = s.message
		if c.crm != nil {
			if _, err := st.Pool.Exec(ctx, `UPDATE crm_customers SET training_consent = $2 WHERE customer_id = $1`, c.customer, *c.crm); err != nil {
				t.Fatal(err)
			}
		} else if _, err := st.Pool.Exec(ctx, `DELETE FROM crm_customers WHERE customer_id = $1`, c.customer); err != nil {
			t.Fatal(err)
		}
		if c.consent != nil {
			if _, err := st.RecordConsent(ctx, store.ConsentRecord{CustomerID: c.customer, Purpose: "training", Version: "t1", Granted: *c.consent}, "s", admin); err != nil {
				t.Fatal(err)
			}
		}
	}
	got := map[string]store.TrainingExample{}
	n, err := st.TrainingExamples(ctx, admin, func(e store.TrainingExample) error { got[e.Text] = e; return nil })
	if err != nil {
		t.Fatal(err)
	}
	wantN := 0
	for _, c := range cases {
		e, in := got[msgs[c.customer]]
		if in != c.want {
			t.Errorf("%s: exported=%v want %v", c.customer, in, c.want)
		}
		if c.want {
			wantN++
			if e.Lang != "yue" || e.Script != "Hant" || e.Intent != "order_status" || !e.Negative || !e.TrainingConsent {
				t.Errorf("%s: labels %+v", c.customer, e)
			}
		}
	}
	if n != wantN || len(got) != wantN {
		t.Errorf("n = %d, got %d, want %d", n, len(got), wantN)
	}
	// A callback error stops the export and is returned.
	boom := errors.New("client gone")
	if _, err := st.TrainingExamples(ctx, admin, func(store.TrainingExample) error { return boom }); !errors.Is(err, boom) {
		t.Errorf("callback error: %v", err)
	}
	// Erased texts never enter the corpus.
	if _, err := st.Pool.Exec(ctx, `UPDATE contacts SET updated_at = resolved_at`); err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.PurgeExpired(ctx, time.Now(), 100); err != nil {
		t.Fatal(err)
	}
	n, err = st.TrainingExamples(ctx, admin, func(store.TrainingExample) error { return nil })
	if err != nil || n != 0 {
		t.Errorf("after retention: %d examples, %v", n, err)
	}
}

func ptr(b bool) *bool { return &b }

func TestPurgeExpired(t *testing.T) {
	st := pgtest.New(t)
	ctx := context.Background()
	old := time.Now().Add(-400 * 24 * time.Hour)
	var expired []seeded
	for i := 0; i < 5; i++ {
		expired = append(expired, seed(t, st, fmt.Sprintf("cust-old-%d", i), fmt.Sprint(6000+i), old, true))
	}
	open := seed(t, st, "cust-open", "6100", old, false)        // never resolved
	recent := seed(t, st, "cust-new", "6200", time.Now(), true) // resolved now
	// The workflow's writes stamp updated_at with now(); age the old ones.
	if _, err := st.Pool.Exec(ctx, `UPDATE contacts SET updated_at = received_at + interval '1 hour' WHERE customer_id <> 'cust-new'`); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Pool.Exec(ctx, `UPDATE audio_blobs SET created_at = now() - interval '400 days' WHERE contact_id <> $1`, recent.contactID); err != nil {
		t.Fatal(err)
	}
	cutoff := time.Now().Add(-365 * 24 * time.Hour)

	var total store.PurgeCounts
	batches := 0
	for more := true; more; batches++ {
		n, m, err := st.PurgeExpired(ctx, cutoff, 2)
		if err != nil {
			t.Fatal(err)
		}
		more = m
		total.Contacts += n.Contacts
		total.Messages += n.Messages
		total.AudioBlobs += n.AudioBlobs
		if batches > 10 {
			t.Fatal("purge does not converge")
		}
	}
	if total.Contacts != 5 || total.Messages != 5 || total.AudioBlobs != 6 || batches != 3 {
		t.Errorf("total %+v in %d batches", total, batches)
	}
	dump := dumpText(t, st)
	for _, s := range expired {
		for _, secret := range []string{s.message, s.reply, s.summary, s.agentText} {
			if strings.Contains(dump, secret) {
				t.Errorf("expired %q survived retention", secret)
			}
		}
	}
	for _, still := range []string{open.message, recent.message, recent.reply, store.RetentionMarker} {
		if !strings.Contains(dump, still) {
			t.Errorf("%q should remain", still)
		}
	}
	c, err := st.Contact(ctx, expired[0].contactID)
	if err != nil || c.Transcript[0].Text != store.RetentionMarker || c.Ticket.Resolution != "answered" {
		t.Errorf("purged contact %+v, %v", c, err)
	}
	// Nothing left: a further run changes nothing and writes no audit entry.
	var audits int
	_ = st.Pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action = 'retention_purge'`).Scan(&audits)
	if n, more, err := st.PurgeExpired(ctx, cutoff, 2); err != nil || more || n != (store.PurgeCounts{}) {
		t.Errorf("idle run: %+v %v %v", n, more, err)
	}
	var after int
	_ = st.Pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action = 'retention_purge'`).Scan(&after)
	if audits != 3 || after != audits {
		t.Errorf("retention audit entries %d then %d", audits, after)
	}
}

func TestPrivacyErrorsWhenDatabaseGone(t *testing.T) {
	st := pgtest.New(t)
	st.Close()
	ctx := context.Background()
	if _, err := st.CustomerExport(ctx, "c", "s", admin); err == nil {
		t.Error("export on closed pool")
	}
	if _, err := st.EraseCustomer(ctx, "c", "s", admin); err == nil {
		t.Error("erase on closed pool")
	}
	if _, err := st.RecordConsent(ctx, store.ConsentRecord{CustomerID: "c", Purpose: "training", Version: "v"}, "s", admin); err == nil {
		t.Error("consent on closed pool")
	}
	if _, err := st.TrainingExamples(ctx, admin, func(store.TrainingExample) error { return nil }); err == nil {
		t.Error("training export on closed pool")
	}
	if _, _, err := st.PurgeExpired(ctx, time.Now(), 1); err == nil {
		t.Error("purge on closed pool")
	}
	if _, err := st.CustomerWorkflows(ctx, "c"); err == nil {
		t.Error("workflows on closed pool")
	}
}

// BenchmarkEraseCustomer measures one erasure of a customer with 3 full
// contacts (messages, replies, ticket, handoff, escalation, audio, CRM).
func BenchmarkEraseCustomer(b *testing.B) {
	st := pgtest.New(b)
	ctx := context.Background()
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		cust := fmt.Sprintf("bench-%d", i)
		for j := 0; j < 3; j++ {
			seed(b, st, cust, fmt.Sprintf("%d-%d", i, j), at, true)
		}
		b.StartTimer()
		if _, err := st.EraseCustomer(ctx, cust, "s", admin); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTrainingExamples measures the consent-gated corpus export over
// 200 contacts (half consenting), reported per exported example.
func BenchmarkTrainingExamples(b *testing.B) {
	st := pgtest.New(b)
	ctx := context.Background()
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	for i := 0; i < 200; i++ {
		cust := fmt.Sprintf("bench-%d", i)
		seed(b, st, cust, fmt.Sprint(i), at, true)
		if _, err := st.Pool.Exec(ctx, `UPDATE crm_customers SET training_consent = $2 WHERE customer_id = $1`, cust, i%2 == 0); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	total := 0
	for i := 0; i < b.N; i++ {
		n, err := st.TrainingExamples(ctx, admin, func(store.TrainingExample) error { return nil })
		if err != nil || n != 100 {
			b.Fatal(n, err)
		}
		total += n
	}
	b.ReportMetric(float64(total)/b.Elapsed().Seconds(), "examples/s")
}
