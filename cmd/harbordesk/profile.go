package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"gopkg.in/yaml.v3"

	"github.com/harbordesk/harbordesk/internal/profile"
	"github.com/harbordesk/harbordesk/internal/store"
	"github.com/harbordesk/harbordesk/internal/store/documents"
)

// runProfile imports a business profile (YAML or JSON) as a new active
// version (validated first; running workers use it within one reload
// interval) or writes the profile in force as YAML (export).
func runProfile(ctx context.Context, args []string) error {
	const usage = "profile import FILE | profile export"
	if len(args) == 0 {
		return usageError(usage)
	}
	switch {
	case args[0] == "export" && len(args) == 1:
		st, err := openContentStore(ctx)
		if err != nil {
			return err
		}
		defer st.Close()
		p, _, err := documents.New(st.Pool).ActiveProfile(ctx)
		if err != nil {
			return err
		}
		return exportProfile(p, os.Stdout)
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
		return importProfile(ctx, documents.New(st.Pool).ImportProfile, data, os.Stdout)
	}
	return usageError(usage)
}

// exportProfile writes p as the YAML `profile import` reads back.
func exportProfile(p *profile.Profile, out io.Writer) error {
	enc := yaml.NewEncoder(out)
	enc.SetIndent(2)
	if err := enc.Encode(p.Document()); err != nil {
		return err
	}
	return enc.Close()
}

type profileImporter func(ctx context.Context, doc []byte, activate bool, by store.Editor) (documents.ProfileVersion, error)

func importProfile(ctx context.Context, imp profileImporter, doc []byte, out io.Writer) error {
	v, err := imp(ctx, doc, true, cliEditor())
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(out, "profile import: version %d (%s) imported and activated\n", v.Version, v.Name)
	return err
}
