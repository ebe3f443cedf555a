package playbook

import (
	_ "embed"
	"sync"
)

//go:embed default/playbooks.yaml
var defaultYAML []byte

var (
	defaultOnce sync.Once
	defaultSet  *Set
)

// Default returns the playbook set shipped in the binary. It panics if the
// embedded YAML is invalid, which TestDefaultParses rules out.
func Default() *Set {
	defaultOnce.Do(func() {
		s, err := Parse(defaultYAML)
		if err != nil {
			panic(err)
		}
		defaultSet = s
	})
	return defaultSet
}

// DefaultYAML returns a copy of the embedded default playbooks, e.g. as the
// starting point of a database override.
func DefaultYAML() []byte { return append([]byte(nil), defaultYAML...) }
