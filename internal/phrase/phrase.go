package phrase

import (
	"strings"
	"sync"

	"github.com/longbridgeapp/opencc"
)

// Key names one message.
type Key string

// Message keys.
const (
	PrivacyNotice      Key = "privacy_notice"       // first contact; args: policy_url
	OptOutConfirmed    Key = "opt_out_confirmed"    // after STOP/取消
	Handoff            Key = "handoff"              // a colleague will follow up (desk open)
	HandoffAfterHours  Key = "handoff_after_hours"  // args: back_at ("09:00"), back_day (optional, e.g. "tomorrow")
	HumanOnlyAck       Key = "human_only_ack"       // A/B human-only arm: message received, an agent will reply
	AskOrderNumber     Key = "ask_order_number"     // ask for the order number
	OrderStatus        Key = "order_status"         // args: order_id, status, tracking
	SurveyRequest      Key = "survey_request"       // after resolution, 1-5
	SurveyThanks       Key = "survey_thanks"        // after a rating
	LowConfidence      Key = "low_confidence"       // the bot is not sure; a person will check
	SurveyInvalidReply Key = "survey_invalid_reply" // rating was not 1-5
)

// Keys lists every message key.
var Keys = []Key{PrivacyNotice, OptOutConfirmed, Handoff, HandoffAfterHours, HumanOnlyAck,
	AskOrderNumber, OrderStatus, SurveyRequest, SurveyThanks, LowConfidence, SurveyInvalidReply}

// Locales with their own templates; yue-Hans is yue-Hant converted to
// Simplified at run time.
var Locales = []string{"yue-Hant", "zh-Hant", "zh-Hans", "en"}

// DefaultPolicyURL is used when the privacy notice gets no policy_url.
const DefaultPolicyURL = "https://harbourhometech.example/privacy"

// Text renders key in locale, replacing {name} placeholders from args.
// Unknown locales fall back to English; unknown keys give "".
// yue-Hans renders the Cantonese text in Simplified characters.
func Text(key Key, locale string, args map[string]string) string {
	if key == PrivacyNotice && args["policy_url"] == "" {
		args = withDefault(args, "policy_url", DefaultPolicyURL)
	}
	return Render(byKey[key], locale, args)
}

// byKey is templates by key, then locale; a locale without the key holds ""
// so that it renders "" rather than falling back to English.
var byKey = func() map[Key]map[string]string {
	out := map[Key]map[string]string{}
	for _, byLoc := range templates {
		for k := range byLoc {
			out[k] = map[string]string{}
		}
	}
	for k, texts := range out {
		for loc, byLoc := range templates {
			texts[loc] = byLoc[k]
		}
	}
	return out
}()

// Render renders one message given as its text per locale: texts[locale]
// with {name} placeholders filled from args (placeholders without a value
// are removed). Locales without a text get texts["en"]; yue-Hans is the
// yue-Hant text converted to Simplified characters. Package playbook renders
// its inline templates with it, so both follow the same rules.
func Render(texts map[string]string, locale string, args map[string]string) string {
	toHans := locale == "yue-Hans"
	if toHans {
		locale = "yue-Hant"
	}
	tpl, ok := texts[locale]
	if !ok {
		tpl = texts["en"]
	}
	out := fill(tpl, args)
	if toHans {
		if simp, err := t2s(out); err == nil {
			out = simp
		}
	}
	return out
}

func withDefault(args map[string]string, k, v string) map[string]string {
	m := make(map[string]string, len(args)+1)
	for a, b := range args {
		m[a] = b
	}
	m[k] = v
	return m
}

// fill replaces {name} with args[name]; placeholders without a value are
// removed so a customer never sees braces.
func fill(tpl string, args map[string]string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(tpl, '{')
		if i < 0 {
			b.WriteString(tpl)
			return b.String()
		}
		j := strings.IndexByte(tpl[i:], '}')
		if j < 0 {
			b.WriteString(tpl)
			return b.String()
		}
		b.WriteString(tpl[:i])
		b.WriteString(args[tpl[i+1:i+j]])
		tpl = tpl[i+j+1:]
	}
}

var (
	ccOnce sync.Once
	cc     *opencc.OpenCC
	ccErr  error
)

func t2s(s string) (string, error) {
	ccOnce.Do(func() { cc, ccErr = opencc.New("t2s") })
	if ccErr != nil {
		return "", ccErr
	}
	return cc.Convert(s)
}
