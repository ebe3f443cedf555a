package profile

import (
	"regexp"
	"slices"
	"strings"

	"golang.org/x/text/width"
)

// Text keys: the customer-facing messages a profile holds.
const (
	PrivacyNotice     = "privacy_notice"      // first contact: who we are, why we collect, how to opt out
	Handoff           = "handoff"             // a person will follow up (desk open)
	HandoffAfterHours = "handoff_after_hours" // a person will follow up when the desk opens; back_at, back_day
	HumanArmAck       = "human_arm_ack"       // A/B human-only arm: received, a person replies
	AskOrderNumber    = "ask_order_number"    // ask for the order (booking) number
	OrderStatus       = "order_status"        // order found; order_id, status, tracking
	OrderMissing      = "order_missing"       // order not found now, a colleague checks; order_id
	OptOut            = "opt_out"             // after STOP/取消
	CSATSurvey        = "csat_survey"         // after resolution, 1-5
	CSATThanks        = "csat_thanks"         // after a rating
	CSATInvalid       = "csat_invalid"        // a rating that is not 1-5
	VoiceUnreadable   = "voice_unreadable"    // a voice note no engine could read; a person listens
	LowConfidence     = "low_confidence"      // the bot is unsure; a person checks
	Smalltalk         = "smalltalk"           // a short friendly line
)

// Required lists the texts every profile must give (in at least one locale).
var Required = []string{PrivacyNotice, Handoff, HandoffAfterHours, HumanArmAck, AskOrderNumber,
	OrderMissing, OptOut, CSATSurvey, CSATThanks, VoiceUnreadable}

// Optional lists the texts a profile may give; absent ones use the
// brand-neutral wording of the embedded base document.
var Optional = []string{OrderStatus, CSATInvalid, LowConfidence, Smalltalk}

// Keys lists every text key.
var Keys = append(slices.Clone(Required), Optional...)

// Common placeholders every text may use; the profile fills them.
const (
	ArgBusinessName = "business_name"
	ArgPrivacyURL   = "privacy_url"
	ArgOrderExample = "order_example"
)

// Args each key may use besides the common ones; the caller passes them.
var keyArgs = map[string][]string{
	HandoffAfterHours: {"back_at", "back_day"},
	OrderStatus:       {"order_id", "status", "tracking"},
	OrderMissing:      {"order_id"},
}

// Placeholders returns the placeholders key may use, common ones first.
func Placeholders(key string) []string {
	return append([]string{ArgBusinessName, ArgPrivacyURL, ArgOrderExample}, keyArgs[key]...)
}

// Locales a text may be written in. yue-Hans is usually rendered from
// yue-Hant (converted to Simplified characters) but may be given.
var Locales = []string{"yue-Hant", "yue-Hans", "zh-Hant", "zh-Hans", "en"}

// DefaultFallbackLocales is what a customer whose language is unknown gets
// when the profile names none: Traditional Chinese and English, as Hong
// Kong businesses write.
var DefaultFallbackLocales = []string{"zh-Hant", "en"}

// Document is a profile as imported and exported.
type Document struct {
	Business Business                     `yaml:"business" json:"business"`
	Texts    map[string]map[string]string `yaml:"texts" json:"texts"`
}

// Business describes who the desk speaks for.
type Business struct {
	Name            string       `yaml:"name" json:"name"`
	PrivacyURL      string       `yaml:"privacy_url" json:"privacy_url"`
	OrderNumber     *OrderNumber `yaml:"order_number,omitempty" json:"order_number,omitempty"`
	Locales         []string     `yaml:"locales" json:"locales"`
	FallbackLocales []string     `yaml:"fallback_locales,omitempty" json:"fallback_locales,omitempty"`
}

// OrderNumber is the format of the business's order (or booking) numbers.
// Without one the desk never looks orders up.
type OrderNumber struct {
	Pattern string `yaml:"pattern" json:"pattern"`
	Example string `yaml:"example" json:"example"`
}

// Profile is a validated document ready to render. It is immutable; share
// it freely.
type Profile struct {
	doc      Document
	texts    map[string]map[string]string // the document's texts over the base's optional ones
	order    *regexp.Regexp               // nil: no order numbers
	fallback []string
	common   map[string]string
}

// Document returns the profile as written (texts as given, fallback locales
// as given).
func (p *Profile) Document() Document { return p.doc }

// Name is the business's name.
func (p *Profile) Name() string { return p.doc.Business.Name }

// Locales are the business's locales, first is its main one.
func (p *Profile) Locales() []string { return p.doc.Business.Locales }

// FallbackLocales are the locales a customer of unknown language gets.
func (p *Profile) FallbackLocales() []string { return p.fallback }

// OrderNumbers reports whether the business has order numbers to look up.
func (p *Profile) OrderNumbers() bool { return p != nil && p.order != nil }

// FindOrderNumber returns the first order number in text; ok is false when
// there is none or the business has no order numbers. The match is
// case-insensitive and returned upper-cased, as customers type "kd123456".
func (p *Profile) FindOrderNumber(text string) (string, bool) {
	if !p.OrderNumbers() {
		return "", false
	}
	m := p.order.FindStringSubmatch(width.Fold.String(text))
	if m == nil {
		return "", false
	}
	return strings.ToUpper(m[1]), true
}

// aliases are the message names of the retired phrase book, still accepted
// where a stored playbook names one.
var aliases = map[string]string{
	"opt_out_confirmed":    OptOut,
	"survey_request":       CSATSurvey,
	"survey_thanks":        CSATThanks,
	"survey_invalid_reply": CSATInvalid,
	"human_only_ack":       HumanArmAck,
}

// Canonical returns the text key for key, mapping the retired phrase-book
// names to today's.
func Canonical(key string) string {
	if k, ok := aliases[key]; ok {
		return k
	}
	return key
}

// Known reports whether key (or its retired alias) names a text.
func Known(key string) bool { return slices.Contains(Keys, Canonical(key)) }
