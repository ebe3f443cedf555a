package privacy_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/harbordesk/harbordesk/internal/contact"
	"github.com/harbordesk/harbordesk/internal/pgtest"
	"github.com/harbordesk/harbordesk/internal/store"
	"github.com/harbordesk/harbordesk/internal/store/privacy"
)

// testDB is one migrated database for the package; each test runs in its own
// transaction on it and rolls back (river-style), so tests share no rows.
var testDB pgtest.Package

func TestMain(m *testing.M) { testDB.Run(m) }

// tx returns a transaction on the package database, rolled back at the end.
func tx(t testing.TB) pgx.Tx { return testDB.Tx(t) }

// seeded is one customer's contact as the workflow would have recorded it.
type seeded struct {
	customer, conversation, contactID, message, reply, agentText, summary string
}

// seed writes, in x, the rows the contact workflow records for one customer
// contact (intake, bot reply, handoff, SLA escalation, claim and, with
// resolve, the agent's resolution), a voice note, CRM rows and a reveal
// audit entry. internal/store's workflow writes run on its pool, so the
// rows are written here directly and roll back with the test.
func seed(t testing.TB, x pgx.Tx, customer, tag string, at time.Time, resolve bool) seeded {
	t.Helper()
	ctx := context.Background()
	s := seeded{customer: customer, conversation: "conv-" + tag,
		message: "我張單 HK" + tag + " 幾時到？ [PHONE] msg-" + tag, reply: "reply-" + tag + " 已幫你查緊",
		agentText: "agent-note-" + tag, summary: "summary-" + tag}
	wf := contact.WorkflowID("web", s.conversation)
	s.contactID = contact.ID(wf)
	ticket := contact.TicketID(s.contactID)
	h := contact.HandoffID(s.contactID, 1)
	state, hstate, tstatus, resolution := "with_agent", "claimed", "in_progress", ""
	var resolvedAt *time.Time
	if resolve {
		r := at.Add(2 * time.Minute)
		state, hstate, tstatus, resolution, resolvedAt = "resolved", "resolved", "resolved", "answered "+s.agentText, &r
	}
	stmts := []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO contacts (id, workflow_id, channel, conversation_id, customer_id, arm, received_at, language, script, intent,
			priority, negative, state, escalation_level, first_response_ms, resolved_at)
			VALUES ($1,$2,'web',$3,$4,'ai',$5,'yue','Hant','order_status','P2',true,$6,1,1000,$7)`,
			[]any{s.contactID, wf, s.conversation, customer, at, state, resolvedAt}},
		{`INSERT INTO messages (contact_id, message_id, kind, text, received_at, intent, negative) VALUES ($1,'m1','text',$2,$3,'order_status',true)`,
			[]any{s.contactID, s.message, at}},
		{`INSERT INTO replies (contact_id, reply_key, author, kind, text, at) VALUES ($1,'r1','bot','answer',$2,$3)`,
			[]any{s.contactID, s.reply, at.Add(time.Second)}},
		{`INSERT INTO tickets (id, contact_id, customer_id, channel, kind, intent, priority, status, language, arm, summary, resolution, resolved_at)
			VALUES ($1,$2,$3,'web','tracking','order_status','P2',$4,'yue','ai',$5,$6,$7)`,
			[]any{ticket, s.contactID, customer, tstatus, s.summary, resolution, resolvedAt}},
		{`INSERT INTO handoffs (id, contact_id, state, priority, language, reason, agent, sla_deadline, created_at, claimed_at, resolved_at)
			VALUES ($1,$2,$3,'P2','yue','negative','agent-1',$4,$5,$6,$7)`,
			[]any{h, s.contactID, hstate, at.Add(30 * time.Minute), at, at.Add(time.Minute), resolvedAt}},
		{`INSERT INTO escalations (id, contact_id, handoff_id, level, reason, deadline, state) VALUES ($1,$2,$3,1,'sla_breached',$4,'closed')`,
			[]any{contact.EscalationID(h, 1), s.contactID, h, at.Add(30 * time.Minute)}},
		{`INSERT INTO ticket_events (ticket_id, kind, detail) VALUES
			($1,'handoff_opened',jsonb_build_object('handoff',$2::text,'reason','negative','priority','P2')),
			($1,'escalated','{"level":1,"reason":"sla_breached"}'),
			($1,'claimed',jsonb_build_object('handoff',$2::text,'agent','agent-1'))`, []any{ticket, h}},
		{`INSERT INTO consents (customer_id, purpose, granted, version) VALUES ($1,'notice',true,'v1') ON CONFLICT DO NOTHING`, []any{customer}},
		{`INSERT INTO kpi_events (contact_id, kind, key, at, arm, language, channel, after_hours, bot, score) VALUES
			($1,'received','',$3,'ai','yue','web',false,false,0),
			($1,'first_reply','',$3::timestamptz + interval '1 second','ai','yue','web',false,true,0),
			($1,'handoff',$2,$3,'ai','yue','web',false,false,0),
			($1,'sla_breach',$2,$3::timestamptz + interval '30 minutes','ai','yue','web',false,false,0)`, []any{s.contactID, h, at}},
		{`INSERT INTO audio_blobs (id, contact_id, mime, key_id, sealed) VALUES ($1,$2,'audio/ogg','k1','\x00')`,
			[]any{"audio-" + tag, s.contactID}},
		{`INSERT INTO crm_customers (customer_id, vip_tier, preferred_language) VALUES ($1,'gold','yue') ON CONFLICT DO NOTHING`, []any{customer}},
		{`INSERT INTO crm_orders (order_no, customer_id, status, tracking_no) VALUES ($1,$2,'shipped',$3)`, []any{"HK" + tag, customer, "SF" + tag}},
		{`INSERT INTO audit_log (actor, role, action, subject, detail) VALUES ('agent-1','agent','reveal',$1,'{"field":"phone"}')`, []any{customer}},
		{`INSERT INTO audit_log (actor, action, subject) VALUES ('agent-1','claim',$1)`, []any{h}},
	}
	if resolve {
		stmts = append(stmts, []struct {
			sql  string
			args []any
		}{
			{`INSERT INTO ticket_events (ticket_id, kind, detail) VALUES ($1,'resolved',jsonb_build_object('handoff',$2::text,'agent','agent-1','code','answered'))`, []any{ticket, h}},
			{`INSERT INTO kpi_events (contact_id, kind, key, at, arm, language, channel, after_hours, bot, score) VALUES ($1,'resolved',$2,$3,'ai','yue','web',false,false,0)`, []any{s.contactID, h, *resolvedAt}},
			{`INSERT INTO audit_log (actor, action, subject, detail) VALUES ('agent-1','resolve',$1,'{"code":"answered"}')`, []any{h}},
		}...)
	}
	for _, st := range stmts {
		if _, err := x.Exec(ctx, st.sql, st.args...); err != nil {
			t.Fatalf("seed %s: %v\n%s", tag, err, st.sql)
		}
	}
	return s
}

var admin = store.Actor{Identity: "dpo", Role: "admin"}

func TestCustomerSubject(t *testing.T) {
	a := privacy.CustomerSubject([]byte("k1"), "c-1")
	cases := []struct {
		name string
		got  string
		same bool
	}{
		{"same key and id", privacy.CustomerSubject([]byte("k1"), "c-1"), true},
		{"other key", privacy.CustomerSubject([]byte("k2"), "c-1"), false},
		{"other id", privacy.CustomerSubject([]byte("k1"), "c-2"), false},
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
	x := tx(t)
	st := privacy.New(x)
	ctx := context.Background()
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	mine := seed(t, x, "cust-A", "1001", at, true)
	other := seed(t, x, "cust-B", "2002", at, false)
	subj := privacy.CustomerSubject([]byte("k"), "cust-A")
	if _, err := st.RecordConsent(ctx, privacy.ConsentRecord{CustomerID: "cust-A", Purpose: "training", Version: "t1", Granted: true}, subj, admin); err != nil {
		t.Fatal(err)
	}

	ex, err := st.CustomerExport(ctx, "cust-A", subj, admin)
	if err != nil {
		t.Fatal(err)
	}
	if len(ex.Contacts) != 1 {
		t.Fatalf("contacts = %d", len(ex.Contacts))
	}
	c := ex.Contacts[0]
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
		{"consents", len(ex.Consents) == 2}, // notice + training
		{"kpi events", len(ex.KPIEvents) >= 3},
		{"crm customer", ex.CRM.Customer != nil && ex.CRM.Customer.VIPTier == "gold"},
		{"crm orders", len(ex.CRM.Orders) == 1 && ex.CRM.Orders[0].TrackingNo == "SF1001"},
		{"audio", len(ex.AudioBlobs) == 1},
		{"audit: reveal, claim, resolve, consent", countActions(ex.Audit, "reveal", "claim", "resolve", "consent") == 4},
	}
	for _, ch := range checks {
		if !ch.ok {
			t.Errorf("export %s wrong: %+v", ch.name, ex)
		}
	}
	for _, k := range ex.KPIEvents {
		if k.ContactID != mine.contactID {
			t.Errorf("kpi event of another contact: %+v", k)
		}
	}
	for _, a := range ex.Audit {
		if a.Subject == other.customer {
			t.Errorf("other customer's audit entry exported")
		}
	}
	var exports int
	if err := x.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action = 'export' AND subject = $1 AND actor = 'dpo'`, subj).Scan(&exports); err != nil || exports != 1 {
		t.Errorf("export audit entries = %d, %v", exports, err)
	}

	if _, err := st.CustomerExport(ctx, "nobody", "cust_x", admin); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown customer: %v", err)
	}
	// Only a consent held still counts as data held.
	if _, err := st.RecordConsent(ctx, privacy.ConsentRecord{CustomerID: "cust-C", Purpose: "training", Version: "t1"}, "s", admin); err != nil {
		t.Fatal(err)
	}
	if ex, err := st.CustomerExport(ctx, "cust-C", "s", admin); err != nil || len(ex.Consents) != 1 {
		t.Errorf("consent-only customer: %+v, %v", ex, err)
	}
}

func countActions(a []privacy.AuditView, actions ...string) int {
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
func dumpText(t *testing.T, x pgx.Tx) string {
	t.Helper()
	ctx := context.Background()
	rows, err := x.Query(ctx, `
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
		if err := x.QueryRow(ctx, q).Scan(&s); err != nil {
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
	x := tx(t)
	st := privacy.New(x)
	ctx := context.Background()
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	gone := seed(t, x, "cust-erase-7Q", "3003", at, true)
	kept := seed(t, x, "cust-keep-8R", "4004", at, true)
	subj := privacy.CustomerSubject([]byte("k"), gone.customer)
	if _, err := st.RecordConsent(ctx, privacy.ConsentRecord{CustomerID: gone.customer, Purpose: "training", Version: "t1", Granted: true}, subj, admin); err != nil {
		t.Fatal(err)
	}
	var kpiBefore int
	if err := x.QueryRow(ctx, `SELECT count(*) FROM kpi_events`).Scan(&kpiBefore); err != nil {
		t.Fatal(err)
	}

	n, err := st.EraseCustomer(ctx, gone.customer, subj, admin)
	if err != nil {
		t.Fatal(err)
	}
	want := privacy.ErasureCounts{Contacts: 1, Messages: 1, Tickets: 1, Handoffs: 1, Consents: 2, CRMCustomers: 1, CRMOrders: 1, AudioBlobs: 1}
	if n.Contacts != want.Contacts || n.Messages != want.Messages || n.Tickets != want.Tickets || n.Handoffs != want.Handoffs ||
		n.Consents != want.Consents || n.CRMCustomers != want.CRMCustomers || n.CRMOrders != want.CRMOrders ||
		n.AudioBlobs != want.AudioBlobs || n.Replies < 1 || n.KPIEvents < 3 || n.AuditScrubs < 3 {
		t.Errorf("counts = %+v", n)
	}

	dump := dumpText(t, x)
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
	if err := x.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE contact_id LIKE 'anon_%') FROM kpi_events`).Scan(&kpiAfter, &erased); err != nil {
		t.Fatal(err)
	}
	if kpiAfter != kpiBefore || int64(erased) != n.KPIEvents {
		t.Errorf("kpi events before %d after %d, de-identified %d (want %d)", kpiBefore, kpiAfter, erased, n.KPIEvents)
	}
	var audited int
	if err := x.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action = 'erase' AND subject = $1 AND actor = 'dpo'`, subj).Scan(&audited); err != nil || audited != 1 {
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
	x := tx(t)
	st := privacy.New(x)
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
		s := seed(t, x, c.customer, fmt.Sprint(5000+i), at, true)
		msgs[c.customer] = s.message
		if c.crm != nil {
			if _, err := x.Exec(ctx, `UPDATE crm_customers SET training_consent = $2 WHERE customer_id = $1`, c.customer, *c.crm); err != nil {
				t.Fatal(err)
			}
		} else if _, err := x.Exec(ctx, `DELETE FROM crm_customers WHERE customer_id = $1`, c.customer); err != nil {
			t.Fatal(err)
		}
		if c.consent != nil {
			if _, err := st.RecordConsent(ctx, privacy.ConsentRecord{CustomerID: c.customer, Purpose: "training", Version: "t1", Granted: *c.consent}, "s", admin); err != nil {
				t.Fatal(err)
			}
		}
	}
	got := map[string]privacy.TrainingExample{}
	n, err := st.TrainingExamples(ctx, admin, func(e privacy.TrainingExample) error { got[e.Text] = e; return nil })
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
	if _, err := st.TrainingExamples(ctx, admin, func(privacy.TrainingExample) error { return boom }); !errors.Is(err, boom) {
		t.Errorf("callback error: %v", err)
	}
	// Erased texts never enter the corpus.
	if _, err := x.Exec(ctx, `UPDATE contacts SET updated_at = resolved_at`); err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.PurgeExpired(ctx, time.Now(), 100); err != nil {
		t.Fatal(err)
	}
	n, err = st.TrainingExamples(ctx, admin, func(privacy.TrainingExample) error { return nil })
	if err != nil || n != 0 {
		t.Errorf("after retention: %d examples, %v", n, err)
	}
}

func ptr(b bool) *bool { return &b }

func TestPurgeExpired(t *testing.T) {
	x := tx(t)
	st := privacy.New(x)
	ctx := context.Background()
	old := time.Now().Add(-400 * 24 * time.Hour)
	var expired []seeded
	for i := 0; i < 5; i++ {
		expired = append(expired, seed(t, x, fmt.Sprintf("cust-old-%d", i), fmt.Sprint(6000+i), old, true))
	}
	open := seed(t, x, "cust-open", "6100", old, false)        // never resolved
	recent := seed(t, x, "cust-new", "6200", time.Now(), true) // resolved now
	// The workflow's writes stamp updated_at with now(); age the old ones.
	if _, err := x.Exec(ctx, `UPDATE contacts SET updated_at = received_at + interval '1 hour' WHERE customer_id <> 'cust-new'`); err != nil {
		t.Fatal(err)
	}
	if _, err := x.Exec(ctx, `UPDATE audio_blobs SET created_at = now() - interval '400 days' WHERE contact_id <> $1`, recent.contactID); err != nil {
		t.Fatal(err)
	}
	cutoff := time.Now().Add(-365 * 24 * time.Hour)

	var total privacy.PurgeCounts
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
	dump := dumpText(t, x)
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
	var text, resolution string
	err := x.QueryRow(ctx, `SELECT m.text, t.resolution FROM messages m JOIN tickets t ON t.contact_id = m.contact_id WHERE m.contact_id = $1`,
		expired[0].contactID).Scan(&text, &resolution)
	if err != nil || text != store.RetentionMarker || resolution != "answered" {
		t.Errorf("purged contact: text %q resolution %q, %v", text, resolution, err)
	}
	// Nothing left: a further run changes nothing and writes no audit entry.
	var audits int
	_ = x.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action = 'retention_purge'`).Scan(&audits)
	if n, more, err := st.PurgeExpired(ctx, cutoff, 2); err != nil || more || n != (privacy.PurgeCounts{}) {
		t.Errorf("idle run: %+v %v %v", n, more, err)
	}
	var after int
	_ = x.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action = 'retention_purge'`).Scan(&after)
	if audits != 3 || after != audits {
		t.Errorf("retention audit entries %d then %d", audits, after)
	}
}

func TestPrivacyErrorsWhenDatabaseGone(t *testing.T) {
	testDB.Pool(t)
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, testDB.URL())
	if err != nil {
		t.Fatal(err)
	}
	pool.Close()
	st := privacy.New(pool)
	if _, err := st.CustomerExport(ctx, "c", "s", admin); err == nil {
		t.Error("export on closed pool")
	}
	if _, err := st.EraseCustomer(ctx, "c", "s", admin); err == nil {
		t.Error("erase on closed pool")
	}
	if _, err := st.RecordConsent(ctx, privacy.ConsentRecord{CustomerID: "c", Purpose: "training", Version: "v"}, "s", admin); err == nil {
		t.Error("consent on closed pool")
	}
	if _, err := st.TrainingExamples(ctx, admin, func(privacy.TrainingExample) error { return nil }); err == nil {
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
	x := tx(b)
	st := privacy.New(x)
	ctx := context.Background()
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		cust := fmt.Sprintf("bench-%d", i)
		for j := 0; j < 3; j++ {
			seed(b, x, cust, fmt.Sprintf("%d-%d", i, j), at, true)
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
	x := tx(b)
	st := privacy.New(x)
	ctx := context.Background()
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	for i := 0; i < 200; i++ {
		cust := fmt.Sprintf("bench-%d", i)
		seed(b, x, cust, fmt.Sprint(i), at, true)
		if _, err := x.Exec(ctx, `UPDATE crm_customers SET training_consent = $2 WHERE customer_id = $1`, cust, i%2 == 0); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	total := 0
	for i := 0; i < b.N; i++ {
		n, err := st.TrainingExamples(ctx, admin, func(privacy.TrainingExample) error { return nil })
		if err != nil || n != 100 {
			b.Fatal(n, err)
		}
		total += n
	}
	b.ReportMetric(float64(total)/b.Elapsed().Seconds(), "examples/s")
}
