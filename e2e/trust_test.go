package e2e

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Trust boundaries (CONTRACT.md) against the real binary and PostgreSQL,
// with the key a shop publishes in its web page.
const (
	publicKey      = "e2e-public-key"
	identitySecret = "e2e-identity-secret"
)

// chatSession is POST /v1/chat/sessions' answer.
type chatSession struct {
	Token          string `json:"session_token"`
	ConversationID string `json:"conversation_id"`
	CustomerID     string `json:"customer_id"`
	Verified       bool   `json:"verified"`
	ExpiresAt      string `json:"expires_at"`
}

// chatCall sends a request with the public key and X-Chat-Session token.
func (in *instance) chatCall(method, path, token string, body any, out any) (int, http.Header) {
	in.t.Helper()
	var r io.Reader
	if body != nil {
		j, _ := json.Marshal(body)
		r = bytes.NewReader(j)
	}
	req, _ := http.NewRequest(method, in.URL+path, r)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+publicKey)
	if token != "" {
		req.Header.Set("X-Chat-Session", token)
	}
	resp, err := in.httpC.Do(req)
	if err != nil {
		in.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if out != nil && len(raw) > 0 {
		_ = json.Unmarshal(raw, out)
	}
	return resp.StatusCode, resp.Header
}

func (in *instance) openSession(t *testing.T, body any) (int, chatSession) {
	t.Helper()
	var s chatSession
	code, _ := in.chatCall("POST", "/v1/chat/sessions", "", body, &s)
	return code, s
}

// botReplies long-polls a session's transcript until it has n bot or agent
// answers and returns their texts.
func (in *instance) botReplies(t *testing.T, s chatSession, n int) []string {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	var texts []string
	for time.Now().Before(deadline) {
		var tr struct {
			Items []struct{ Author, Kind, Text string } `json:"items"`
		}
		code, _ := in.chatCall("GET", "/v1/chat/"+s.ConversationID+"/messages?after=0&wait=5s", s.Token, nil, &tr)
		if code != 200 {
			t.Fatalf("read transcript: %d", code)
		}
		texts = texts[:0]
		for _, it := range tr.Items {
			if (it.Author == "bot" || it.Author == "agent") && it.Kind != "notice" {
				texts = append(texts, it.Text)
			}
		}
		if len(texts) >= n {
			return texts
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("fewer than %d answers after 30 s: %q", n, texts)
	return nil
}

func rssMB(t *testing.T, pid int) int {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.Atoi(f[1])
			return kb / 1024
		}
	}
	return 0
}

func TestTrustBoundaries(t *testing.T) {
	t.Parallel()
	in := start(t,
		"HARBORDESK_API_KEYS="+adminKey+":admin:e2e-admin,agent-a:agent:agent-a,intake-k:intake,"+publicKey+":public:web-chat",
		"HARBORDESK_IDENTITY_SECRET="+identitySecret, "HARBORDESK_MAX_BODY_BYTES=16777216")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, in.envValue("DATABASE_URL"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())

	t.Run("public key is not an intake key", func(t *testing.T) {
		victim := in.post("web", "c-victim", "conv-victim", "v1", "What time do you open?")
		code := in.call("POST", "/v1/contacts", publicKey, map[string]string{"channel": "web", "customer_id": "c-pub",
			"conversation_id": "conv-pub", "message_id": "p1", "text": "hi"}, nil)
		if code != 403 {
			t.Errorf("public key on POST /v1/contacts: %d, want 403", code)
		}
		if code := in.call("POST", "/v1/contacts/"+victim.ContactID+"/messages", publicKey,
			map[string]string{"message_id": "evil-1", "text": "injected"}, nil); code != 403 {
			t.Errorf("public key posting into a contact: %d, want 403", code)
		}
		for _, ch := range []string{"whatsapp", "dingtalk"} {
			if code := in.call("POST", "/v1/contacts", "intake-k", map[string]string{"channel": ch, "customer_id": "85291234567",
				"conversation_id": "85291234567", "message_id": "sp-" + ch, "text": "spoofed"}, nil); code != 422 {
				t.Errorf("POST /v1/contacts channel %s: %d, want 422", ch, code)
			}
		}
		if strings.Contains(victim.ContactID, "conv-victim") || len(victim.ContactID) < 20 {
			t.Errorf("contact ID %q is not opaque", victim.ContactID)
		}
	})

	t.Run("sessions: post, read, and only their own conversation", func(t *testing.T) {
		code, s1 := in.openSession(t, map[string]any{})
		if code != 201 || s1.Token == "" || s1.Verified || !strings.HasPrefix(s1.CustomerID, "anon-") {
			t.Fatalf("open session: %d %+v", code, s1)
		}
		var acc struct {
			ContactID string `json:"contact_id"`
		}
		if code, _ := in.chatCall("POST", "/v1/chat/"+s1.ConversationID+"/messages", s1.Token,
			map[string]string{"message_id": "m1", "text": "你哋幾點收舖？"}, &acc); code != 202 || acc.ContactID == "" {
			t.Fatalf("post on session: %d %+v", code, acc)
		}
		in.botReplies(t, s1, 1)

		_, s2 := in.openSession(t, map[string]any{})
		path := "/v1/chat/" + s1.ConversationID + "/messages"
		for name, tc := range map[string]struct {
			method, token string
			want          int
		}{
			"another session's token reads":  {"GET", s2.Token, 403},
			"another session's token posts":  {"POST", s2.Token, 403},
			"no token":                       {"GET", "", 401},
			"forged token":                   {"GET", s1.Token + "x", 401},
			"token of another deployment":    {"GET", "hds1.eyJjIjoid2MtQUFBIiwidSI6ImFub24iLCJlIjo5OTk5OTk5OTk5fQ.AAAA", 401},
			"another session's token events": {"GET", s2.Token, 403},
		} {
			p := path
			if strings.HasSuffix(name, "events") {
				p = "/v1/chat/" + s1.ConversationID + "/events"
			}
			if code, _ := in.chatCall(tc.method, p, tc.token, map[string]string{"message_id": "h1", "text": "hijack"}, nil); code != tc.want {
				t.Errorf("%s: %d, want %d", name, code, tc.want)
			}
		}
	})

	t.Run("orders only for a verified customer", func(t *testing.T) {
		if _, err := conn.Exec(ctx, `INSERT INTO crm_customers (customer_id, vip_tier) VALUES ('vip-e2e', 'gold');
			INSERT INTO crm_orders (order_no, customer_id, status, carrier, tracking_no) VALUES ('HK60601', 'vip-e2e', 'shipped', 'SF Express', 'SF7777000011112')`); err != nil {
			t.Fatal(err)
		}
		if code, _ := in.openSession(t, map[string]string{"customer_id": "vip-e2e", "customer_hash": strings.Repeat("00", 32)}); code != 403 {
			t.Errorf("wrong customer_hash: %d, want 403", code)
		}
		code, anon := in.openSession(t, map[string]string{"customer_id": "vip-e2e"})
		if code != 201 || anon.Verified || anon.CustomerID == "vip-e2e" {
			t.Fatalf("customer_id without hash: %d %+v, want an anonymous session", code, anon)
		}
		in.chatCall("POST", "/v1/chat/"+anon.ConversationID+"/messages", anon.Token, map[string]string{"message_id": "o1", "text": "Where is my order HK60601?"}, nil)
		if got := strings.Join(in.botReplies(t, anon, 1), " "); strings.Contains(got, "SF7777000011112") || strings.Contains(strings.ToLower(got), "shipped") {
			t.Errorf("anonymous session learned the order: %q", got)
		}

		m := hmac.New(sha256.New, []byte(identitySecret))
		m.Write([]byte("vip-e2e"))
		code, ver := in.openSession(t, map[string]string{"customer_id": "vip-e2e", "customer_hash": hex.EncodeToString(m.Sum(nil))})
		if code != 201 || !ver.Verified || ver.CustomerID != "vip-e2e" {
			t.Fatalf("valid customer_hash: %d %+v", code, ver)
		}
		in.chatCall("POST", "/v1/chat/"+ver.ConversationID+"/messages", ver.Token, map[string]string{"message_id": "o1", "text": "Where is my order HK60601?"}, nil)
		if got := strings.Join(in.botReplies(t, ver, 1), " "); !strings.Contains(got, "SF7777000011112") {
			t.Errorf("verified customer did not get the order: %q", got)
		}
	})

	t.Run("consent only by the customer's own session or an admin", func(t *testing.T) {
		_, s := in.openSession(t, map[string]any{})
		if code, _ := in.chatCall("POST", "/v1/chat/"+s.ConversationID+"/consent", s.Token, map[string]any{"purpose": "training", "granted": true}, nil); code != 200 {
			t.Fatalf("session consent: %d", code)
		}
		var granted bool
		if err := conn.QueryRow(ctx, `SELECT granted FROM consents WHERE customer_id = $1 AND purpose = 'training'`, s.CustomerID).Scan(&granted); err != nil || !granted {
			t.Errorf("session's consent not recorded: %v %v", granted, err)
		}
		for key, want := range map[string]int{publicKey: 403, "intake-k": 403, adminKey: 200} {
			if code := in.call("POST", "/v1/customers/vip-e2e/consent", key, map[string]any{"purpose": "training", "granted": false}, nil); code != want {
				t.Errorf("%s on /v1/customers/{id}/consent: %d, want %d", key, code, want)
			}
		}
	})

	t.Run("NUL and control characters are 422 and the conversation goes on", func(t *testing.T) {
		_, s := in.openSession(t, map[string]any{})
		post := func(id, text string) int {
			code, _ := in.chatCall("POST", "/v1/chat/"+s.ConversationID+"/messages", s.Token, map[string]string{"message_id": id, "text": text}, nil)
			return code
		}
		if code := post("n0", "hello"); code != 202 {
			t.Fatalf("first message: %d", code)
		}
		in.botReplies(t, s, 1)
		if code := post("n1", "bad\x00"); code != 422 {
			t.Errorf("NUL in chat text: %d, want 422", code)
		}
		if code := in.call("POST", "/v1/contacts", "intake-k", map[string]string{"channel": "web", "customer_id": "c-\x1b[31m",
			"conversation_id": "conv-ctl", "message_id": "c1", "text": "ok"}, nil); code != 422 {
			t.Errorf("escape in customer_id: %d, want 422", code)
		}
		if code := in.call("POST", "/v1/contacts", "intake-k", map[string]string{"channel": "web", "customer_id": "c-nul",
			"conversation_id": "conv-nul", "message_id": "c1", "text": "a\x00b"}, nil); code != 422 {
			t.Errorf("NUL in /v1/contacts: %d, want 422", code)
		}
		for _, p := range []string{"/v1/contacts/ct%00x", "/v1/tickets/tk%00x", "/v1/tickets?priority=%00"} {
			if code := in.call("GET", p, adminKey, nil, nil); code < 400 || code >= 500 {
				t.Errorf("GET %s: %d, want 4xx", p, code)
			}
		}
		post("n2", "What is your return policy?")
		in.botReplies(t, s, 2)
	})

	t.Run("oversized bodies are 413 without growing memory", func(t *testing.T) {
		body := append([]byte(`{"channel":"web","text":"`), bytes.Repeat([]byte("a"), 200<<10)...)
		if code := in.call("POST", "/v1/contacts", "intake-k", append(body, `"}`...), nil); code != 413 {
			t.Errorf("200 KiB text: %d, want 413", code)
		}
		big := append(append([]byte(`{"channel":"web","customer_id":"x","conversation_id":"y","message_id":"z","text":"`),
			bytes.Repeat([]byte("b"), 15<<20)...), `"}`...)
		pid := in.cmd.Process.Pid
		before := rssMB(t, pid)
		var wg sync.WaitGroup
		codes := make(chan int, 32)
		sem := make(chan struct{}, 16)
		for i := 0; i < 32; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				sem <- struct{}{}
				defer func() { <-sem }()
				req, _ := http.NewRequest("POST", in.URL+"/v1/contacts", bytes.NewReader(big))
				req.Header.Set("Authorization", "Bearer intake-k")
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					codes <- -1
					return
				}
				resp.Body.Close()
				codes <- resp.StatusCode
			}()
		}
		wg.Wait()
		close(codes)
		time.Sleep(time.Second)
		after := rssMB(t, pid)
		for c := range codes {
			if c != 413 {
				t.Errorf("15 MB body: %d, want 413", c)
			}
		}
		t.Logf("RSS under 32 concurrent 15 MB bodies: %d MB before, %d MB after (+%d MB)", before, after, after-before)
		if after-before >= 400 {
			t.Errorf("RSS grew %d MB", after-before)
		}
	})

	// Last: it uses up the public key's budget for this client address.
	t.Run("public key is rate-limited by default", func(t *testing.T) {
		var mu sync.Mutex
		counts := map[int]int{}
		retryAfter := ""
		var wg sync.WaitGroup
		jobs := make(chan struct{}, 300)
		for i := 0; i < 300; i++ {
			jobs <- struct{}{}
		}
		close(jobs)
		for w := 0; w < 8; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range jobs {
					code, h := in.chatCall("POST", "/v1/chat/sessions", "", map[string]any{}, nil)
					mu.Lock()
					counts[code]++
					if code == 429 && retryAfter == "" {
						retryAfter = h.Get("Retry-After")
					}
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if counts[429] == 0 || retryAfter == "" || counts[201] == 0 || counts[201]+counts[429] != 300 {
			t.Errorf("300 rapid sessions: %v (Retry-After %q), want some 201 and some 429 with Retry-After", counts, retryAfter)
		}
		t.Logf("300 rapid sessions from one address: %v", counts)
		// Another key is not held back by the public key's limit.
		if code := in.call("GET", "/v1/tickets", adminKey, nil, nil); code != 200 {
			t.Errorf("admin after the public burst: %d", code)
		}
	})
}
