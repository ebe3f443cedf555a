package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/harbordesk/harbordesk/internal/store"
	"github.com/harbordesk/harbordesk/internal/store/documents"
)

// runPlaybooks imports a playbook set as a new active version (validated
// first; running workers pick it up within one reload interval) or writes
// the set in force (export).
func runPlaybooks(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return usageError("playbooks import FILE | playbooks export")
	}
	switch {
	case args[0] == "export" && len(args) == 1:
		st, err := openContentStore(ctx)
		if err != nil {
			return err
		}
		defer st.Close()
		doc, _, err := documents.New(st.Pool).ActivePlaybookDocument(ctx)
		if err != nil {
			return err
		}
		_, err = os.Stdout.Write(doc)
		return err
	case args[0] == "import" && len(args) == 2:
		data, err := readFileOrStdin(args[1])
		if err != nil {
			return err
		}
		st, err := openContentStore(ctx)
		if err != nil {
			return err
		}
		defer st.Close()
		return importPlaybooks(ctx, documents.New(st.Pool).ImportPlaybooks, data, os.Stdout)
	}
	return usageError("playbooks import FILE | playbooks export")
}

type playbookImporter func(ctx context.Context, doc []byte, activate bool, by store.Editor) (documents.PlaybookVersion, bool, error)

func importPlaybooks(ctx context.Context, imp playbookImporter, doc []byte, out io.Writer) error {
	v, created, err := imp(ctx, doc, true, cliEditor())
	if err != nil {
		return err
	}
	what := "imported and activated"
	if !created {
		what = "already imported (same playbooks), now active"
	}
	_, err = fmt.Fprintf(out, "playbooks import: version %s %s\n", v.Version, what)
	return err
}
