package e2e

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

type profileDoc struct {
	Version  int64 `json:"version"`
	Business struct {
		Name       string `json:"name"`
		PrivacyURL string `json:"privacy_url"`
	} `json:"business"`
	Texts map[string]map[string]string `json:"texts"`
}

type profileVersions struct {
	Items []struct {
		Version int64 `json:"version"`
		Active  bool  `json:"active"`
	} `json:"items"`
}

// profileText is the editor's field for one text key in one locale.
func profileText(key, locale string) string {
	return fmt.Sprintf(`textarea[data-testid="profile-text"][data-key=%q][data-locale=%q]`, key, locale)
}

// retype empties an editor field (as select-all + delete would) and types
// s into it key by key.
func retype(sel, s string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.Click(chromedp.CSS(sel)),
		chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => { const el = document.querySelector(%q);
			el.value = ''; el.dispatchEvent(new Event('input', { bubbles: true })); })()`, sel)),
		chromedp.SendKeys(chromedp.CSS(sel), s),
	)
}

// TestProfileConsoleBrowser drives the business-profile screen in headless
// Chromium as an admin: edit the Cantonese and English privacy notice, see
// the preview with the business name and privacy link filled in, save and
// see the new version; the API serves it and the next Cantonese and English
// customers get the new notice. An unknown placeholder is flagged while
// typing, refused by the server with its message next to the field, and
// the edit stays; fixed, it saves as a further version, and rolling back
// (after the confirm step) puts the earlier version in force again. An
// agent never sees the screen.
func TestProfileConsoleBrowser(t *testing.T) {
	chromium := needChromium(t)
	t.Parallel()
	began := time.Now()
	in := start(t)
	ctx := browser(t, chromium)
	step := screenshotSteps(t, ctx, artefactDir(t), 45*time.Second, in)

	var before profileDoc
	if code := in.call("GET", "/v1/profile", adminKey, nil, &before); code != http.StatusOK || before.Version != 0 {
		t.Fatalf("GET /v1/profile = %d, version %d; want the shipped default (0)", code, before.Version)
	}
	name, privacy := before.Business.Name, before.Business.PrivacyURL
	oldHandoffEN := before.Texts["handoff"]["en"]
	if name == "" || privacy == "" || oldHandoffEN == "" {
		t.Fatalf("default profile lacks a name, privacy URL or English handoff text: %+v", before)
	}

	step("login-page",
		chromedp.Navigate(in.URL+"/console/"),
		chromedp.WaitVisible(byID("login-key")))
	step("admin-sees-profile-tab",
		chromedp.SendKeys(byID("login-key"), adminKey),
		chromedp.Click(byID("login-submit")),
		chromedp.WaitVisible(byID("logout-button")),
		chromedp.WaitVisible(byID("tab-profile")))
	step("profile-open",
		chromedp.Click(byID("tab-profile")),
		chromedp.WaitVisible(byID("profile-panel")),
		until(`document.querySelector('[data-testid="profile-version"]').dataset.version === '0'`),
		until(fmt.Sprintf(`document.querySelector('[data-testid="profile-name"]').value === %q`, name)),
		// Every text key, each locale side by side.
		until(`document.querySelectorAll('[data-testid="profile-text-row"]').length >= 10`),
		until(`['yue-Hant', 'zh-Hant', 'zh-Hans', 'en'].every(l => !!document.querySelector('textarea[data-key="privacy_notice"][data-locale="' + l + '"]'))`),
		until(fmt.Sprintf(`document.querySelector(%q).value.includes('{business_name}')`, profileText("privacy_notice", "yue-Hant"))))

	const (
		yue = "歡迎嚟到{business_name}！新版私隱聲明：{privacy_url}。唔想再收訊息就回覆「STOP」。"
		en  = "Welcome to {business_name}! New privacy notice: {privacy_url}. Reply STOP to opt out."
	)
	fill := func(s string) string {
		return strings.NewReplacer("{business_name}", name, "{privacy_url}", privacy).Replace(s)
	}
	previewIs := func(key, locale, want string) chromedp.Action[chromedp.Void] {
		return until(fmt.Sprintf(`document.querySelector('[data-testid="profile-preview-key"]').value === %q &&
			document.querySelector('[data-testid="profile-preview-locale"]').value === %q &&
			document.querySelector('[data-testid="profile-preview-text"]').textContent === %q`, key, locale, want))
	}
	step("edited-cantonese-preview",
		retype(profileText("privacy_notice", "yue-Hant"), yue),
		previewIs("privacy_notice", "yue-Hant", fill(yue)),
		until(`document.querySelector('[data-testid="profile-status"]').textContent !== ''`))
	step("edited-english-preview",
		retype(profileText("privacy_notice", "en"), en),
		previewIs("privacy_notice", "en", fill(en)),
		until(`![...document.querySelectorAll('[data-testid="profile-issue"]')].some(i => i.dataset.level === 'error')`))
	step("saved-version-1",
		chromedp.Click(byID("profile-save")),
		until(`document.querySelector('[data-testid="profile-version"]').dataset.version === '1'`),
		until(`document.querySelector('[data-testid="profile-status"]').textContent.includes('version 1')`),
		until(`!!document.querySelector('[data-testid="profile-version-row"][data-version="1"] [data-testid="profile-version-active"]')`),
		until(fmt.Sprintf(`document.querySelector(%q).value === %q`, profileText("privacy_notice", "en"), en)))

	var got profileDoc
	if code := in.call("GET", "/v1/profile", adminKey, nil, &got); code != http.StatusOK || got.Version != 1 {
		t.Fatalf("GET /v1/profile after saving = %d, version %d; want 1", code, got.Version)
	}
	if got.Texts["privacy_notice"]["yue-Hant"] != yue || got.Texts["privacy_notice"]["en"] != en {
		t.Errorf("privacy notice in force = %q / %q, want the edited texts", got.Texts["privacy_notice"]["yue-Hant"], got.Texts["privacy_notice"]["en"])
	}
	if got.Texts["handoff"]["zh-Hant"] != before.Texts["handoff"]["zh-Hant"] || got.Business.Name != name {
		t.Errorf("saving changed what was not edited: %+v", got)
	}

	// New customers get the new notice (workers reload within 5 s).
	for i, c := range []struct{ text, want string }{
		{"你哋星期日幾點開門呀？", fill(yue)},
		{"What time do you open on Sunday?", fill(en)},
	} {
		deadline := time.Now().Add(20 * time.Second)
		for n := 0; ; n++ {
			conv := fmt.Sprintf("k-profile-%d-%d", i, n)
			a := in.post("web", "c-"+conv, conv, "m1", c.text)
			v := in.waitContact(a.ContactID, 15*time.Second, func(v contactView) bool {
				for _, r := range v.Replies {
					if r.Kind == "notice" {
						return true
					}
				}
				return false
			})
			var notice string
			for _, r := range v.Replies {
				if r.Kind == "notice" {
					notice = r.Text
				}
			}
			if notice == c.want {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%q: notice %q, want the edited %q", c.text, notice, c.want)
			}
			time.Sleep(500 * time.Millisecond)
		}
	}

	// An unknown placeholder: flagged while typing, refused by the server
	// next to the field, and the edit stays.
	const bad = "We'll be right with you, {customer_name}."
	badField := `[data-testid="profile-field-error"][data-field="texts.handoff.en"]`
	step("unknown-placeholder-flagged",
		retype(profileText("handoff", "en"), bad),
		until(`[...document.querySelectorAll('[data-testid="profile-issue"]')].some(i => i.dataset.field === 'texts.handoff.en' && i.dataset.level === 'error' && i.textContent.includes('{customer_name}'))`),
		until(`!!document.querySelector('[data-testid="profile-preview-text"] mark.ph-unknown')`))
	step("server-refused",
		chromedp.Click(byID("profile-save")),
		until(fmt.Sprintf(`(() => { const e = document.querySelector('%s'); return !!e && !e.hidden && e.textContent.includes('unknown placeholder {customer_name}'); })()`, badField)),
		until(`!document.querySelector('[data-testid="profile-error"]').hidden && document.querySelector('[data-testid="profile-error"]').textContent.includes('422')`),
		until(fmt.Sprintf(`document.querySelector(%q).value === %q`, profileText("handoff", "en"), bad)),
		until(fmt.Sprintf(`document.querySelector(%q).value === %q`, profileText("privacy_notice", "en"), en)),
		until(`document.querySelector('[data-testid="profile-version"]').dataset.version === '1'`))
	var vs profileVersions
	if code := in.call("GET", "/v1/profile/versions", adminKey, nil, &vs); code != http.StatusOK || len(vs.Items) != 1 {
		t.Fatalf("versions after the refused save = %d %+v, want only version 1", code, vs)
	}

	// Fixed, it saves as version 2.
	const good = "{business_name} will be right with you."
	step("fixed-saved-version-2",
		retype(profileText("handoff", "en"), good),
		until(fmt.Sprintf(`document.querySelector('%s').hidden`, badField)),
		chromedp.Click(byID("profile-save")),
		until(`document.querySelector('[data-testid="profile-version"]').dataset.version === '2'`),
		until(`document.querySelector('[data-testid="profile-error"]').hidden`))
	if code := in.call("GET", "/v1/profile", adminKey, nil, &got); code != http.StatusOK || got.Version != 2 || got.Texts["handoff"]["en"] != good {
		t.Fatalf("GET /v1/profile = %d, version %d, handoff.en %q; want version 2 with %q", code, got.Version, got.Texts["handoff"]["en"], good)
	}

	// Roll back to version 1, after confirming.
	row1 := `[data-testid="profile-version-row"][data-version="1"]`
	step("rollback-confirm",
		chromedp.Click(chromedp.CSS(row1+` [data-testid="profile-activate"]`)),
		chromedp.WaitVisible(byID("profile-confirm")),
		until(`document.querySelector('[data-testid="profile-confirm"]').textContent.includes('version 1')`))
	step("rolled-back",
		chromedp.Click(byID("profile-confirm-yes")),
		chromedp.WaitNotVisible(byID("profile-confirm")),
		until(`document.querySelector('[data-testid="profile-version"]').dataset.version === '1'`),
		until(fmt.Sprintf(`!!document.querySelector('%s [data-testid="profile-version-active"]')`, row1)),
		until(fmt.Sprintf(`document.querySelector(%q).value === %q`, profileText("handoff", "en"), oldHandoffEN)))
	if code := in.call("GET", "/v1/profile", adminKey, nil, &got); code != http.StatusOK || got.Version != 1 || got.Texts["handoff"]["en"] != oldHandoffEN {
		t.Fatalf("after roll-back GET /v1/profile = %d, version %d, handoff.en %q; want version 1 with %q", code, got.Version, got.Texts["handoff"]["en"], oldHandoffEN)
	}
	vs = profileVersions{}
	in.call("GET", "/v1/profile/versions", adminKey, nil, &vs)
	for _, v := range vs.Items {
		if v.Active != (v.Version == 1) {
			t.Errorf("after roll-back version %d active=%v", v.Version, v.Active)
		}
	}

	// An agent does not see the screen, even when asking for it by address.
	step("agent-no-profile",
		chromedp.Click(byID("logout-button")),
		chromedp.WaitVisible(byID("login-key")),
		chromedp.SendKeys(byID("login-key"), "agent-a"),
		chromedp.Click(byID("login-submit")),
		chromedp.WaitVisible(byID("logout-button")),
		chromedp.Navigate(in.URL+"/console/#profile"),
		chromedp.WaitVisible(byID("queue-panel")),
		until(`document.querySelector('[data-testid="tab-profile"]').hidden`),
		until(`document.querySelector('[data-testid="tab-lexicon"]').hidden && document.querySelector('[data-testid="tab-kb"]').hidden`),
		until(`document.querySelector('[data-view-panel="profile"]').hidden`))
	t.Logf("profile browser flow took %s (including instance start)", time.Since(began).Round(100*time.Millisecond))
}
