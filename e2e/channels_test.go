package e2e

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/harbordesk/harbordesk/internal/crm"
)

// Channels and integrations end to end: the real binary against local fakes
// written here, each speaking the partner's documented wire format —
// the WhatsApp Cloud (Graph) API (messages, media), an OpenAI-compatible
// transcription server, an OAuth2 client-credentials token server
// (RFC 6749 §4.4) and an ERP REST API — plus the built-in PostgreSQL CRM.

const (
	chGraphVersion = "v21.0"
	chPhoneID      = "109876543210"
	chGraphToken   = "EAAG-e2e-graph-token"
	chVerifyToken  = "e2e-verify-token"
	chAppSecret    = "e2e-app-secret"
	chClientID     = "harbordesk-e2e"
	chClientSecret = "e2e-client-secret"
	chVoiceText    = "我想問我張單幾時到"
)

// on returns a view of in whose helpers fail t, so subtests (parallel ones
// too) never call FailNow on the parent test.
func (in *instance) on(t *testing.T) *instance {
	c := *in
	c.t = t
	return &c
}

func (in *instance) envValue(name string) string {
	for _, kv := range in.env {
		if v, ok := strings.CutPrefix(kv, name+"="); ok {
			return v
		}
	}
	return ""
}

// --- fake WhatsApp Cloud (Graph) API -----------------------------------------

type chSend struct {
	Path, Auth string
	Body       struct {
		MessagingProduct string `json:"messaging_product"`
		RecipientType    string `json:"recipient_type"`
		To               string `json:"to"`
		Type             string `json:"type"`
		Text             *struct {
			Body string `json:"body"`
		} `json:"text"`
		Template *struct {
			Name string `json:"name"`
		} `json:"template"`
	}
}

type chGraph struct {
	srv   *httptest.Server
	media map[string][]byte        // media id → bytes served at /media/<id>
	mimes map[string]string        // media id → declared mime_type (default audio/ogg)
	slow  map[string]time.Duration // media id → how long its download stalls
	mu    sync.Mutex
	sends []chSend
	gets  []string // "path auth" of every media GET
	n     int
}

func newChGraph(t *testing.T, media map[string][]byte) *chGraph {
	g := &chGraph{media: media, mimes: map[string]string{}, slow: map[string]time.Duration{}}
	g.srv = httptest.NewServer(g)
	t.Cleanup(g.srv.Close)
	return g
}

func (g *chGraph) base() string { return g.srv.URL + "/" + chGraphVersion }

// graphError answers the way the Graph API does ({"error":{…}}).
func graphError(w http.ResponseWriter, status, code int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{
		"message": msg, "type": "OAuthException", "code": code, "fbtrace_id": "AbCdE2e"}})
}

func (g *chGraph) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	auth := r.Header.Get("Authorization")
	if r.Method == http.MethodGet {
		g.mu.Lock()
		g.gets = append(g.gets, r.URL.Path+" "+auth)
		g.mu.Unlock()
	}
	if auth != "Bearer "+chGraphToken {
		graphError(w, http.StatusUnauthorized, 190, "Invalid OAuth access token.")
		return
	}
	prefix := "/" + chGraphVersion + "/"
	switch {
	case r.Method == http.MethodPost && r.URL.Path == prefix+chPhoneID+"/messages":
		var s chSend
		s.Path, s.Auth = r.URL.Path, auth
		if r.Header.Get("Content-Type") != "application/json" || json.NewDecoder(r.Body).Decode(&s.Body) != nil {
			graphError(w, http.StatusBadRequest, 100, "Invalid parameter")
			return
		}
		g.mu.Lock()
		g.sends = append(g.sends, s)
		g.n++
		id := fmt.Sprintf("wamid.OUT%d", g.n)
		g.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"messaging_product": "whatsapp",
			"contacts": []any{map[string]string{"input": s.Body.To, "wa_id": s.Body.To}},
			"messages": []any{map[string]string{"id": id}}})
	case r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, prefix):
		id := strings.TrimPrefix(r.URL.Path, prefix)
		data, ok := g.media[id]
		if !ok {
			graphError(w, http.StatusNotFound, 100, "Unsupported get request.")
			return
		}
		sum := sha256.Sum256(data)
		mime := g.mimes[id]
		if mime == "" {
			mime = "audio/ogg"
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"messaging_product": "whatsapp",
			"url": g.srv.URL + "/media/" + url.PathEscape(id) + "?ext=1&hash=e2e", "mime_type": mime,
			"sha256": hex.EncodeToString(sum[:]), "file_size": len(data), "id": id})
	case r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/media/"):
		data, ok := g.media[strings.TrimPrefix(r.URL.Path, "/media/")]
		time.Sleep(g.slow[strings.TrimPrefix(r.URL.Path, "/media/")])
		if !ok {
			graphError(w, http.StatusNotFound, 100, "media not found")
			return
		}
		w.Header().Set("Content-Type", "audio/wav")
		w.Header().Set("Content-Length", strconv.Itoa(len(data)))
		_, _ = w.Write(data)
	default:
		graphError(w, http.StatusNotFound, 100, "Unknown path components")
	}
}

func (g *chGraph) sendsTo(waID string) []chSend {
	g.mu.Lock()
	defer g.mu.Unlock()
	var out []chSend
	for _, s := range g.sends {
		if s.Body.To == waID {
			out = append(out, s)
		}
	}
	return out
}

func (g *chGraph) mediaGets() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return slices.Clone(g.gets)
}

// waitSends waits until at least one send reached waID, then a settle
// period so that duplicates would have arrived too.
func (g *chGraph) waitSends(t *testing.T, waID string, timeout, settle time.Duration) []chSend {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for len(g.sendsTo(waID)) == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("no WhatsApp send reached %s within %s", waID, timeout)
		}
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(settle)
	return g.sendsTo(waID)
}

// --- WhatsApp webhook deliveries --------------------------------------------

func chNotification(value map[string]any) []byte {
	value["messaging_product"] = "whatsapp"
	value["metadata"] = map[string]string{"display_phone_number": "85230001234", "phone_number_id": chPhoneID}
	b, _ := json.Marshal(map[string]any{"object": "whatsapp_business_account", "entry": []any{map[string]any{
		"id": "102290129340398", "changes": []any{map[string]any{"field": "messages", "value": value}}}}})
	return b
}

func chInbound(from string, msg map[string]any) []byte {
	msg["from"] = from
	msg["timestamp"] = strconv.FormatInt(time.Now().Unix(), 10)
	return chNotification(map[string]any{
		"contacts": []any{map[string]any{"profile": map[string]string{"name": "Chan Tai Man"}, "wa_id": from}},
		"messages": []any{msg}})
}

func chTextMessage(from, id, text string) []byte {
	return chInbound(from, map[string]any{"id": id, "type": "text", "text": map[string]string{"body": text}})
}

func chSign(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// deliver posts a webhook as WhatsApp does; signature "" sends no header.
func (in *instance) deliver(body []byte, signature string) int {
	in.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, in.URL+"/webhooks/whatsapp", strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	if signature != "" {
		req.Header.Set("X-Hub-Signature-256", signature)
	}
	resp, err := in.httpC.Do(req)
	if err != nil {
		in.t.Fatalf("POST /webhooks/whatsapp: %v", err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

type chTicket struct {
	ID, ContactID, CustomerID, Channel, Kind, Intent, Status string
}

func (in *instance) tickets() []chTicket {
	in.t.Helper()
	var page struct {
		Items []struct {
			ID         string `json:"id"`
			ContactID  string `json:"contact_id"`
			CustomerID string `json:"customer_id"`
			Channel    string `json:"channel"`
			Kind       string `json:"kind"`
			Intent     string `json:"intent"`
			Status     string `json:"status"`
		} `json:"items"`
	}
	if code := in.call("GET", "/v1/tickets?limit=200", adminKey, nil, &page); code != http.StatusOK {
		in.t.Fatalf("GET /v1/tickets = %d", code)
	}
	out := make([]chTicket, 0, len(page.Items))
	for _, it := range page.Items {
		out = append(out, chTicket{it.ID, it.ContactID, it.CustomerID, it.Channel, it.Kind, it.Intent, it.Status})
	}
	return out
}

func (in *instance) ticketOf(contactID string) (chTicket, bool) {
	for _, tk := range in.tickets() {
		if tk.ContactID == contactID {
			return tk, true
		}
	}
	return chTicket{}, false
}

// whatsappContacts lists the ids of WhatsApp contacts the instance holds,
// straight from its database (so a contact without a ticket counts too).
func (in *instance) whatsappContacts() []string {
	in.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, in.envValue("DATABASE_URL"))
	if err != nil {
		in.t.Fatalf("connect to the instance database: %v", err)
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `SELECT id FROM contacts WHERE channel = 'whatsapp' ORDER BY created_at`)
	if err != nil {
		in.t.Fatalf("list contacts: %v", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		in.t.Fatalf("list contacts: %v", err)
	}
	return ids
}

// newWhatsAppContact waits for one WhatsApp contact not in seen.
func (in *instance) newWhatsAppContact(seen []string, timeout time.Duration) string {
	in.t.Helper()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		for _, id := range in.whatsappContacts() {
			if !slices.Contains(seen, id) {
				return id
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	in.t.Fatalf("no new WhatsApp contact within %s", timeout)
	return ""
}

func botAnswer(v contactView) string {
	for _, r := range v.Replies {
		if r.Author == "bot" && r.Kind != "notice" {
			return r.Text
		}
	}
	return ""
}

// --- fake OpenAI-compatible transcription server ------------------------------

type chASR struct {
	srv  *httptest.Server
	text string
	mu   sync.Mutex
	n    int
	wavs int
}

func newChASR(t *testing.T, text string) *chASR {
	a := &chASR{text: text}
	a.srv = httptest.NewServer(a)
	t.Cleanup(a.srv.Close)
	return a
}

func (a *chASR) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/v1/audio/transcriptions" {
		openAIError(w, http.StatusNotFound, "unknown route")
		return
	}
	if err := r.ParseMultipartForm(32 << 20); err != nil || r.FormValue("model") == "" {
		openAIError(w, http.StatusBadRequest, "multipart form with file and model required")
		return
	}
	f, _, err := r.FormFile("file")
	if err != nil {
		openAIError(w, http.StatusBadRequest, "file required")
		return
	}
	b, _ := io.ReadAll(f)
	f.Close()
	ok, _, _ := wavInfo(b)
	a.mu.Lock()
	a.n++
	if ok {
		a.wavs++
	}
	a.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	res := map[string]any{"text": a.text}
	if r.FormValue("response_format") == "verbose_json" {
		res["language"], res["duration"] = "cantonese", 2.0
	}
	_ = json.NewEncoder(w).Encode(res)
}

func (a *chASR) calls() (n, wavs int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.n, a.wavs
}

// --- fake OAuth2 token server and ERP --------------------------------------

type chOrder struct {
	Number     string           `json:"number"`
	CustomerID string           `json:"customer_id"`
	Status     string           `json:"status"`
	Carrier    string           `json:"carrier"`
	TrackingNo string           `json:"tracking_no"`
	Items      []map[string]any `json:"items"`
}

// chERP is a token server (client_credentials, tokens live 1 s) and an ERP
// that accepts only live tokens, like a resource server validating expiry.
type chERP struct {
	tokens, api *httptest.Server
	orders      map[string]chOrder
	down        map[string]bool // order numbers whose lookup always fails with 500
	mu          sync.Mutex
	issued      map[string]time.Time
	tokenReqs   int
	badClient   int
	calls       map[string][]string // order number → tokens presented, one per call
}

const chTokenLife = time.Second

func newChERP(t *testing.T, orders []chOrder, down ...string) *chERP {
	e := &chERP{orders: map[string]chOrder{}, down: map[string]bool{}, issued: map[string]time.Time{}, calls: map[string][]string{}}
	for _, o := range orders {
		e.orders[o.Number] = o
	}
	for _, d := range down {
		e.down[d] = true
	}
	e.tokens = httptest.NewServer(http.HandlerFunc(e.token))
	e.api = httptest.NewServer(http.HandlerFunc(e.order))
	t.Cleanup(e.tokens.Close)
	t.Cleanup(e.api.Close)
	return e
}

func (e *chERP) env() []string {
	return []string{"HARBORDESK_CRM_URL=" + e.api.URL, "HARBORDESK_CRM_TOKEN_URL=" + e.tokens.URL + "/oauth2/token",
		"HARBORDESK_CRM_CLIENT_ID=" + chClientID, "HARBORDESK_CRM_CLIENT_SECRET=" + chClientSecret}
}

func oauthError(w http.ResponseWriter, status int, code string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": code})
}

// token implements the client credentials grant: POST form
// grant_type=client_credentials, client authenticated by HTTP Basic or by
// client_id/client_secret in the form.
func (e *chERP) token(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/oauth2/token" || r.ParseForm() != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request")
		return
	}
	id, secret, basic := r.BasicAuth()
	if basic {
		id, _ = url.QueryUnescape(id)
		secret, _ = url.QueryUnescape(secret)
	} else {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if id != chClientID || secret != chClientSecret {
		e.badClient++
		oauthError(w, http.StatusUnauthorized, "invalid_client")
		return
	}
	if r.PostForm.Get("grant_type") != "client_credentials" {
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type")
		return
	}
	e.tokenReqs++
	tok := fmt.Sprintf("erp-token-%d", e.tokenReqs)
	e.issued[tok] = time.Now()
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(map[string]any{"access_token": tok, "token_type": "Bearer",
		"expires_in": int(chTokenLife / time.Second)})
}

func (e *chERP) order(w http.ResponseWriter, r *http.Request) {
	number, ok := strings.CutPrefix(r.URL.Path, "/orders/")
	if r.Method != http.MethodGet || !ok || number == "" {
		http.Error(w, `{"error":"not_found"}`, http.StatusNotFound)
		return
	}
	tok, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	e.mu.Lock()
	e.calls[number] = append(e.calls[number], tok)
	at, issued := e.issued[tok]
	o, known := e.orders[number]
	down := e.down[number]
	e.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	switch {
	case !issued || time.Since(at) > chTokenLife:
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token", error_description="expired"`)
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = io.WriteString(w, `{"error":"invalid_token"}`)
	case down:
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = io.WriteString(w, `{"error":"database unavailable"}`)
	case !known:
		w.WriteHeader(http.StatusNotFound)
		_, _ = io.WriteString(w, `{"error":"order not found"}`)
	default:
		_ = json.NewEncoder(w).Encode(o)
	}
}

func (e *chERP) stats(number string) (tokenReqs int, tokens []string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.tokenReqs, slices.Clone(e.calls[number])
}

// --- tests ------------------------------------------------------------------

// The texts the tests send: the order number each must yield, so a change
// in extraction shows up here and not as a confusing e2e failure.
func TestChannelsOrderNumbersInTestTexts(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"我張單 HK20461 到咗未？", "HK20461"},
		{"我張單 HK20462 到咗未？", "HK20462"},
		{"我張單 HK50500 到咗未？", "HK50500"},
		{"我張單 HK77777 到咗未？", "HK77777"},
		{"我張單 HK20469 到咗未？", "HK20469"},
		{"我張單 HK30518 到咗未？", "HK30518"},
		{chVoiceText, ""},
		{"請問你哋星期日開唔開門？", ""},
	} {
		got, ok := crm.ExtractOrderNumber(tc.text)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("ExtractOrderNumber(%q) = %q, %v; want %q", tc.text, got, ok, tc.want)
		}
	}
}

func TestChannelsWhatsAppAndERP(t *testing.T) {
	t.Parallel()
	wav := wavClip(2, 16000, 16)
	graph := newChGraph(t, map[string][]byte{"1037543291543636": wav, chPhotoID: chPNG(t)})
	graph.mimes[chPhotoID], graph.slow[chPhotoID] = "image/png", 2*time.Second
	asr := newChASR(t, chVoiceText)
	erp := newChERP(t, []chOrder{
		{Number: "HK20461", CustomerID: "cust-erp-1", Status: "shipped", Carrier: "SF Express", TrackingNo: "SF1402338391",
			Items: []map[string]any{{"sku": "KB-87", "name": "Keyboard", "quantity": 1}}},
		{Number: "HK20462", CustomerID: "cust-erp-1", Status: "packing", Carrier: "Kerry", TrackingNo: "KE7730021",
			Items: []map[string]any{{"sku": "MS-2", "name": "Mouse", "quantity": 2}}},
		{Number: "HK20469", CustomerID: "cust-erp-1", Status: "delivered", Carrier: "SF Express", TrackingNo: "SF1402339999"},
	}, "HK50500")
	env := append([]string{
		"HARBORDESK_WHATSAPP_VERIFY_TOKEN=" + chVerifyToken, "HARBORDESK_WHATSAPP_APP_SECRET=" + chAppSecret,
		"HARBORDESK_WHATSAPP_TOKEN=" + chGraphToken, "HARBORDESK_WHATSAPP_PHONE_NUMBER_ID=" + chPhoneID,
		"HARBORDESK_WHATSAPP_API_BASE=" + graph.base(), "HARBORDESK_ASR_URL=" + asr.srv.URL + "/v1",
	}, erp.env()...)
	root := start(t, env...)

	t.Run("whatsapp", func(t *testing.T) {
		in := root.on(t)
		var seen []string

		t.Run("verify handshake", func(t *testing.T) {
			for _, tc := range []struct {
				mode, token string
				want        int
			}{
				{"subscribe", chVerifyToken, http.StatusOK},
				{"subscribe", "not-the-token", http.StatusForbidden},
				{"subscribe", "", http.StatusForbidden},
				{"unsubscribe", chVerifyToken, http.StatusForbidden},
			} {
				q := url.Values{"hub.mode": {tc.mode}, "hub.verify_token": {tc.token}, "hub.challenge": {"1158201444"}}
				resp, err := http.Get(in.URL + "/webhooks/whatsapp?" + q.Encode())
				if err != nil {
					t.Fatal(err)
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != tc.want {
					t.Errorf("mode=%s token=%q: %d, want %d", tc.mode, tc.token, resp.StatusCode, tc.want)
				}
				if tc.want == http.StatusOK && string(body) != "1158201444" {
					t.Errorf("challenge echoed as %q", body)
				}
				if tc.want != http.StatusOK && strings.Contains(string(body), "1158201444") {
					t.Errorf("rejected handshake echoed the challenge: %q", body)
				}
			}
		})

		const textFrom = "85291230001"
		text := chTextMessage(textFrom, "wamid.HBgLODUyOTEyMzAwMDEVAgASGBQzQUVCRTEA", "請問你哋星期日開唔開門？")

		t.Run("bad or missing signature is 401 and starts nothing", func(t *testing.T) {
			tampered := []byte(strings.Replace(string(text), "星期日", "星期六", 1))
			for name, tc := range map[string]struct {
				body []byte
				sig  string
			}{
				"missing":          {text, ""},
				"wrong secret":     {text, chSign("some-other-secret", text)},
				"tampered body":    {tampered, chSign(chAppSecret, text)},
				"truncated digest": {text, chSign(chAppSecret, text)[:40]},
				"sha1 scheme":      {text, "sha1=" + strings.TrimPrefix(chSign(chAppSecret, text), "sha256=")},
			} {
				if code := in.deliver(tc.body, tc.sig); code != http.StatusUnauthorized {
					t.Errorf("%s signature: %d, want 401", name, code)
				}
			}
			time.Sleep(time.Second) // anything wrongly started would show by now
			if ids := in.whatsappContacts(); len(ids) != 0 {
				t.Errorf("rejected deliveries started %d contacts", len(ids))
			}
			if n := len(graph.sendsTo(textFrom)); n != 0 {
				t.Errorf("rejected deliveries sent %d WhatsApp messages", n)
			}
		})

		t.Run("signed text delivered three times gets one reply via the Graph API", func(t *testing.T) {
			sig := chSign(chAppSecret, text)
			codes := make([]int, 3)
			var wg sync.WaitGroup
			for i := range codes {
				wg.Add(1)
				go func() { defer wg.Done(); codes[i] = in.deliver(text, sig) }()
			}
			wg.Wait()
			for i, c := range codes {
				if c != http.StatusOK {
					t.Fatalf("signed delivery %d: %d, want 200", i+1, c)
				}
			}
			sends := graph.waitSends(t, textFrom, 30*time.Second, 2*time.Second)
			if len(sends) != 1 {
				t.Fatalf("three deliveries of one message produced %d sends, want 1", len(sends))
			}
			s := sends[0]
			if s.Path != "/"+chGraphVersion+"/"+chPhoneID+"/messages" || s.Auth != "Bearer "+chGraphToken {
				t.Errorf("send went to %s with %q", s.Path, s.Auth)
			}
			if s.Body.MessagingProduct != "whatsapp" || s.Body.Type != "text" || s.Body.Text == nil || s.Body.Text.Body == "" {
				t.Fatalf("send body %+v is not a WhatsApp text message", s.Body)
			}
			id := in.newWhatsAppContact(seen, 10*time.Second)
			seen = append(seen, id)
			v := in.waitContact(id, 20*time.Second, func(v contactView) bool { return v.botAnswers() >= 1 })
			if len(v.Transcript) != 1 {
				t.Errorf("transcript has %d messages, want 1 (deduped)", len(v.Transcript))
			}
			if v.Intent != "business_hours" || v.Language != "yue" {
				t.Errorf("read as %s/%s, want business_hours/yue", v.Intent, v.Language)
			}
			if a := botAnswer(v); a == "" || !strings.Contains(s.Body.Text.Body, a) {
				t.Errorf("WhatsApp got %q, which does not carry the recorded answer %q", s.Body.Text.Body, a)
			}
			if ids := in.whatsappContacts(); len(ids) != 1 {
				t.Errorf("%d WhatsApp contacts after three deliveries, want 1", len(ids))
			}
		})

		t.Run("status notification is acknowledged and starts nothing", func(t *testing.T) {
			status := chNotification(map[string]any{"statuses": []any{map[string]any{
				"id": "wamid.OUT1", "status": "delivered", "timestamp": strconv.FormatInt(time.Now().Unix(), 10),
				"recipient_id": textFrom, "biz_opaque_callback_data": "bot/1/answer"}}})
			if code := in.deliver(status, chSign(chAppSecret, status)); code != http.StatusOK {
				t.Fatalf("status notification: %d, want 200", code)
			}
			time.Sleep(500 * time.Millisecond)
			if ids := in.whatsappContacts(); len(ids) != len(seen) {
				t.Errorf("a status notification started a contact (%d, want %d)", len(ids), len(seen))
			}
			if n := len(graph.sendsTo(textFrom)); n != 1 {
				t.Errorf("a status notification caused a send (%d sends, want 1)", n)
			}
		})

		t.Run("voice note is fetched, transcribed and answered on WhatsApp", func(t *testing.T) {
			const from = "85291230002"
			voice := chInbound(from, map[string]any{"id": "wamid.HBgLODUyOTEyMzAwMDIVAgASGBQzQUVBVURJTwA", "type": "audio",
				"audio": map[string]any{"mime_type": "audio/ogg; codecs=opus", "sha256": "c2hhMjU2LWUyZQ==",
					"id": "1037543291543636", "voice": true}})
			if code := in.deliver(voice, chSign(chAppSecret, voice)); code != http.StatusOK {
				t.Fatalf("signed voice delivery: %d, want 200", code)
			}
			id := in.newWhatsAppContact(seen, 10*time.Second)
			seen = append(seen, id)
			v := in.waitContact(id, 40*time.Second, func(v contactView) bool { return v.botAnswers() >= 1 })
			// Fetched by the workflow's FetchMedia activity, not the webhook.
			gets := graph.mediaGets()
			want := []string{"/" + chGraphVersion + "/1037543291543636 Bearer " + chGraphToken,
				"/media/1037543291543636 Bearer " + chGraphToken}
			if !slices.Equal(gets, want) {
				t.Errorf("media fetches = %q, want %q", gets, want)
			}
			if len(v.Transcript) != 1 || v.Transcript[0].Kind != "voice" || v.Transcript[0].Text != chVoiceText {
				t.Errorf("transcript = %+v, want one voice message %q", v.Transcript, chVoiceText)
			}
			if n, wavs := asr.calls(); n != 1 || wavs != 1 {
				t.Errorf("ASR calls = %d (%d WAV), want 1", n, wavs)
			}
			if v.Intent != "order_status" {
				t.Errorf("voice note read as %q, want order_status", v.Intent)
			}
			sends := graph.waitSends(t, from, 20*time.Second, time.Second)
			if len(sends) != 1 || sends[0].Body.Text == nil || !strings.Contains(sends[0].Body.Text.Body, botAnswer(v)) {
				t.Errorf("voice reply sends = %+v, want one carrying %q", sends, botAnswer(v))
			}
		})

		t.Run("photo is fetched in an activity and shown to agents through a signed link", func(t *testing.T) {
			const from = "85291230003"
			photo := chInbound(from, map[string]any{"id": "wamid.HBgLODUyOTEyMzAwMDMVAgASGBQzQUVBUEhPVE8A", "type": "image",
				"image": map[string]any{"mime_type": "image/png", "sha256": "c2hhMjU2LWUyZQ==", "id": chPhotoID, "caption": "個花樽爛咗"}})
			start := time.Now()
			if code := in.deliver(photo, chSign(chAppSecret, photo)); code != http.StatusOK {
				t.Fatalf("signed photo delivery: %d, want 200", code)
			}
			if d := time.Since(start); d > 5*time.Second { // the Graph API's media URL stalls 2 s: not on this path
				t.Errorf("webhook took %s; media must not be downloaded inside it", d)
			}
			id := in.newWhatsAppContact(seen, 10*time.Second)
			seen = append(seen, id)
			var list struct {
				Items []struct{ ID, MIME, Kind, URL string }
			}
			deadline := time.Now().Add(30 * time.Second)
			for len(list.Items) == 0 && time.Now().Before(deadline) {
				time.Sleep(300 * time.Millisecond)
				in.call("GET", "/v1/contacts/"+id+"/attachments", "agent-a", nil, &list)
			}
			if len(list.Items) != 1 || list.Items[0].MIME != "image/png" || list.Items[0].Kind != "image" {
				t.Fatalf("attachments = %+v, want the photo", list.Items)
			}
			resp, err := http.Get(in.URL + list.Items[0].URL)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || !bytes.Equal(body, graph.media[chPhotoID]) || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("signed link: %d, %d bytes", resp.StatusCode, len(body))
			}
			if code := in.call("GET", "/v1/attachments/"+list.Items[0].ID+"/content", "", nil, nil); code != http.StatusForbidden {
				t.Errorf("unsigned link: %d, want 403", code)
			}
			v := in.waitContact(id, 20*time.Second, func(v contactView) bool { return len(v.Transcript) == 1 })
			if len(v.Transcript) != 1 || !strings.HasPrefix(v.Transcript[0].Text, "[image]") {
				t.Errorf("transcript = %+v, want the photo message", v.Transcript)
			}
		})
	})

	t.Run("erp", func(t *testing.T) {
		in := root.on(t)

		t.Run("order status from the ERP, then a refreshed token", func(t *testing.T) {
			t.Parallel()
			in := in.on(t)
			a := in.post("web", "cust-erp-1", "erp-k1", "erp-m1", "我張單 HK20461 到咗未？")
			v := in.waitContact(a.ContactID, 30*time.Second, func(v contactView) bool { return v.botAnswers() >= 1 })
			for _, s := range []string{"HK20461", "shipped", "SF Express SF1402338391"} {
				if !strings.Contains(botAnswer(v), s) {
					t.Errorf("answer %q lacks %q", botAnswer(v), s)
				}
			}
			reqs1, calls1 := erp.stats("HK20461")
			if reqs1 < 1 || len(calls1) != 1 {
				t.Fatalf("token requests %d, ERP calls %d; want ≥1 and 1", reqs1, len(calls1))
			}
			time.Sleep(chTokenLife + 300*time.Millisecond) // the first token has expired
			b := in.post("web", "cust-erp-1", "erp-k2", "erp-m2", "我張單 HK20462 到咗未？")
			w := in.waitContact(b.ContactID, 30*time.Second, func(v contactView) bool { return v.botAnswers() >= 1 })
			for _, s := range []string{"HK20462", "packing", "Kerry KE7730021"} {
				if !strings.Contains(botAnswer(w), s) {
					t.Errorf("second answer %q lacks %q", botAnswer(w), s)
				}
			}
			reqs2, calls2 := erp.stats("HK20462")
			if reqs2 < 2 || len(calls2) != 1 || calls2[0] == calls1[0] {
				t.Errorf("after expiry: %d token requests, ERP saw %q then %q; want a fresh token", reqs2, calls1, calls2)
			}
		})

		t.Run("ERP down: retries, then a colleague will check and the message is kept", func(t *testing.T) {
			t.Parallel()
			in := in.on(t)
			a := in.post("web", "cust-erp-2", "erp-k3", "erp-m3", "我張單 HK50500 到咗未？")
			v := in.waitContact(a.ContactID, 40*time.Second, func(v contactView) bool { return v.botAnswers() >= 1 })
			if _, calls := erp.stats("HK50500"); len(calls) < 2 {
				t.Errorf("ERP saw %d calls for the failing order, want retries (≥ 2)", len(calls))
			}
			if ans := botAnswer(v); !strings.Contains(ans, "HK50500") || !strings.Contains(ans, "同事") {
				t.Errorf("answer %q does not say a colleague will check the order", ans)
			}
			if len(v.Transcript) != 1 || v.Transcript[0].MessageID != "erp-m3" || !strings.Contains(v.Transcript[0].Text, "HK50500") {
				t.Errorf("transcript %+v lost the customer's message", v.Transcript)
			}
			tk, ok := in.ticketOf(a.ContactID)
			if !ok || (tk.Status != "waiting" && tk.Status != "pending_agent") || tk.Kind != "tracking" {
				t.Errorf("ticket %+v (found %v), want a tracking ticket waiting or pending_agent", tk, ok)
			}
		})

		t.Run("unknown order gets a tracking ticket without retries", func(t *testing.T) {
			t.Parallel()
			in := in.on(t)
			a := in.post("web", "cust-erp-3", "erp-k4", "erp-m4", "我張單 HK77777 到咗未？")
			v := in.waitContact(a.ContactID, 30*time.Second, func(v contactView) bool { return v.botAnswers() >= 1 })
			if ans := botAnswer(v); !strings.Contains(ans, "HK77777") || !strings.Contains(ans, "跟進") {
				t.Errorf("answer %q does not promise a follow-up on the order", ans)
			}
			if _, calls := erp.stats("HK77777"); len(calls) != 1 {
				t.Errorf("ERP saw %d calls for an unknown order, want 1 (not found is final)", len(calls))
			}
			tk, ok := in.ticketOf(a.ContactID)
			if !ok || (tk.Status != "waiting" && tk.Status != "pending_agent") || tk.Kind != "tracking" {
				t.Errorf("ticket %+v (found %v), want a tracking ticket waiting or pending_agent", tk, ok)
			}
		})

		t.Run("someone else's order is told as not found", func(t *testing.T) {
			t.Parallel()
			in := in.on(t)
			a := in.post("web", "cust-erp-9", "erp-k5", "erp-m5", "我張單 HK20469 到咗未？")
			v := in.waitContact(a.ContactID, 30*time.Second, func(v contactView) bool { return v.botAnswers() >= 1 })
			if _, calls := erp.stats("HK20469"); len(calls) != 1 {
				t.Errorf("ERP saw %d calls for the order, want 1", len(calls))
			}
			if ans := botAnswer(v); !strings.Contains(ans, "HK20469") || strings.Contains(ans, "delivered") || strings.Contains(ans, "SF1402339999") {
				t.Errorf("another customer's order status leaked: %q", ans)
			}
			if tk, ok := in.ticketOf(a.ContactID); !ok || tk.Kind != "tracking" {
				t.Errorf("ticket %+v (found %v), want a tracking ticket", tk, ok)
			}
		})
	})
	if t.Failed() {
		t.Logf("instance log:\n%s", root.log.String())
	}
}

func TestChannelsBuiltinCRM(t *testing.T) {
	t.Parallel()
	in := start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, in.envValue("DATABASE_URL"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, `INSERT INTO crm_orders (order_no, customer_id, status, carrier, tracking_no, items)
		VALUES ($1, $2, $3, $4, $5, $6)`, "HK30518", "cust-pg-1", "out_for_delivery", "Kerry", "KE88001234",
		`[{"sku":"TEA-1","name":"Tea set","quantity":1}]`); err != nil {
		t.Fatal(err)
	}

	t.Run("order status from crm_orders", func(t *testing.T) {
		t.Parallel()
		in := in.on(t)
		a := in.post("web", "cust-pg-1", "pg-k1", "pg-m1", "我張單 HK30518 到咗未？")
		v := in.waitContact(a.ContactID, 30*time.Second, func(v contactView) bool { return v.botAnswers() >= 1 })
		for _, s := range []string{"HK30518", "out_for_delivery", "Kerry KE88001234"} {
			if !strings.Contains(botAnswer(v), s) {
				t.Errorf("answer %q lacks %q", botAnswer(v), s)
			}
		}
	})
	t.Run("order not in crm_orders gets a tracking ticket", func(t *testing.T) {
		t.Parallel()
		in := in.on(t)
		a := in.post("web", "cust-pg-2", "pg-k2", "pg-m2", "我張單 HK77777 到咗未？")
		v := in.waitContact(a.ContactID, 30*time.Second, func(v contactView) bool { return v.botAnswers() >= 1 })
		if !strings.Contains(botAnswer(v), "HK77777") {
			t.Errorf("answer %q does not name the order", botAnswer(v))
		}
		tk, ok := in.ticketOf(a.ContactID)
		if !ok || (tk.Status != "waiting" && tk.Status != "pending_agent") || tk.Kind != "tracking" {
			t.Errorf("ticket %+v (found %v), want a tracking ticket waiting or pending_agent", tk, ok)
		}
	})
}

// chPhotoID is the WhatsApp media ID of the customer's photo.
const chPhotoID = "2044871169650211"

// chPNG is a small photo as a phone would send it.
func chPNG(t *testing.T) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 16, 16))
	for i := 0; i < 16; i++ {
		img.Set(i, i, color.RGBA{R: 180, G: 40, B: 40, A: 255})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
