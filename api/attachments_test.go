package api

import (
	"bytes"
	"context"
	"encoding/base64"
	"image"
	"image/png"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/harbordesk/harbordesk/internal/attach"
	"github.com/harbordesk/harbordesk/internal/codec"
	"github.com/harbordesk/harbordesk/internal/config"
	"github.com/harbordesk/harbordesk/internal/contact"
	"github.com/harbordesk/harbordesk/internal/desk"
	"github.com/harbordesk/harbordesk/internal/store/privacy"
)

func pngBytes(t *testing.T) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewRGBA(image.Rect(0, 0, 3, 3))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// linkClock is a settable test clock.
type linkClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *linkClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *linkClock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type received struct {
	mu   sync.Mutex
	msgs []desk.Message
}

func (r *received) receive(_ context.Context, m desk.Message) (desk.Accepted, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.msgs = append(r.msgs, m)
	return desk.Accepted{ContactID: contact.ID(contact.WorkflowID(m.Channel, m.ConversationID))}, nil
}

// upload posts a file on conv's chat session (session "" = none).
func upload(t *testing.T, ts *httptest.Server, conv, session, ctype string, body []byte, query string) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest("POST", ts.URL+"/v1/chat/"+conv+"/attachments"+query, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer public-key")
	if session != "" {
		req.Header.Set(SessionHeader, session)
	}
	req.Header.Set("Content-Type", ctype)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

func get(t *testing.T, url string) (*http.Response, []byte) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

func TestAttachments(t *testing.T) {
	ring, err := codec.ParseKeyring(base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{7}, 32)))
	if err != nil {
		t.Fatal(err)
	}
	clk := &linkClock{t: time.Now()}
	rec := &received{}
	att := &Attachments{Ring: ring, Links: attach.Signer{Key: []byte("link-key"), TTL: time.Minute}, Receive: rec.receive, Now: clk.now}
	ts, st := workspaceServer(t, Workspace{Attachments: att}, MountWebChat(WebChat{Sessions: testSessions, Attachments: att}))
	convA, convB := "wc-aaaaaaaaaaaaaaaaaaaaaaaa", "wc-bbbbbbbbbbbbbbbbbbbbbbbb"
	seedCustomer(t, st, "cust-a", convA, "my vase arrived broken")
	seedCustomer(t, st, "cust-b", convB, "receipt attached")
	img := pngBytes(t)

	for _, tc := range []struct {
		name          string
		conv, key, ct string
		body          []byte
		query         string
		want          int
		code          string
	}{
		{"no session", convA, "", "image/png", img, "", 401, "unauthorized"},
		{"another conversation's session", convA, token(convB), "image/png", img, "", 403, "forbidden"},
		{"html posing as png", convA, token(convA), "image/png", []byte("<html><script>alert(1)</script>"), "", 422, "unsupported_type"},
		{"empty", convA, token(convA), "image/png", nil, "", 422, "invalid"},
		{"oversized", convA, token(convA), "image/png", append(img, make([]byte, attach.MaxBytes)...), "", 413, "too_large"},
		{"control chars in caption", convA, token(convA), "image/png", img, "?caption=a%00b", 422, "invalid"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, b := upload(t, ts, tc.conv, tc.key, tc.ct, tc.body, tc.query)
			if code != tc.want || !strings.Contains(string(b), `"code":"`+tc.code+`"`) {
				t.Fatalf("%d %s, want %d %s", code, b, tc.want, tc.code)
			}
		})
	}
	// A PNG declared as a PDF is stored as what it is; the same upload twice is one attachment and one message.
	code, b := upload(t, ts, convA, token(convA), "application/pdf", img, "?caption=破咗")
	up := decode[map[string]any](t, b)
	if code != 201 || up["mime"] != attach.PNG {
		t.Fatalf("upload: %d %s", code, b)
	}
	if code, _ := upload(t, ts, convA, token(convA), "image/png", img, "?caption=破咗"); code != 201 {
		t.Fatalf("repeat upload: %d", code)
	}
	if n, _ := st.Attachments(context.Background(), contact.ID(contact.WorkflowID("web", convA))); len(n) != 1 {
		t.Fatalf("repeat upload stored %d attachments", len(n))
	}
	if len(rec.msgs) != 2 || rec.msgs[0].MessageID != rec.msgs[1].MessageID || rec.msgs[0].Text != "破咗" || rec.msgs[0].ConversationID != convA || rec.msgs[0].CustomerID != "anon-test" {
		t.Fatalf("messages to the workflow: %+v", rec.msgs)
	}
	// B's receipt, a PDF without caption.
	pdf := []byte("%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n")
	if code, b := upload(t, ts, convB, token(convB), "application/pdf", pdf, ""); code != 201 {
		t.Fatalf("pdf upload: %d %s", code, b)
	}
	if rec.msgs[2].Text != "[document]" {
		t.Fatalf("pdf message: %q", rec.msgs[2].Text)
	}
	// Sealed at rest: the stored object is not the file.
	var sealed []byte
	if err := st.Pool.QueryRow(context.Background(), `SELECT data FROM attachment_objects WHERE key = $1`, up["attachment_id"]).Scan(&sealed); err != nil || bytes.Contains(sealed, img[:16]) {
		t.Fatalf("object stored in the clear or missing: %v", err)
	}

	list := func(conv, key string) (int, []attachmentItem) {
		code, b, _ := privReq{"GET", "/v1/contacts/" + contact.ID(contact.WorkflowID("web", conv)) + "/attachments", key, ""}.do(t, ts)
		return code, decode[struct{ Items []attachmentItem }](t, b).Items
	}
	if code, _, _ := (privReq{"GET", "/v1/contacts/" + contact.ID(contact.WorkflowID("web", convA)) + "/attachments", "intake-key", ""}).do(t, ts); code != 403 {
		t.Fatalf("intake lists attachments: %d", code)
	}
	if code, _, _ := (privReq{"GET", "/v1/contacts/ct_nope/attachments", "agent-key", ""}).do(t, ts); code != 404 {
		t.Fatalf("unknown contact: %d", code)
	}
	_, itemsA := list(convA, "agent-key")
	_, itemsB := list(convB, "agent-key")
	if len(itemsA) != 1 || len(itemsB) != 1 || itemsA[0].Kind != "image" || itemsB[0].Kind != "document" || !strings.HasPrefix(itemsA[0].URL, "/v1/attachments/") {
		t.Fatalf("lists: %+v %+v", itemsA, itemsB)
	}

	// The signed link opens exactly that attachment, with safe headers.
	resp, body := get(t, ts.URL+itemsA[0].URL)
	if resp.StatusCode != 200 || !bytes.Equal(body, img) || resp.Header.Get("Content-Type") != attach.PNG ||
		resp.Header.Get("X-Content-Type-Options") != "nosniff" || resp.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("content: %d %v", resp.StatusCode, resp.Header)
	}
	resp, body = get(t, ts.URL+itemsB[0].URL)
	if resp.StatusCode != 200 || !bytes.Equal(body, pdf) || !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("pdf content: %d %v", resp.StatusCode, resp.Header)
	}
	// Another customer's attachment with A's signature: refused.
	_, query, _ := strings.Cut(itemsA[0].URL, "?")
	if resp, b := get(t, ts.URL+"/v1/attachments/"+itemsB[0].ID+"/content?"+query); resp.StatusCode != 403 || strings.Contains(string(b), "%PDF") {
		t.Fatalf("cross-attachment link: %d %s", resp.StatusCode, b)
	}
	if resp, _ := get(t, ts.URL+"/v1/attachments/"+itemsA[0].ID+"/content"); resp.StatusCode != 403 {
		t.Fatalf("unsigned: %d", resp.StatusCode)
	}
	// Expired.
	clk.add(2 * time.Minute)
	if resp, b := get(t, ts.URL+itemsA[0].URL); resp.StatusCode != 403 || !strings.Contains(string(b), "link_expired") {
		t.Fatalf("expired link: %d %s", resp.StatusCode, b)
	}

	// PDPO export (the admin route) holds the file; erasure deletes the row and the object.
	psrv := &Server{Store: st, MaxBody: 1 << 20, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Registry: prometheus.NewRegistry(),
		Extra: []func(*gin.Engine, *Server){MountPrivacy(Privacy{Terminator: &fakeTerminator{}, SubjectKey: []byte("k"), AttachmentRing: ring})},
		Keys:  map[string]config.APIKey{"admin-key": {Key: "admin-key", Role: config.RoleAdmin, Identity: "dpo"}}}
	pts := httptest.NewServer(psrv.Handler())
	defer pts.Close()
	code, b, _ = privReq{"GET", "/v1/customers/cust-a/export", "admin-key", ""}.do(t, pts)
	x := decode[privacy.CustomerExport](t, b)
	if code != 200 || len(x.Attachments) != 1 || x.Attachments[0].ContentBase64 != base64.StdEncoding.EncodeToString(img) {
		t.Fatalf("export: %d %+v", code, x.Attachments)
	}
	code, b, _ = privReq{"DELETE", "/v1/customers/cust-a", "admin-key", ""}.do(t, pts)
	if code != 200 || !strings.Contains(string(b), `"attachments":1`) {
		t.Fatalf("erase: %d %s", code, b)
	}
	var objects int
	_ = st.Pool.QueryRow(context.Background(), `SELECT count(*) FROM attachment_objects`).Scan(&objects)
	if objects != 1 { // B's stays
		t.Fatalf("objects after erasure: %d", objects)
	}
	if resp, _ := get(t, ts.URL+itemsA[0].URL); resp.StatusCode != 403 && resp.StatusCode != 404 {
		t.Fatalf("erased attachment still served: %d", resp.StatusCode)
	}
}
