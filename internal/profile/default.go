package profile

import (
	_ "embed"
	"sync"

	"gopkg.in/yaml.v3"
)

// defaultYAML is the sample retailer's profile, in force until an admin
// imports one.
//
//go:embed default/profile.yaml
var defaultYAML []byte

// baseYAML holds brand-neutral wording for the optional texts a profile
// leaves out. It names no business: {business_name} is the profile's.
//
//go:embed default/base.yaml
var baseYAML []byte

var (
	defaultOnce sync.Once
	defaultProf *Profile
	baseOnce    sync.Once
	baseDoc     Document
)

// Default returns the embedded default profile. It panics if the embedded
// document is invalid, which the tests rule out.
func Default() *Profile {
	defaultOnce.Do(func() {
		p, err := Parse(defaultYAML)
		if err != nil {
			panic("profile: embedded default: " + err.Error())
		}
		defaultProf = p
	})
	return defaultProf
}

// DefaultYAML returns a copy of the embedded default document, the starting
// point of a business's own profile.
func DefaultYAML() []byte { return append([]byte(nil), defaultYAML...) }

func base() Document {
	baseOnce.Do(func() {
		if err := yaml.Unmarshal(baseYAML, &baseDoc); err != nil {
			panic("profile: embedded base: " + err.Error())
		}
	})
	return baseDoc
}
