package kb

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/harbordesk/harbordesk/internal/hkcal"
	"gopkg.in/yaml.v3"
)

// Locales a version may be written in. yue-Hans is never stored: it is
// derived from yue-Hant on the way out (see Locale).
const (
	LocaleYueHant = "yue-Hant"
	LocaleZhHant  = "zh-Hant"
	LocaleZhHans  = "zh-Hans"
	LocaleEn      = "en"
	LocaleYueHans = "yue-Hans"
)

// StoredLocales are the locales an article version may be stored in.
var StoredLocales = []string{LocaleYueHant, LocaleZhHant, LocaleZhHans, LocaleEn}

// Intents are the classifier intents of the external contract.
var Intents = []string{
	"business_hours", "return_policy", "order_status", "damaged_item",
	"refund_request", "complaint", "appointment_change", "tech_support",
	"billing", "account_inquiry", "place_order", "human_agent", "smalltalk", "other",
}

// Version is one locale's text of an article.
type Version struct {
	Title string `yaml:"title" json:"title"`
	Body  string `yaml:"body" json:"body"`
}

// Article is one knowledge-base entry.
type Article struct {
	ID     string   `yaml:"id" json:"id"`         // slug, e.g. "returns-policy"
	Intent string   `yaml:"intent" json:"intent"` // one of Intents
	Topic  string   `yaml:"topic" json:"topic"`   // e.g. "returns"; see topicSynonyms
	Tags   []string `yaml:"tags,omitempty" json:"tags,omitempty"`
	// ValidFrom/ValidTo bound when the article may be used; zero = open.
	ValidFrom time.Time `yaml:"valid_from,omitempty" json:"valid_from,omitzero"`
	ValidTo   time.Time `yaml:"valid_to,omitempty" json:"valid_to,omitzero"`
	// Hours, for opening-hours articles, drives the "we're closed now, we
	// open at 10:00 tomorrow" note. Keys: mon..sun, mon-fri, mon-sat, daily,
	// holiday; values "HH:MM-HH:MM" or "closed".
	Hours    map[string]string  `yaml:"hours,omitempty" json:"hours,omitempty"`
	Versions map[string]Version `yaml:"versions" json:"versions"`
}

// ValidAt reports whether the article may be used at t.
func (a Article) ValidAt(t time.Time) bool {
	if !a.ValidFrom.IsZero() && t.Before(a.ValidFrom) {
		return false
	}
	if !a.ValidTo.IsZero() && !t.Before(a.ValidTo) {
		return false
	}
	return true
}

var slugRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Validate checks one article; errors name the article ID and field, never
// the text itself.
func (a Article) Validate() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if !slugRE.MatchString(a.ID) {
		bad("id %q: must be a lower-case slug like \"returns-policy\"", a.ID)
	}
	if !slices.Contains(Intents, a.Intent) {
		bad("intent %q: must be one of %s", a.Intent, strings.Join(Intents, ", "))
	}
	if strings.TrimSpace(a.Topic) == "" {
		bad("topic: required")
	}
	if !a.ValidFrom.IsZero() && !a.ValidTo.IsZero() && !a.ValidTo.After(a.ValidFrom) {
		bad("valid_to must be after valid_from")
	}
	if len(a.Versions) == 0 {
		bad("versions: at least one locale required")
	}
	for _, loc := range sortedKeys(a.Versions) {
		v := a.Versions[loc]
		if !slices.Contains(StoredLocales, loc) {
			bad("versions: unknown locale %q (want one of %s)", loc, strings.Join(StoredLocales, ", "))
			continue
		}
		if strings.TrimSpace(v.Title) == "" {
			bad("versions.%s.title: required", loc)
		}
		if strings.TrimSpace(v.Body) == "" {
			bad("versions.%s.body: required", loc)
		}
	}
	if a.Hours != nil {
		if _, err := ParseHours(a.Hours); err != nil {
			bad("hours: %v", err)
		}
	}
	return errors.Join(errs...)
}

// ValidateAll checks every article and that IDs are unique.
func ValidateAll(arts []Article) error {
	var errs []error
	seen := map[string]int{}
	for i, a := range arts {
		if err := a.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("article %d (%s): %w", i+1, a.ID, err))
		}
		if j, dup := seen[a.ID]; dup {
			errs = append(errs, fmt.Errorf("article %d (%s): duplicate id, first at article %d", i+1, a.ID, j+1))
		} else {
			seen[a.ID] = i
		}
	}
	return errors.Join(errs...)
}

// yamlArticle is the file form: dates as strings so that "2025-01-01" means
// Hong Kong midnight rather than UTC.
type yamlArticle struct {
	ID        string             `yaml:"id"`
	Intent    string             `yaml:"intent"`
	Topic     string             `yaml:"topic"`
	Tags      []string           `yaml:"tags,omitempty,flow"`
	ValidFrom string             `yaml:"valid_from,omitempty"`
	ValidTo   string             `yaml:"valid_to,omitempty"`
	Hours     map[string]string  `yaml:"hours,omitempty"`
	Versions  map[string]Version `yaml:"versions"`
}

// ParseArticles decodes a YAML list of articles and validates them. Errors
// carry the article position and ID and the offending field.
func ParseArticles(data []byte) ([]Article, error) {
	var raw []yamlArticle
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("kb: parse articles: %w", err)
	}
	if len(raw) == 0 {
		return nil, errors.New("kb: parse articles: no articles")
	}
	arts := make([]Article, 0, len(raw))
	var errs []error
	for i, r := range raw {
		a := Article{ID: r.ID, Intent: r.Intent, Topic: r.Topic, Tags: r.Tags, Hours: r.Hours, Versions: r.Versions}
		var err error
		if a.ValidFrom, err = parseDate(r.ValidFrom); err != nil {
			errs = append(errs, fmt.Errorf("article %d (%s): valid_from: %w", i+1, r.ID, err))
		}
		if a.ValidTo, err = parseDate(r.ValidTo); err != nil {
			errs = append(errs, fmt.Errorf("article %d (%s): valid_to: %w", i+1, r.ID, err))
		}
		arts = append(arts, a)
	}
	if err := errors.Join(append(errs, ValidateAll(arts))...); err != nil {
		return nil, fmt.Errorf("kb: invalid articles:\n%w", err)
	}
	return arts, nil
}

// MarshalArticles encodes articles as the YAML that ParseArticles reads.
func MarshalArticles(arts []Article) ([]byte, error) {
	if err := ValidateAll(arts); err != nil {
		return nil, fmt.Errorf("kb: marshal articles:\n%w", err)
	}
	raw := make([]yamlArticle, len(arts))
	for i, a := range arts {
		raw[i] = yamlArticle{ID: a.ID, Intent: a.Intent, Topic: a.Topic, Tags: a.Tags,
			ValidFrom: formatDate(a.ValidFrom), ValidTo: formatDate(a.ValidTo), Hours: a.Hours, Versions: a.Versions}
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(raw); err != nil {
		return nil, fmt.Errorf("kb: marshal articles: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("kb: marshal articles: %w", err)
	}
	return buf.Bytes(), nil
}

func parseDate(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.ParseInLocation("2006-01-02", s, hkcal.HK); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is neither YYYY-MM-DD nor RFC 3339", s)
	}
	return t, nil
}

func formatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	hk := t.In(hkcal.HK)
	if hk.Hour() == 0 && hk.Minute() == 0 && hk.Second() == 0 && hk.Nanosecond() == 0 {
		return hk.Format("2006-01-02")
	}
	return t.Format(time.RFC3339)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
