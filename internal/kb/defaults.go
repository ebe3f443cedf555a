package kb

import (
	"embed"
	"fmt"
	"io/fs"
	"slices"
)

//go:embed default/*.yaml
var defaultFS embed.FS

// DefaultArticles returns the shipped knowledge base of the sample Hong Kong
// retailer "Harbour Home & Tech" (default/*.yaml). It panics if the embedded
// files are invalid, which TestDefaultArticles rules out.
func DefaultArticles() []Article {
	arts, err := loadFS(defaultFS, "default")
	if err != nil {
		panic(err)
	}
	return arts
}

func loadFS(fsys fs.FS, dir string) ([]Article, error) {
	names, err := fs.Glob(fsys, dir+"/*.yaml")
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	var all []Article
	for _, n := range names {
		data, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, err
		}
		arts, err := ParseArticles(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", n, err)
		}
		all = append(all, arts...)
	}
	if err := ValidateAll(all); err != nil {
		return nil, fmt.Errorf("kb: default articles: %w", err)
	}
	return all, nil
}
