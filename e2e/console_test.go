package e2e

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// kpiView is the part of GET /v1/kpis the console cards show.
type kpiView struct {
	Contacts int `json:"contacts"`
	FCR      struct {
		Rate float64 `json:"rate"`
	} `json:"fcr"`
	CSAT struct {
		Mean  float64 `json:"mean"`
		Count int     `json:"count"`
	} `json:"csat"`
	Counts struct {
		Resolved  int `json:"resolved"`
		HandedOff int `json:"handed_off"`
	} `json:"counts"`
}

// needChromium returns Debian's chromium, or skips a browser test on a
// machine without it (CI installs it with fonts-noto-cjk).
func needChromium(t *testing.T) string {
	t.Helper()
	p := chromiumPath()
	if p == "" {
		t.Skip("chromium is not on PATH (Debian: apt-get install chromium fonts-noto-cjk); skipping the browser test")
	}
	return p
}

// chromiumPath finds Debian's chromium.
func chromiumPath() string {
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// artefactDir is where the screenshots of one browser test go
// (e2e/testdata/artifacts/<test>, gitignored; CI uploads it).
func artefactDir(t *testing.T) string {
	t.Helper()
	dir := filepath.Join("testdata", "artifacts", t.Name())
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	abs, _ := filepath.Abs(dir)
	t.Logf("screenshots in %s", abs)
	return dir
}

// browser is one headless Chromium with a fresh profile, closed at cleanup.
// shooter runs browser steps, saving a screenshot after each (also after a
// failed one: "-FAILED") into dir, numbered across tabs, and fails the test
// with the server log when a step fails.
type shooter struct {
	t       *testing.T
	dir     string
	n       int
	logs    func() string
	timeout time.Duration // per step; 0: 45 s
}

func (s *shooter) step(ctx context.Context, name string, actions ...chromedp.Action[chromedp.Void]) {
	s.t.Helper()
	s.n++
	timeout := s.timeout
	if timeout == 0 {
		timeout = 45 * time.Second
	}
	sctx, cancel := context.WithTimeout(ctx, timeout)
	err := chromedp.Do(sctx, actions...)
	cancel()
	file := filepath.Join(s.dir, fmt.Sprintf("%02d-%s.png", s.n, name))
	if err != nil {
		file = filepath.Join(s.dir, fmt.Sprintf("%02d-%s-FAILED.png", s.n, name))
	}
	// Short deadline: the step's own may be what ran out.
	sctx, cancel = context.WithTimeout(ctx, 10*time.Second)
	if png, serr := chromedp.Run(sctx, chromedp.FullScreenshot(100)); serr == nil {
		if werr := os.WriteFile(file, png, 0o644); werr != nil {
			s.t.Errorf("saving %s: %v", file, werr)
		}
	}
	cancel()
	if err != nil {
		s.t.Fatalf("step %s: %v (screenshot %s)\nserver log:\n%s", name, err, file, s.logs())
	}
}

// screenshotSteps is a shooter for a test with one browser tab.
func screenshotSteps(t *testing.T, ctx context.Context, dir string, timeout time.Duration, in *instance) func(name string, actions ...chromedp.Action[chromedp.Void]) {
	s := &shooter{t: t, dir: dir, logs: in.log.String, timeout: timeout}
	return func(name string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		s.step(ctx, name, actions...)
	}
}

func browser(t *testing.T, path string) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1366, 900),
		chromedp.Flag("lang", "en-US"),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelCtx(); cancelAlloc() })
	// The first run starts the browser and must not carry a step's timeout.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	return ctx
}

func byID(id string) chromedp.CSS { return chromedp.CSS(fmt.Sprintf(`[data-testid=%q]`, id)) }

// TestConsoleBrowserFlow drives the console in headless Chromium the way an
// agent works a handoff: log in, see the customer's request for a human
// appear in the queue, claim it, reply, resolve, and see the KPI dashboard
// count the resolved contact and its survey score.
func TestConsoleBrowserFlow(t *testing.T) {
	chromium := needChromium(t)
	t.Parallel()
	began := time.Now()
	in := start(t)
	dir := artefactDir(t)
	ctx := browser(t, chromium)
	step := screenshotSteps(t, ctx, dir, 40*time.Second, in)
	// waitJS polls a page expression until it is true.
	waitJS := func(expr string) chromedp.Action[chromedp.Void] {
		return chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(30*time.Second))
	}

	step("login-page",
		chromedp.Navigate(in.URL+"/console/"),
		chromedp.WaitVisible(byID("login-key")))
	step("logged-in",
		chromedp.SendKeys(byID("login-key"), adminKey),
		chromedp.Click(byID("login-submit")),
		chromedp.WaitVisible(byID("logout-button")),
		chromedp.WaitNotVisible(byID("login-form")))

	// The customer asks for a person; the desk opens a handoff.
	a := in.post("web", "c-browser", "conv-browser", "m-browser-1", "同我轉真人客服啦")
	v := in.waitContact(a.ContactID, 30*time.Second, func(v contactView) bool { return v.Handoff != nil && v.Handoff.ID != "" })
	hid := v.Handoff.ID
	row := fmt.Sprintf(`tr[data-testid="queue-row"][data-id=%q]`, hid)
	rowOpen := chromedp.CSS(row + ` [data-testid="queue-open"]`)

	step("handoff-in-queue", chromedp.WaitVisible(chromedp.CSS(row)))
	step("conversation-open",
		chromedp.Click(rowOpen),
		chromedp.WaitVisible(byID("conversation-meta")),
		waitJS(`[...document.querySelectorAll('[data-testid="message"]')].some(m => m.textContent.includes('真人客服'))`))
	step("claimed",
		chromedp.WaitEnabled(byID("claim-button")),
		chromedp.Click(byID("claim-button")),
		waitJS(`document.querySelector('[data-testid="conversation-status"]').textContent.startsWith('Claimed')`),
		chromedp.WaitEnabled(byID("reply-button")))
	if v := in.waitContact(a.ContactID, 10*time.Second, func(v contactView) bool { return v.Handoff.State == "claimed" }); v.Handoff.Agent == "" {
		t.Errorf("claimed handoff has no agent: %+v", v.Handoff)
	}

	const reply = "你好，我係客服小陳，有咩可以幫到你？"
	step("replied",
		chromedp.SendKeys(byID("reply-text"), reply),
		chromedp.Click(byID("reply-button")),
		waitJS(`document.querySelector('[data-testid="conversation-status"]').textContent === 'Reply sent.'`),
		waitJS(`[...document.querySelectorAll('[data-testid="message"].from-agent')].some(m => m.textContent.includes('客服小陳'))`))

	step("resolved",
		chromedp.SendKeys(byID("resolve-resolution"), "customer talked to an agent"),
		chromedp.SetValue(byID("resolve-code"), "answered"),
		chromedp.Click(byID("resolve-button")),
		waitJS(`document.querySelector('[data-testid="conversation-status"]').textContent.startsWith('Resolved')`),
		waitJS(`[...document.querySelectorAll('[data-testid="message"]')].some(m => m.classList.contains('from-bot') && m.querySelector('.kind'))`))
	v = in.waitContact(a.ContactID, 15*time.Second, func(v contactView) bool {
		return v.Ticket != nil && v.Ticket.Status == "resolved" && len(v.Replies) > 0 && v.Replies[len(v.Replies)-1].Kind == "survey"
	})
	if got := v.count("agent"); got != 1 {
		t.Errorf("agent replies = %d, want 1", got)
	}
	// The customer answers the survey, as on the phone.
	if code := in.call("POST", "/v1/contacts/"+a.ContactID+"/messages", adminKey,
		map[string]string{"message_id": "m-browser-csat", "text": "5"}, nil); code != http.StatusAccepted {
		t.Fatalf("survey answer = %d", code)
	}

	// The KPI figures include the resolved contact and its score before the
	// dashboard is checked against them.
	var k kpiView
	deadline := time.Now().Add(20 * time.Second)
	for {
		k = kpiView{}
		if code := in.call("GET", "/v1/kpis", adminKey, nil, &k); code == 200 && k.Counts.Resolved == 1 && k.CSAT.Count == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("KPIs never counted the resolved, scored contact: %+v", k)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if k.Contacts != 1 || k.Counts.HandedOff != 1 {
		t.Errorf("KPIs = %+v, want 1 contact, handed off", k)
	}
	cardValue := func(id string) string {
		return fmt.Sprintf(`(document.querySelector('[data-testid=%q] .card-value') || {}).textContent`, id)
	}
	wantFCR := fmt.Sprintf("%.1f%%", 100*k.FCR.Rate)
	step("kpi-dashboard",
		chromedp.Click(byID("tab-kpis")),
		chromedp.WaitVisible(byID("kpi-panel")),
		waitJS(cardValue("kpi-contacts")+` === '1'`),
		waitJS(fmt.Sprintf(`%s === %q`, cardValue("kpi-fcr"), wantFCR)),
		waitJS(cardValue("kpi-csat")+` === '5.00'`),
		chromedp.WaitVisible(byID("chart-first-response")+` svg`))

	// The cards are rebuilt on every refresh (and the live queue now
	// refreshes the page's banners), so a node found a moment ago may be
	// detached: read the current card's text in one evaluation.
	text := func(id string) string {
		tctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		s, err := chromedp.Run(tctx, chromedp.Evaluate[string](cardValue(id)+` || ''`))
		if err != nil {
			t.Fatalf("reading %s: %v", id, err)
		}
		return s
	}
	contacts, fcr, csat := text("kpi-contacts"), text("kpi-fcr"), text("kpi-csat")
	if strings.TrimSpace(contacts) != "1" || strings.TrimSpace(fcr) != wantFCR || strings.TrimSpace(csat) != "5.00" {
		t.Errorf("dashboard shows contacts %q, FCR %q, CSAT %q; want 1, %s, 5.00", contacts, fcr, csat, wantFCR)
	}
	t.Logf("browser flow took %s (including instance start)", time.Since(began).Round(100*time.Millisecond))
}
