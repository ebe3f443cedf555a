package documents_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/harbordesk/harbordesk/internal/playbook"
	"github.com/harbordesk/harbordesk/internal/store"
	"github.com/harbordesk/harbordesk/internal/store/documents"
)

// playbookDoc is the shipped playbook YAML under another version, with the
// business_hours playbook's ticket kind set to kind, the way an admin edits
// an exported set.
func playbookDoc(t testing.TB, version, kind string) []byte {
	t.Helper()
	src := string(playbook.DefaultYAML())
	def := playbook.Default()
	oldVersion := `version: "` + def.Version + `"`
	oldKind := "  - intent: business_hours\n    action: answer\n    ticket_kind: inquiry\n"
	if strings.Count(src, oldVersion) != 1 || strings.Count(src, oldKind) != 1 {
		t.Fatal("the default playbook YAML changed shape; update playbookDoc")
	}
	src = strings.Replace(src, oldVersion, `version: "`+version+`"`, 1)
	src = strings.Replace(src, oldKind, "  - intent: business_hours\n    action: answer\n    ticket_kind: "+kind+"\n", 1)
	return []byte(src)
}

func TestPlaybooksDefaultUntilImport(t *testing.T) {
	st := documents.New(tx(t))
	ctx := context.Background()
	set, fromDB, err := st.ActivePlaybooks(ctx)
	if err != nil || fromDB || set != playbook.Default() {
		t.Fatalf("empty table: fromDB=%v err=%v; want the shipped default", fromDB, err)
	}
	doc, fromDB, err := st.ActivePlaybookDocument(ctx)
	if err != nil || fromDB || string(doc) != string(playbook.DefaultYAML()) {
		t.Fatalf("empty table document: fromDB=%v err=%v", fromDB, err)
	}
	if rev, err := st.PlaybooksRevision(ctx); err != nil || rev != 0 {
		t.Fatalf("revision = %d, %v", rev, err)
	}
	if vs, err := st.PlaybookVersions(ctx); err != nil || len(vs) != 0 {
		t.Fatalf("versions: %+v %v", vs, err)
	}
}

func TestPlaybooksImportActivateRollback(t *testing.T) {
	x := tx(t)
	st := documents.New(x)
	ctx := context.Background()
	d1 := playbookDoc(t, "2027.1", "opening_hours")

	v, created, err := st.ImportPlaybooks(ctx, d1, true, admin1)
	if err != nil || !created || v.Version != "2027.1" || !v.Active || v.Author != "ops-amy" || v.ImportedAt.IsZero() {
		t.Fatalf("import: %+v created=%v err=%v", v, created, err)
	}
	set, fromDB, err := st.ActivePlaybooks(ctx)
	if err != nil || !fromDB || set.Version != "2027.1" || set.For("business_hours").TicketKind != "opening_hours" {
		t.Fatalf("active after import: %+v fromDB=%v err=%v", set, fromDB, err)
	}
	rev1, _ := st.PlaybooksRevision(ctx)

	// Staged import: stored, not in force.
	d2 := playbookDoc(t, "2027.2", "hours_question")
	if v, created, err = st.ImportPlaybooks(ctx, d2, false, admin2); err != nil || !created || v.Active {
		t.Fatalf("staged import: %+v created=%v err=%v", v, created, err)
	}
	if set, _, _ = st.ActivePlaybooks(ctx); set.Version != "2027.1" {
		t.Fatalf("staged import went live: %s", set.Version)
	}
	if err := st.ActivatePlaybooks(ctx, "2027.2", admin2); err != nil {
		t.Fatal(err)
	}
	if set, _, _ = st.ActivePlaybooks(ctx); set.Version != "2027.2" || set.For("business_hours").TicketKind != "hours_question" {
		t.Fatalf("active = %s after activate", set.Version)
	}
	// Activating the version in force again changes nothing and is not audited.
	if err := st.ActivatePlaybooks(ctx, "2027.2", admin2); err != nil {
		t.Fatal(err)
	}
	if rev2, _ := st.PlaybooksRevision(ctx); rev2 <= rev1 {
		t.Fatalf("revision did not grow: %d → %d", rev1, rev2)
	}
	vs, err := st.PlaybookVersions(ctx)
	if err != nil || len(vs) != 2 {
		t.Fatalf("versions: %+v %v", vs, err)
	}
	active := 0
	for _, x := range vs {
		if x.Active {
			active++
		}
	}
	if active != 1 {
		t.Fatalf("%d active versions, want exactly 1", active)
	}

	// Roll back by re-importing identical content: a no-op that activates.
	if _, created, err = st.ImportPlaybooks(ctx, d1, true, admin1); err != nil || created {
		t.Fatalf("identical re-import: created=%v err=%v", created, err)
	}
	if set, _, _ = st.ActivePlaybooks(ctx); set.Version != "2027.1" {
		t.Fatalf("rollback by re-import: %s", set.Version)
	}
	// The same playbooks with other comments and layout are the same version.
	relaid := append([]byte("# reviewed by ops\n"), d1...)
	if _, created, err = st.ImportPlaybooks(ctx, relaid, false, admin1); err != nil || created {
		t.Fatalf("re-import with a comment: created=%v err=%v", created, err)
	}
	// The stored document is what was sent, comments kept.
	doc, err := st.PlaybookDocument(ctx, "2027.2")
	if err != nil || string(doc) != string(d2) {
		t.Fatalf("stored document differs from the import (%v)", err)
	}
	if doc, fromDB, err := st.ActivePlaybookDocument(ctx); err != nil || !fromDB || string(doc) != string(d1) {
		t.Fatalf("active document: fromDB=%v err=%v", fromDB, err)
	}
	for action, want := range map[string]int{"playbooks.import": 2, "playbooks.activate": 3} {
		if n := auditCount(t, x, action); n != want {
			t.Errorf("%s audits = %d, want %d", action, n, want)
		}
	}
}

func TestPlaybooksErrors(t *testing.T) {
	x := tx(t)
	st := documents.New(x)
	ctx := context.Background()
	if _, _, err := st.ImportPlaybooks(ctx, playbookDoc(t, "2027.1", "opening_hours"), true, admin1); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		run  func() error
		want error
		msg  string
	}{
		{"same version, other playbooks", func() error {
			_, _, err := st.ImportPlaybooks(ctx, playbookDoc(t, "2027.1", "something_else"), true, admin2)
			return err
		}, store.ErrConflict, "already exists"},
		{"not yaml", func() error {
			_, _, err := st.ImportPlaybooks(ctx, []byte("version: ["), true, admin1)
			return err
		}, store.ErrInvalidDocument, "playbook:"},
		{"empty", func() error {
			_, _, err := st.ImportPlaybooks(ctx, nil, true, admin1)
			return err
		}, store.ErrInvalidDocument, "empty document"},
		{"missing intents", func() error {
			_, _, err := st.ImportPlaybooks(ctx, []byte("version: \"2027.9\"\nplaybooks: []\n"), true, admin1)
			return err
		}, store.ErrInvalidDocument, "playbook complaint: missing"},
		{"unknown action", func() error {
			doc := strings.Replace(string(playbookDoc(t, "2027.8", "opening_hours")), "action: ask_order", "action: ask_nicely", 1)
			_, _, err := st.ImportPlaybooks(ctx, []byte(doc), true, admin1)
			return err
		}, store.ErrInvalidDocument, `action "ask_nicely" unknown`},
		{"activate unknown version", func() error {
			return st.ActivatePlaybooks(ctx, "1999.1", admin1)
		}, store.ErrNotFound, ""},
		{"document of unknown version", func() error {
			_, err := st.PlaybookDocument(ctx, "1999.1")
			return err
		}, store.ErrNotFound, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.run()
			if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("err = %v, want %v containing %q", err, tc.want, tc.msg)
			}
		})
	}
	// Nothing that failed changed the set in force or left an audit row.
	if set, _, err := st.ActivePlaybooks(ctx); err != nil || set.Version != "2027.1" || set.For("business_hours").TicketKind != "opening_hours" {
		t.Fatalf("after failures: %v", err)
	}
	if n := auditCount(t, x, "playbooks.import"); n != 1 {
		t.Errorf("import audits = %d, want 1", n)
	}
}

func TestPlaybooksDatabaseDown(t *testing.T) {
	st := closedStore(t)
	ctx := context.Background()
	for name, run := range map[string]func() error{
		"revision": func() error { _, err := st.PlaybooksRevision(ctx); return err },
		"import":   func() error { _, _, err := st.ImportPlaybooks(ctx, playbook.DefaultYAML(), true, admin1); return err },
		"activate": func() error { return st.ActivatePlaybooks(ctx, "2025.1", admin1) },
		"versions": func() error { _, err := st.PlaybookVersions(ctx); return err },
		"active":   func() error { _, _, err := st.ActivePlaybooks(ctx); return err },
		"document": func() error { _, err := st.PlaybookDocument(ctx, "2025.1"); return err },
	} {
		if err := run(); err == nil {
			t.Errorf("%s with the database closed: no error", name)
		}
	}
}

// A stored document that no longer parses (e.g. written before a validator
// tightened) is an error, not a silent fallback to the defaults.
func TestPlaybooksStoredDocumentInvalid(t *testing.T) {
	x := tx(t)
	st := documents.New(x)
	ctx := context.Background()
	if _, err := x.Exec(ctx, `INSERT INTO playbook_versions (version, document, author, active) VALUES ('x', 'version: [', 'ops-amy', true)`); err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.ActivePlaybooks(ctx); err == nil || !strings.Contains(err.Error(), "stored playbooks") {
		t.Fatalf("err = %v", err)
	}
	// Re-importing that version compares against a stored document that does
	// not parse: a conflict, never an overwrite.
	doc := playbookDoc(t, "x", "opening_hours")
	if _, _, err := st.ImportPlaybooks(ctx, doc, false, admin1); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("import over an unreadable version: %v", err)
	}
}
