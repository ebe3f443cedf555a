package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/harbordesk/harbordesk/internal/kb"
	"github.com/harbordesk/harbordesk/internal/lexicon"
)

// runLexicon imports a lexicon version (validated, then activated) or
// writes the one in force (export).
func runLexicon(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return usageError("lexicon import FILE | lexicon export")
	}
	switch args[0] {
	case "export":
		st, err := openContentStore(ctx)
		if err != nil {
			return err
		}
		defer st.Close()
		lex, _, err := st.ActiveLexicon(ctx)
		if err != nil {
			return err
		}
		b, err := lex.Marshal()
		if err != nil {
			return err
		}
		_, err = os.Stdout.Write(b)
		return err
	case "import":
		if len(args) != 2 {
			return usageError("lexicon import FILE")
		}
		data, err := readFileOrStdin(args[1])
		if err != nil {
			return err
		}
		lex, err := lexicon.Parse(data)
		if err != nil {
			return err
		}
		return importLexicon(ctx, lex)
	}
	return usageError("lexicon import FILE | lexicon export")
}

// runKB imports articles as new versions or writes the knowledge base in force.
func runKB(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return usageError("kb import FILE | kb export")
	}
	switch args[0] {
	case "export":
		st, err := openContentStore(ctx)
		if err != nil {
			return err
		}
		defer st.Close()
		arts, _, err := st.Articles(ctx)
		if err != nil {
			return err
		}
		b, err := kb.MarshalArticles(arts)
		if err != nil {
			return err
		}
		_, err = os.Stdout.Write(b)
		return err
	case "import":
		if len(args) != 2 {
			return usageError("kb import FILE")
		}
		data, err := readFileOrStdin(args[1])
		if err != nil {
			return err
		}
		arts, err := kb.ParseArticles(data)
		if err != nil {
			return err
		}
		return importKB(ctx, arts)
	}
	return usageError("kb import FILE | kb export")
}

func readFileOrStdin(name string) ([]byte, error) {
	if name == "-" {
		return io.ReadAll(os.Stdin)
	}
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	return b, nil
}
