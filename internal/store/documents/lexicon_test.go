package documents_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/harbordesk/harbordesk/internal/lexicon"
	"github.com/harbordesk/harbordesk/internal/store"
	"github.com/harbordesk/harbordesk/internal/store/documents"
)

// quarterly is the shipped lexicon plus one new slang term under a new
// version, the way a quarterly refresh arrives.
func quarterly(t testing.TB, version, term string) *lexicon.Lexicon {
	t.Helper()
	d := lexicon.Default()
	l := lexicon.Lexicon{Version: version, Entries: append(append([]lexicon.Entry{}, d.Entries...),
		lexicon.Entry{Term: term, Meaning: "test slang", Signals: []string{"anger"}, Example: "佢" + term})}
	doc, err := l.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := lexicon.Parse(doc)
	if err != nil {
		t.Fatal(err)
	}
	return parsed
}

func TestLexiconDefaultUntilImport(t *testing.T) {
	st := documents.New(tx(t))
	ctx := context.Background()
	lex, fromDB, err := st.ActiveLexicon(ctx)
	if err != nil || fromDB || lex != lexicon.Default() {
		t.Fatalf("empty table: fromDB=%v err=%v; want the shipped default", fromDB, err)
	}
	if rev, err := st.LexiconRevision(ctx); err != nil || rev != 0 {
		t.Fatalf("revision = %d, %v", rev, err)
	}
	vs, err := st.LexiconVersions(ctx)
	if err != nil || len(vs) != 0 {
		t.Fatalf("versions: %+v %v", vs, err)
	}
}

func TestLexiconImportActivateRollback(t *testing.T) {
	x := tx(t)
	st := documents.New(x)
	ctx := context.Background()
	q1 := quarterly(t, "2027.1", "冲服务")

	v, created, err := st.ImportLexicon(ctx, q1, true, admin1)
	if err != nil || !created || v.Version != "2027.1" || v.Entries != len(q1.Entries) || !v.Active || v.Author != "ops-amy" {
		t.Fatalf("import: %+v created=%v err=%v", v, created, err)
	}
	lex, fromDB, err := st.ActiveLexicon(ctx)
	if err != nil || !fromDB || lex.Version != "2027.1" || len(lex.Match("佢冲服务")) == 0 {
		t.Fatalf("active after import: fromDB=%v err=%v", fromDB, err)
	}
	rev1, _ := st.LexiconRevision(ctx)

	// Staged import: stored, not in force.
	q2 := quarterly(t, "2027.2", "呃like")
	if v, _, err = st.ImportLexicon(ctx, q2, false, admin2); err != nil || v.Active {
		t.Fatalf("staged import: %+v %v", v, err)
	}
	if lex, _, _ = st.ActiveLexicon(ctx); lex.Version != "2027.1" {
		t.Fatalf("staged import went live: %s", lex.Version)
	}
	if err := st.ActivateLexicon(ctx, "2027.2", admin2); err != nil {
		t.Fatal(err)
	}
	if lex, _, _ = st.ActiveLexicon(ctx); lex.Version != "2027.2" {
		t.Fatalf("active = %s after activate", lex.Version)
	}
	if rev2, _ := st.LexiconRevision(ctx); rev2 <= rev1 {
		t.Fatalf("revision did not grow: %d → %d", rev1, rev2)
	}
	vs, err := st.LexiconVersions(ctx)
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
	// Roll back; re-importing identical content is a no-op that may activate.
	if _, created, err = st.ImportLexicon(ctx, q1, true, admin1); err != nil || created {
		t.Fatalf("identical re-import: created=%v err=%v", created, err)
	}
	if lex, _, _ = st.ActiveLexicon(ctx); lex.Version != "2027.1" {
		t.Fatalf("rollback by re-import: %s", lex.Version)
	}
	doc, err := st.LexiconDocument(ctx, "2027.2")
	if err != nil {
		t.Fatal(err)
	}
	if back, err := lexicon.Parse(doc); err != nil || len(back.Entries) != len(q2.Entries) {
		t.Fatalf("stored document does not read back: %v", err)
	}
	for action, want := range map[string]int{"lexicon.import": 2, "lexicon.activate": 3} {
		if n := auditCount(t, x, action); n != want {
			t.Errorf("%s audits = %d, want %d", action, n, want)
		}
	}
}

func TestLexiconErrors(t *testing.T) {
	st := documents.New(tx(t))
	ctx := context.Background()
	if _, _, err := st.ImportLexicon(ctx, quarterly(t, "2027.1", "冲服务"), true, admin1); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		run  func() error
		want error
		msg  string
	}{
		{"same version, other entries", func() error {
			_, _, err := st.ImportLexicon(ctx, quarterly(t, "2027.1", "呃like"), true, admin1)
			return err
		}, store.ErrConflict, "already exists"},
		{"nil lexicon", func() error { _, _, err := st.ImportLexicon(ctx, nil, true, admin1); return err }, store.ErrInvalidDocument, "no lexicon"},
		{"hand-built invalid", func() error {
			_, _, err := st.ImportLexicon(ctx, &lexicon.Lexicon{Version: "x", Entries: []lexicon.Entry{{Term: "落單"}}}, true, admin1)
			return err
		}, store.ErrInvalidDocument, "empty meaning"},
		{"activate unknown", func() error { return st.ActivateLexicon(ctx, "1999.1", admin1) }, store.ErrNotFound, ""},
		{"document unknown", func() error { _, err := st.LexiconDocument(ctx, "1999.1"); return err }, store.ErrNotFound, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.run()
			if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("err = %v, want %v containing %q", err, tt.want, tt.msg)
			}
		})
	}
	if lex, _, _ := st.ActiveLexicon(ctx); lex.Version != "2027.1" {
		t.Fatalf("failed writes changed the active version to %s", lex.Version)
	}
	st = closedStore(t)
	if _, _, err := st.ActiveLexicon(ctx); err == nil {
		t.Error("ActiveLexicon on a closed pool succeeded")
	}
	if _, err := st.LexiconVersions(ctx); err == nil {
		t.Error("LexiconVersions on a closed pool succeeded")
	}
	if _, err := st.LexiconRevision(ctx); err == nil {
		t.Error("LexiconRevision on a closed pool succeeded")
	}
}
