// Command hansgen fills the zh-Hans version of every default KB article by
// converting its zh-Hant version with OpenCC t2s, so the Simplified text is
// never hand-edited out of step (TestHansMatchesHant checks it). Run with
// `go generate ./internal/kb` from the module root.
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/harbordesk/harbordesk/internal/kb"
)

func main() {
	if err := run("default"); err != nil {
		fmt.Fprintln(os.Stderr, "hansgen:", err)
		os.Exit(1)
	}
}

func run(dir string) error {
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil {
		return err
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		arts, err := kb.ParseArticles(data)
		if err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		if err := kb.FillHans(arts); err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		out, err := kb.MarshalArticles(arts)
		if err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		if err := os.WriteFile(f, out, 0o644); err != nil {
			return err
		}
	}
	return nil
}
