package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/harbordesk/harbordesk/internal/pgtest"
	"github.com/harbordesk/harbordesk/internal/playbook"
	"github.com/harbordesk/harbordesk/internal/store/documents"
)

func TestPlaybooksImportThroughCLI(t *testing.T) {
	ctx := context.Background()
	st := pgtest.New(t)
	doc := strings.Replace(string(playbook.DefaultYAML()), "version:", "# edited by ops\nversion:", 1)
	doc = strings.Replace(doc, `version: "`+playbook.Default().Version+`"`, `version: "2026.11-test"`, 1)
	var out bytes.Buffer
	if err := importPlaybooks(ctx, documents.New(st.Pool).ImportPlaybooks, []byte(doc), &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "version 2026.11-test imported and activated") {
		t.Errorf("output %q", out.String())
	}
	set, fromDB, err := documents.New(st.Pool).ActivePlaybooks(ctx)
	if err != nil || !fromDB || set.Version != "2026.11-test" {
		t.Fatalf("active = %v fromDB=%v err=%v", set, fromDB, err)
	}
	out.Reset()
	if err := importPlaybooks(ctx, documents.New(st.Pool).ImportPlaybooks, []byte(doc), &out); err != nil || !strings.Contains(out.String(), "already imported") {
		t.Errorf("re-import: %q %v", out.String(), err)
	}
	if err := importPlaybooks(ctx, documents.New(st.Pool).ImportPlaybooks, []byte("version: x\nplaybooks: []\n"), &out); err == nil {
		t.Error("an invalid set was accepted")
	}
	if err := runPlaybooks(ctx, []string{"frobnicate"}); err == nil {
		t.Error("unknown subcommand accepted")
	}
}
