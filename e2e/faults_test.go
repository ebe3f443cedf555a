//go:build faults

// The fault-injection suite (`make test-faults`): the real binary under
// SIGKILLs, severed PostgreSQL connections and partner outages, checked by
// comparing what went in with what came out. It is behind the `faults` build
// tag because it runs for minutes: `go test -tags faults ./e2e/ -run Faults`.
package e2e

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// faultQuestions are KB questions the bot answers itself, in the three
// languages, so every contact ends in exactly one bot answer.
var faultQuestions = []string{
	"你哋幾點收舖？",
	"What time do you close today?",
	"你们几点关门？",
	"請問退貨政策係點？",
	"How do I return an item?",
}

func faultEnvInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// faultChannel posts like a real channel adapter: a delivery that fails
// (connection refused while the process is down, 5xx while a dependency is
// cut) is retried with the same message_id until it is accepted.
type faultChannel struct {
	url  string
	http *http.Client
	// retries counts the extra attempts; failures the posts that never got a 202.
	retries, failures atomic.Int64
}

func (cc *faultChannel) deliver(conv, msgID, text string, giveUp time.Duration) (contactID string, ok bool) {
	body, _ := json.Marshal(map[string]string{"channel": "web", "customer_id": "cust-" + conv,
		"conversation_id": conv, "message_id": msgID, "text": text})
	deadline := time.Now().Add(giveUp)
	for attempt := 0; time.Now().Before(deadline); attempt++ {
		if attempt > 0 {
			cc.retries.Add(1)
			time.Sleep(250 * time.Millisecond)
		}
		req, _ := http.NewRequest("POST", cc.url+"/v1/contacts", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+adminKey)
		resp, err := cc.http.Do(req)
		if err != nil {
			continue
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		switch {
		case resp.StatusCode == http.StatusAccepted:
			var a accepted
			if json.Unmarshal(raw, &a) == nil && a.ContactID != "" {
				return a.ContactID, true
			}
		case resp.StatusCode >= 500 || resp.StatusCode == 499 || resp.StatusCode == http.StatusTooManyRequests:
			// transient: retry
		default:
			cc.failures.Add(1)
			return "", false // a client error will not heal by retrying
		}
	}
	cc.failures.Add(1)
	return "", false
}

// contact fetches a contact, tolerating a server that is restarting.
func (cc *faultChannel) contact(id, query string) (contactView, bool) {
	var v contactView
	req, _ := http.NewRequest("GET", cc.url+"/v1/contacts/"+id+query, nil)
	req.Header.Set("Authorization", "Bearer "+adminKey)
	resp, err := cc.http.Do(req)
	if err != nil {
		return v, false
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 || json.NewDecoder(resp.Body).Decode(&v) != nil {
		return v, false
	}
	return v, true
}

// cutDatabase terminates every PostgreSQL connection to db, as a failover or
// a network partition would.
func faultCutDatabase(t *testing.T, db string) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, pgBase()+"/postgres?sslmode=disable")
	if err != nil {
		t.Fatalf("connect as superuser: %v", err)
	}
	defer conn.Close(ctx)
	var n int
	err = conn.QueryRow(ctx, `SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE datname = $1 AND pid <> pg_backend_pid()) AS killed`, db).Scan(&n)
	if err != nil {
		t.Fatalf("pg_terminate_backend: %v", err)
	}
	return n
}

// TestFaultsCrashAndDatabaseCut: contacts arrive at a steady rate while the
// process is SIGKILLed three times and its database connections are cut
// once. Every accepted message must end in exactly one bot answer.
func TestFaultsCrashAndDatabaseCut(t *testing.T) {
	t.Parallel()
	total := faultEnvInt("FAULTS_CONTACTS", 1000)
	rate := faultEnvInt("FAULTS_RATE", 40)
	in := start(t)
	cc := &faultChannel{url: in.URL, http: &http.Client{Timeout: 10 * time.Second}}
	began := time.Now()

	type sent struct{ conv, msgID, contactID string }
	results := make([]sent, total)
	var launched, done atomic.Int64
	var wg sync.WaitGroup
	inflight := make(chan struct{}, 200)
	go func() {
		tick := time.NewTicker(time.Second / time.Duration(rate))
		defer tick.Stop()
		for i := 0; i < total; i++ {
			<-tick.C
			inflight <- struct{}{}
			wg.Add(1)
			launched.Add(1)
			go func(i int) {
				defer func() { <-inflight; done.Add(1); wg.Done() }()
				conv, msgID := fmt.Sprintf("fault-k%d", i), fmt.Sprintf("fault-m%d", i)
				id, _ := cc.deliver(conv, msgID, faultQuestions[i%len(faultQuestions)], 3*time.Minute)
				results[i] = sent{conv, msgID, id}
			}(i)
		}
	}()

	// The faults, in the test goroutine (launch may t.Fatal): three SIGKILLs
	// and one cut of every database connection, spread over the run.
	waitLaunched := func(n int) {
		for launched.Load() < int64(n) {
			time.Sleep(20 * time.Millisecond)
		}
	}
	for k, at := range []float64{0.2, 0.45, 0.55, 0.75} {
		waitLaunched(int(at * float64(total)))
		if k == 2 {
			n := faultCutDatabase(t, in.db)
			t.Logf("fault: cut %d PostgreSQL connections after %d contacts launched", n, launched.Load())
			continue
		}
		t0, at := time.Now(), launched.Load()
		in.crash()
		in.launch()
		t.Logf("fault: SIGKILL after %d contacts launched; ready again in %s", at, time.Since(t0).Round(time.Millisecond))
	}
	waitLaunched(total)
	wg.Wait()
	sendTime := time.Since(began)

	// Out: wait until every accepted contact has a bot answer, then let
	// any late duplicate land before counting.
	ids := map[string]string{} // contact → message
	for _, r := range results {
		if r.contactID != "" {
			ids[r.contactID] = r.msgID
		}
	}
	accepted := 0
	for _, r := range results {
		if r.contactID != "" {
			accepted++
		}
	}
	if len(ids) != accepted {
		t.Errorf("%d accepted messages map to %d contacts, want one contact per conversation", accepted, len(ids))
	}
	answered := faultWaitAnswers(cc, ids, 3*time.Minute)
	time.Sleep(3 * time.Second)
	var lost, dupes, badTranscript []string
	answersOut := 0
	for id, msg := range ids {
		v, ok := cc.contact(id, "")
		if !ok {
			lost = append(lost, msg)
			continue
		}
		n := v.botAnswers()
		answersOut += n
		switch {
		case n == 0:
			lost = append(lost, msg)
		case n > 1:
			dupes = append(dupes, fmt.Sprintf("%s×%d", msg, n))
		}
		if len(v.Transcript) != 1 || v.Transcript[0].MessageID != msg {
			badTranscript = append(badTranscript, msg)
		}
	}
	t.Logf("in: %d posted, %d accepted (202), %d client retries, %d never accepted; posting took %s",
		total, accepted, cc.retries.Load(), cc.failures.Load(), sendTime.Round(time.Millisecond))
	t.Logf("out: %d bot answers for %d contacts (%d answered in the wait); lost %d, duplicated %d, transcript wrong %d",
		answersOut, len(ids), answered, len(lost), len(dupes), len(badTranscript))
	if cc.failures.Load() > 0 {
		t.Errorf("%d messages were never accepted despite retries", cc.failures.Load())
	}
	if len(lost) > 0 {
		t.Errorf("lost (no bot answer): %d, e.g. %v", len(lost), faultHead(lost))
	}
	if len(dupes) > 0 {
		t.Errorf("duplicate bot answers: %d contacts, e.g. %v", len(dupes), faultHead(dupes))
	}
	if len(badTranscript) > 0 {
		t.Errorf("transcript not exactly the one message: %d, e.g. %v", len(badTranscript), faultHead(badTranscript))
	}
	fmt.Printf("FAULTS crash+dbcut: in=%d accepted=%d out=%d lost=%d duplicates=%d retries=%d time=%s\n",
		total, accepted, answersOut, len(lost), len(dupes), cc.retries.Load(), time.Since(began).Round(time.Second))
}

// faultWaitAnswers long-polls each contact until it has a bot answer; it returns
// how many did within the timeout.
func faultWaitAnswers(cc *faultChannel, ids map[string]string, timeout time.Duration) int {
	deadline := time.Now().Add(timeout)
	work := make(chan string)
	var answered atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range work {
				for time.Now().Before(deadline) {
					if v, ok := cc.contact(id, "?wait=2s&replies_gt=0"); ok && v.botAnswers() > 0 {
						answered.Add(1)
						break
					}
					time.Sleep(100 * time.Millisecond)
				}
			}
		}()
	}
	for id := range ids {
		work <- id
	}
	close(work)
	wg.Wait()
	return int(answered.Load())
}

func faultHead(s []string) []string {
	if len(s) > 5 {
		return s[:5]
	}
	return s
}

// faultGraph is the WhatsApp Cloud API's send endpoint
// (POST /{version}/{phone-number-id}/messages, bearer token): the first
// failFirst sends get a Graph 500 error, later ones are accepted and recorded.
type faultGraph struct {
	token, phoneID string
	failFirst      int64
	calls          atomic.Int64
	mu             sync.Mutex
	delivered      map[string][]string // recipient → texts accepted
	rejected       []string
}

func (g *faultGraph) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/v21.0/"+g.phoneID+"/messages" {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	var req struct {
		MessagingProduct string `json:"messaging_product"`
		To               string `json:"to"`
		Type             string `json:"type"`
		Text             *struct {
			Body string `json:"body"`
		} `json:"text"`
	}
	raw, _ := io.ReadAll(r.Body)
	g.mu.Lock()
	defer g.mu.Unlock()
	if r.Header.Get("Authorization") != "Bearer "+g.token {
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, `{"error":{"message":"Invalid OAuth access token.","type":"OAuthException","code":190,"fbtrace_id":"Afake"}}`)
		g.rejected = append(g.rejected, "bad token")
		return
	}
	if json.Unmarshal(raw, &req) != nil || req.MessagingProduct != "whatsapp" || req.To == "" || req.Type != "text" || req.Text == nil || req.Text.Body == "" {
		w.WriteHeader(http.StatusBadRequest)
		io.WriteString(w, `{"error":{"message":"(#100) Invalid parameter","type":"OAuthException","code":100,"fbtrace_id":"Afake"}}`)
		g.rejected = append(g.rejected, "bad body")
		return
	}
	if n := g.calls.Add(1); n <= g.failFirst {
		w.WriteHeader(http.StatusInternalServerError)
		io.WriteString(w, `{"error":{"message":"An unknown error has occurred.","type":"OAuthException","code":1,"is_transient":true,"fbtrace_id":"Afake"}}`)
		return
	}
	g.delivered[req.To] = append(g.delivered[req.To], req.Text.Body)
	fmt.Fprintf(w, `{"messaging_product":"whatsapp","contacts":[{"input":%q,"wa_id":%q}],"messages":[{"id":"wamid.OUT%d"}]}`, req.To, req.To, g.calls.Load())
}

// faultRobot is a DingTalk custom group robot (POST /robot/send with
// access_token, timestamp and sign): it checks the signature and answers
// errcode 130101 (sending too fast) to the first throttleFirst messages.
type faultRobot struct {
	token, secret string
	throttleFirst int64
	calls         atomic.Int64
	mu            sync.Mutex
	delivered     []string // markdown texts answered with errcode 0
	rejected      []string
	throttledAt   time.Time   // when the last 130101 was answered
	arrivals      []time.Time // when each well-formed message arrived
}

// callsAfterThrottle counts messages that arrived more than grace after the
// last 130101 answer and before until.
func (f *faultRobot) callsAfterThrottle(grace time.Duration, until time.Time) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, at := range f.arrivals {
		if !f.throttledAt.IsZero() && at.After(f.throttledAt.Add(grace)) && at.Before(until) {
			n++
		}
	}
	return n
}

func (f *faultRobot) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	w.Header().Set("Content-Type", "application/json")
	f.mu.Lock()
	defer f.mu.Unlock()
	if r.Method != http.MethodPost || r.URL.Path != "/robot/send" || q.Get("access_token") != f.token {
		io.WriteString(w, `{"errcode":300001,"errmsg":"token is not exist"}`)
		f.rejected = append(f.rejected, "token")
		return
	}
	ts := q.Get("timestamp")
	mac := hmac.New(sha256.New, []byte(f.secret))
	mac.Write([]byte(ts + "\n" + f.secret))
	ms, _ := strconv.ParseInt(ts, 10, 64)
	if q.Get("sign") != base64.StdEncoding.EncodeToString(mac.Sum(nil)) || time.Since(time.UnixMilli(ms)).Abs() > time.Hour {
		io.WriteString(w, `{"errcode":310000,"errmsg":"sign not match"}`)
		f.rejected = append(f.rejected, "sign")
		return
	}
	var msg struct {
		MsgType  string `json:"msgtype"`
		Markdown struct {
			Title, Text string
		} `json:"markdown"`
	}
	if err := json.NewDecoder(r.Body).Decode(&msg); err != nil || msg.MsgType != "markdown" || msg.Markdown.Text == "" {
		io.WriteString(w, `{"errcode":40035,"errmsg":"缺少参数 json"}`)
		f.rejected = append(f.rejected, "body")
		return
	}
	f.arrivals = append(f.arrivals, time.Now())
	if f.calls.Add(1) <= f.throttleFirst {
		io.WriteString(w, `{"errcode":130101,"errmsg":"send too fast, exceed 20 times per minute"}`)
		f.throttledAt = time.Now()
		return
	}
	f.delivered = append(f.delivered, msg.Markdown.Text)
	io.WriteString(w, `{"errcode":0,"errmsg":"ok"}`)
}

func (f *faultRobot) mentions(contactID string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, d := range f.delivered {
		n += strings.Count(d, "/contacts/"+contactID+")")
	}
	return n
}

// whatsappDelivery is one signed Cloud API webhook with a text message.
func faultWhatsAppDelivery(appSecret, from, msgID, text string) (body []byte, signature string) {
	body, _ = json.Marshal(map[string]any{"object": "whatsapp_business_account", "entry": []any{map[string]any{
		"id": "WABA1", "changes": []any{map[string]any{"field": "messages", "value": map[string]any{
			"messaging_product": "whatsapp",
			"metadata":          map[string]string{"display_phone_number": "85230001234", "phone_number_id": "1234567890"},
			"contacts":          []any{map[string]any{"profile": map[string]string{"name": "Chan"}, "wa_id": from}},
			"messages": []any{map[string]any{"from": from, "id": msgID, "timestamp": strconv.FormatInt(time.Now().Unix(), 10),
				"type": "text", "text": map[string]string{"body": text}}},
		}}},
	}}})
	mac := hmac.New(sha256.New, []byte(appSecret))
	mac.Write(body)
	return body, "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// TestFaultsPartnerOutages: the WhatsApp Graph API fails its first sends
// with 500 and the DingTalk robot throttles the first push (130101, which
// DingTalk documents as a ten-minute block). Every reply and every P1 push
// still arrives exactly once; the throttled push survives a SIGKILL of the
// process that held it in its in-memory queue.
func TestFaultsPartnerOutages(t *testing.T) {
	t.Parallel()
	began := time.Now()
	const appSecret = "fault-app-secret"
	graph := &faultGraph{token: "fault-token", phoneID: "1234567890", failFirst: 6, delivered: map[string][]string{}}
	gs := httptest.NewServer(graph)
	defer gs.Close()
	robot := &faultRobot{token: "x", secret: "fault-robot-secret", throttleFirst: 1}
	rs := httptest.NewServer(robot)
	defer rs.Close()
	in := start(t,
		"HARBORDESK_WHATSAPP_VERIFY_TOKEN=fault-verify", "HARBORDESK_WHATSAPP_APP_SECRET="+appSecret,
		"HARBORDESK_WHATSAPP_TOKEN=fault-token", "HARBORDESK_WHATSAPP_PHONE_NUMBER_ID=1234567890",
		"HARBORDESK_WHATSAPP_API_BASE="+gs.URL+"/v21.0",
		"HARBORDESK_DINGTALK_WEBHOOK="+rs.URL+"/robot/send?access_token=x",
		"HARBORDESK_DINGTALK_SECRET=fault-robot-secret",
	)

	// WhatsApp: 8 customers, each delivery sent twice (WhatsApp delivers at
	// least once).
	const customers = 8
	var numbers []string
	for i := 0; i < customers; i++ {
		from := fmt.Sprintf("8529100%04d", i)
		numbers = append(numbers, from)
		body, sig := faultWhatsAppDelivery(appSecret, from, fmt.Sprintf("wamid.FAULT%d", i), faultQuestions[i%len(faultQuestions)])
		for k := 0; k < 2; k++ {
			req, _ := http.NewRequest("POST", in.URL+"/webhooks/whatsapp", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-Hub-Signature-256", sig)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatalf("webhook: %v", err)
			}
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Fatalf("signed webhook delivery = %d", resp.StatusCode)
			}
		}
	}

	// DingTalk: complaints → immediate P1 pushes; the first is throttled.
	var complaints []string
	for i := 0; i < 3; i++ {
		a := in.post("web", fmt.Sprintf("c-angry-%d", i), fmt.Sprintf("k-angry-%d", i), fmt.Sprintf("m-angry-%d", i), "我要投訴你哋")
		complaints = append(complaints, a.ContactID)
	}
	deadline := time.Now().Add(20 * time.Second)
	for robot.calls.Load() < 1 && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	if robot.calls.Load() < 1 {
		t.Fatal("no DingTalk push attempted within 20 s of a complaint")
	}
	// While the robot throttles, the notifier must hold back (DingTalk blocks
	// a robot that keeps sending) …
	time.Sleep(3 * time.Second)
	if n := robot.callsAfterThrottle(500*time.Millisecond, time.Now()); n != 0 {
		t.Errorf("robot received %d messages while it throttled, want none", n)
	}
	// … and the queued pushes must survive a crash of the process holding them.
	in.crash()
	in.launch()

	waitFor := func(what string, d time.Duration, ok func() bool) {
		t.Helper()
		end := time.Now().Add(d)
		for !ok() {
			if time.Now().After(end) {
				t.Fatalf("%s: not within %s", what, d)
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
	waitFor("every WhatsApp customer answered", 90*time.Second, func() bool {
		graph.mu.Lock()
		defer graph.mu.Unlock()
		return len(graph.delivered) == customers
	})
	waitFor("every complaint pushed", 150*time.Second, func() bool {
		for _, id := range complaints {
			if robot.mentions(id) == 0 {
				return false
			}
		}
		return true
	})
	time.Sleep(3 * time.Second) // let any duplicate land

	graph.mu.Lock()
	waOut, waDupes := 0, 0
	for i, to := range numbers {
		n := len(graph.delivered[to])
		waOut += n
		if n != 1 {
			waDupes += max(n-1, 0)
			t.Errorf("WhatsApp customer #%d got %d accepted sends, want 1", i, n)
		}
	}
	if len(graph.rejected) > 0 {
		t.Errorf("fake Graph API rejected requests: %v", graph.rejected)
	}
	graphCalls := graph.calls.Load()
	graph.mu.Unlock()
	pushOut, pushDupes := 0, 0
	for _, id := range complaints {
		n := robot.mentions(id)
		pushOut += n
		if n != 1 {
			pushDupes += max(n-1, 0)
			t.Errorf("complaint %s pushed %d times, want 1", id, n)
		}
	}
	robot.mu.Lock()
	if len(robot.rejected) > 0 {
		t.Errorf("fake robot rejected requests: %v", robot.rejected)
	}
	robotDelivered := len(robot.delivered)
	robot.mu.Unlock()
	t.Logf("WhatsApp: %d customers ×2 deliveries in, %d Graph calls (%d answered 500), %d replies accepted, %d duplicates",
		customers, graphCalls, graph.failFirst, waOut, waDupes)
	t.Logf("DingTalk: %d complaints in, %d robot calls (%d throttled 130101), %d messages delivered naming %d complaints, %d duplicates",
		len(complaints), robot.calls.Load(), robot.throttleFirst, robotDelivered, pushOut, pushDupes)
	fmt.Printf("FAULTS partners: whatsapp in=%d out=%d dup=%d (500s=%d); dingtalk in=%d out=%d dup=%d (130101s=%d); time=%s\n",
		customers, waOut, waDupes, graph.failFirst, len(complaints), pushOut, pushDupes, robot.throttleFirst, time.Since(began).Round(time.Second))
}
