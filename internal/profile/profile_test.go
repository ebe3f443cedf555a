package profile

import (
	"strings"
	"testing"
)

const clinic = `
business:
  name: Kowloon Dental Clinic
  privacy_url: https://kdc.example/privacy
  order_number: {pattern: "KD\\d{6}", example: KD123456}
  locales: [yue-Hant, zh-Hant, en]
texts:
  privacy_notice: {yue-Hant: "你好！呢度係{business_name}。私隱政策：{privacy_url}", en: "Hello from {business_name}. Privacy: {privacy_url}"}
  handoff: {yue-Hant: "{business_name}嘅姑娘會盡快覆你。", zh-Hant: "{business_name}的護士會盡快回覆您。", en: "A nurse at {business_name} will get back to you."}
  handoff_after_hours: {en: "{business_name} will reply at {back_at}."}
  human_arm_ack: {en: "Got it."}
  ask_order_number: {en: "Your booking number, please (e.g. {order_example})."}
  order_missing: {en: "Booking {order_id} not found."}
  opt_out: {en: "Stopped."}
  csat_survey: {en: "Rate us 1-5."}
  csat_thanks: {en: "Thanks!"}
  voice_unreadable: {zh-Hant: "收到語音。", en: "Got your voice note."}
`

func mustParse(t *testing.T, doc string) *Profile {
	t.Helper()
	p, err := Parse([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestDefaultParsesAndCoversEveryKeyInEveryLocale(t *testing.T) {
	p := Default()
	for _, k := range Keys {
		for _, loc := range p.Locales() {
			if strings.TrimSpace(p.doc.Texts[k][loc]) == "" {
				t.Errorf("default %s.%s missing", k, loc)
			}
		}
	}
	if !strings.Contains(p.Text(PrivacyNotice, "en", nil), "Harbour Home & Tech") {
		t.Error("default privacy notice does not name the sample shop")
	}
}

func TestBaseNamesNoBusiness(t *testing.T) {
	for k, byLoc := range base().Texts {
		for loc, txt := range byLoc {
			if strings.Contains(txt, "Harbour") || strings.Contains(txt, "HH") {
				t.Errorf("base %s.%s names the sample shop: %q", k, loc, txt)
			}
		}
	}
	for _, k := range Optional {
		if len(base().Texts[k]) == 0 {
			t.Errorf("base lacks optional text %s", k)
		}
	}
}

func TestText(t *testing.T) {
	p := mustParse(t, clinic)
	tests := []struct {
		name, key, locale string
		args              map[string]string
		want              string
	}{
		{"own locale, common placeholders", PrivacyNotice, "en", nil, "Hello from Kowloon Dental Clinic. Privacy: https://kdc.example/privacy"},
		{"yue-Hans is yue-Hant simplified", Handoff, "yue-Hans", nil, "Kowloon Dental Clinic嘅姑娘会尽快覆你。"},
		{"zh-Hans from zh-Hant", Handoff, "zh-Hans", nil, "Kowloon Dental Clinic的护士会尽快回复您。"},
		{"zh-Hant missing: the other written Chinese", PrivacyNotice, "zh-Hant", nil, "你好！呢度係Kowloon Dental Clinic。私隱政策：https://kdc.example/privacy"},
		{"missing locale falls to the profile's own locales", OptOut, "yue-Hant", nil, "Stopped."},
		{"order example", AskOrderNumber, "en", nil, "Your booking number, please (e.g. KD123456)."},
		{"caller args", OrderMissing, "en", map[string]string{"order_id": "KD000001"}, "Booking KD000001 not found."},
		{"missing arg removed", HandoffAfterHours, "en", nil, "Kowloon Dental Clinic will reply at ."},
		{"optional text from the neutral base", Smalltalk, "en", nil, "Hi! This is Kowloon Dental Clinic. How can I help?"},
		{"unknown key", "nope", "en", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := p.Text(tt.key, tt.locale, tt.args); got != tt.want {
				t.Errorf("Text = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestFallbackJoinsFallbackLocales(t *testing.T) {
	p := mustParse(t, clinic)
	if got, want := p.Fallback(VoiceUnreadable, nil), "收到語音。\nGot your voice note."; got != want {
		t.Errorf("Fallback = %q, want %q", got, want)
	}
	q := mustParse(t, strings.Replace(clinic, "locales: [yue-Hant, zh-Hant, en]", "locales: [en]\n  fallback_locales: [en]", 1))
	if got := q.Fallback(VoiceUnreadable, nil); got != "Got your voice note." {
		t.Errorf("Fallback with [en] = %q", got)
	}
	if got := Default().Fallback(Handoff, nil); !strings.Contains(got, "您的查詢已轉交同事") || !strings.Contains(got, "passed your enquiry") {
		t.Errorf("default fallback %q lacks zh-Hant or en", got)
	}
}

func TestFindOrderNumber(t *testing.T) {
	p := mustParse(t, clinic)
	for _, tc := range []struct{ text, want string }{
		{"my booking kd123456 please", "KD123456"},
		{"預約編號KD654321", "KD654321"},
		{"XKD123456", ""},
		{"KD1234567", ""},
		{"no number", ""},
	} {
		got, ok := p.FindOrderNumber(tc.text)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("FindOrderNumber(%q) = %q %v, want %q", tc.text, got, ok, tc.want)
		}
	}
	noOrders := mustParse(t, strings.NewReplacer(`  order_number: {pattern: "KD\\d{6}", example: KD123456}`+"\n", "",
		"(e.g. {order_example})", "").Replace(clinic))
	if _, ok := noOrders.FindOrderNumber("KD123456"); ok || noOrders.OrderNumbers() {
		t.Error("a profile without order_number finds order numbers")
	}
}

func TestParseErrorsNameTheField(t *testing.T) {
	tests := []struct{ name, from, to, want string }{
		{"unknown placeholder", "A nurse at {business_name}", "Hi {no_such_placeholder}", "texts.handoff.en: unknown placeholder {no_such_placeholder}"},
		{"placeholder of another key", "Booking {order_id} not found.", "Booking {tracking}", "texts.order_missing.en: unknown placeholder {tracking}"},
		{"missing name", "name: Kowloon Dental Clinic", "name: ''", "business.name: is missing"},
		{"bad url", "https://kdc.example/privacy", "javascript:alert(1)", "business.privacy_url: must be an http(s) URL"},
		{"bad pattern", `KD\\d{6}`, `KD(\\d`, "business.order_number.pattern"},
		{"example off pattern", "example: KD123456", "example: X1", "business.order_number.example"},
		{"unknown locale", "locales: [yue-Hant, zh-Hant, en]", "locales: [yue-Hant, fr]", "business.locales[1]: unknown locale \"fr\""},
		{"missing required text", "  opt_out: {en: \"Stopped.\"}\n", "", "texts.opt_out: is missing"},
		{"unknown text", "  opt_out:", "  opt_outt: {en: x}\n  opt_out:", "texts.opt_outt: unknown text"},
		{"text locale", `csat_thanks: {en: "Thanks!"}`, `csat_thanks: {de: "Danke"}`, "texts.csat_thanks.de: unknown locale"},
		{"empty text", `csat_thanks: {en: "Thanks!"}`, `csat_thanks: {en: ""}`, "texts.csat_thanks: has no text in any locale"},
		{"unknown field", "  locales:", "  colour: red\n  locales:", "field colour not found"},
		{"control character", "Stopped.", `Stop\u0000ped.`, "texts.opt_out.en: must be printable"},
		{"unclosed brace", "Rate us 1-5.", "Rate us {1-5.", "texts.csat_survey.en: has an unclosed {"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := strings.Replace(clinic, tt.from, tt.to, 1)
			if doc == clinic {
				t.Fatalf("replacement %q not found", tt.from)
			}
			_, err := Parse([]byte(doc))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
	if _, err := Parse(nil); err == nil {
		t.Error("empty document accepted")
	}
}

func TestParseJSON(t *testing.T) {
	doc := `{"business":{"name":"K","privacy_url":"https://k.example/p","locales":["en"]},"texts":{` +
		`"privacy_notice":{"en":"{business_name} \u00e9"},"handoff":{"en":"h"},"handoff_after_hours":{"en":"h"},` +
		`"human_arm_ack":{"en":"a"},"ask_order_number":{"en":"o"},"order_missing":{"en":"m {order_id}"},"opt_out":{"en":"s"},` +
		`"csat_survey":{"en":"c"},"csat_thanks":{"en":"t"},"voice_unreadable":{"en":"v"}}}`
	p, err := Parse([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Text(PrivacyNotice, "zh-Hant", nil); got != "K é" {
		t.Errorf("Text = %q", got)
	}
	if got := p.FallbackLocales(); len(got) != 2 || got[0] != "zh-Hant" || got[1] != "en" {
		t.Errorf("default fallback locales %v", got)
	}
}

func BenchmarkText(b *testing.B) {
	p := Default()
	args := map[string]string{"order_id": "HH12345678", "status": "shipped", "tracking": "SF1"}
	for b.Loop() {
		p.Text(OrderStatus, "zh-Hant", args)
	}
}
