package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/harbordesk/harbordesk/internal/kb"
	"github.com/harbordesk/harbordesk/internal/lexicon"
	"github.com/harbordesk/harbordesk/internal/store/articles"
	"github.com/harbordesk/harbordesk/internal/store/documents"
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
		lex, _, err := documents.New(st.Pool).ActiveLexicon(ctx)
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
		arts, _, err := articles.New(st.Pool).Articles(ctx)
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
		if len(args) < 2 {
			return usageError("kb import FILE... (YAML articles, a CSV FAQ, or Markdown FAQ pages NAME.<locale>.md)")
		}
		arts, err := readKBFiles(args[1:])
		if err != nil {
			return err
		}
		return importKB(ctx, arts)
	}
	return usageError("kb import FILE | kb export")
}

// readKBFiles reads articles by file type: .csv is an FAQ spreadsheet, .md
// FAQ pages (all the .md files together, one locale each: faq.zh-Hant.md or
// a "<!-- locale: zh-Hant -->" line), anything else the YAML articles of
// `kb export`.
func readKBFiles(names []string) ([]kb.Article, error) {
	var md [][]byte
	var out []kb.Article
	for _, name := range names {
		data, err := readFileOrStdin(name)
		if err != nil {
			return nil, err
		}
		lower := strings.ToLower(name)
		switch {
		case strings.HasSuffix(lower, ".csv"):
			arts, err := kb.ParseCSV(data)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			out = append(out, arts...)
		case strings.HasSuffix(lower, ".md"):
			loc := filepath.Ext(strings.TrimSuffix(filepath.Base(name), filepath.Ext(name)))
			if loc = strings.TrimPrefix(loc, "."); slices.Contains(kb.StoredLocales, loc) {
				data = append([]byte("<!-- locale: "+loc+" -->\n"), data...)
			}
			md = append(md, data)
		default:
			arts, err := kb.ParseArticles(data)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			out = append(out, arts...)
		}
	}
	if len(md) > 0 {
		arts, err := kb.ParseMarkdown("", md...)
		if err != nil {
			return nil, err
		}
		out = append(out, arts...)
	}
	if err := kb.ValidateAll(out); err != nil {
		return nil, err
	}
	return out, nil
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
