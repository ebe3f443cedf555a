// Package e2e runs the real harbordesk binary (`harbordesk dev`: embedded
// Temporal, worker, API) against the machine's PostgreSQL and drives it over
// HTTP, the way a customer channel and an agent would. Each test gets its own
// database, data dir and ports, so tests run in parallel.
package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

const adminKey = "e2e-admin-key"

var binary string

func TestMain(m *testing.M) {
	flag.Parse()
	if testing.Short() {
		os.Exit(0)
	}
	dir, err := os.MkdirTemp("", "harbordesk-e2e")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "harbordesk")
	build := exec.Command("go", "build", "-o", binary, "../cmd/harbordesk")
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "e2e: go build failed:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func pgBase() string {
	if v := os.Getenv("E2E_PG"); v != "" {
		return v
	}
	return "postgres://postgres@127.0.0.1:5432"
}

// instance is one running `harbordesk dev`.
type instance struct {
	t       *testing.T
	URL     string
	db      string
	dataDir string
	env     []string
	cmd     *exec.Cmd
	log     *bytes.Buffer
	httpC   *http.Client
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// start launches a fresh instance with its own database (created by the
// binary itself, as on a fresh machine) and data dir.
func start(t *testing.T, extraEnv ...string) *instance {
	t.Helper()
	db := fmt.Sprintf("hd_e2e_%d", rand.Uint64()%1_000_000_000)
	t.Cleanup(func() { dropDB(db) })
	in := &instance{t: t, db: db, dataDir: t.TempDir(), log: &bytes.Buffer{}, httpC: &http.Client{Timeout: 40 * time.Second}}
	// A port freePort found free can be taken (by another test's outgoing
	// connection) before the server binds it: then the ports are picked
	// again, up to three times.
	for attempt := 1; ; attempt++ {
		port, tport := freePort(t), freePort(t)
		in.URL = fmt.Sprintf("http://127.0.0.1:%d", port)
		in.env = append([]string{
			"DATABASE_URL=" + pgBase() + "/" + db + "?sslmode=disable",
			fmt.Sprintf("HARBORDESK_HTTP_ADDR=127.0.0.1:%d", port),
			fmt.Sprintf("TEMPORAL_ADDRESS=127.0.0.1:%d", tport),
			"HARBORDESK_API_KEYS=" + adminKey + ":admin:e2e-admin,agent-a:agent:agent-a,agent-b:agent:agent-b,intake-k:intake",
			"HARBORDESK_MAX_BODY_BYTES=65536",
			"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"),
		}, extraEnv...)
		err := in.tryLaunch()
		if err == nil {
			break
		}
		if attempt == 3 || in.cmd.ProcessState == nil || !strings.Contains(in.log.String(), "address already in use") {
			t.Fatal(err)
		}
		in.log.Reset()
	}
	t.Cleanup(in.stop)
	return in
}

func (in *instance) launch() {
	in.t.Helper()
	if err := in.tryLaunch(); err != nil {
		in.t.Fatal(err)
	}
}

// tryLaunch starts `harbordesk dev` and waits until it is ready.
func (in *instance) tryLaunch() error {
	cmd := exec.Command(binary, "dev", "--data-dir", in.dataDir)
	cmd.Env = in.env
	cmd.Stdout, cmd.Stderr = in.log, in.log
	if err := cmd.Start(); err != nil {
		return err
	}
	in.cmd = cmd
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	deadline := time.Now().Add(90 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			return fmt.Errorf("harbordesk dev exited during start:\n%s", in.log.String())
		default:
		}
		resp, err := http.Get(in.URL + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return nil
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	return fmt.Errorf("harbordesk dev not ready after 90 s:\n%s", in.log.String())
}

// crash kills the process without warning.
func (in *instance) crash() {
	_ = in.cmd.Process.Signal(syscall.SIGKILL)
	_, _ = in.cmd.Process.Wait()
	for i := 0; i < 40; i++ {
		if _, err := http.Get(in.URL + "/healthz"); err != nil {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (in *instance) stop() {
	if in.cmd != nil && in.cmd.ProcessState == nil {
		_ = in.cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { in.cmd.Process.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			_ = in.cmd.Process.Kill()
		}
	}
}

func dropDB(name string) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, pgBase()+"/postgres?sslmode=disable")
	if err != nil {
		return
	}
	defer conn.Close(ctx)
	_, _ = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
}

// call sends a request with key (empty: none) and decodes JSON into out.
func (in *instance) call(method, path, key string, body any, out any) int {
	in.t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	case []byte:
		r = bytes.NewReader(b)
	default:
		j, _ := json.Marshal(b)
		r = bytes.NewReader(j)
	}
	req, _ := http.NewRequest(method, in.URL+path, r)
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := in.httpC.Do(req)
	if err != nil {
		in.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if out != nil && len(raw) > 0 {
		if err := json.Unmarshal(raw, out); err != nil {
			in.t.Fatalf("%s %s: %d %q is not JSON", method, path, resp.StatusCode, raw)
		}
	}
	return resp.StatusCode
}

type contactView struct {
	ContactID       string `json:"contact_id"`
	State           string `json:"state"`
	Language        string `json:"language"`
	Script          string `json:"script"`
	Intent          string `json:"intent"`
	Negative        bool   `json:"negative"`
	Priority        string `json:"priority"`
	FirstResponseMS *int64 `json:"first_response_ms"`
	EscalationLevel int    `json:"escalation_level"`
	Transcript      []struct {
		MessageID string `json:"message_id"`
		Kind      string `json:"kind"`
		Text      string `json:"text"`
	} `json:"transcript"`
	Replies []struct {
		Author, Kind, Text, Agent string
	} `json:"replies"`
	Ticket *struct {
		ID, Kind, Priority, Status string
	} `json:"ticket"`
	Handoff *struct {
		ID, State, Agent string
	} `json:"handoff"`
}

func (c contactView) botAnswers() int {
	n := 0
	for _, r := range c.Replies {
		if r.Author == "bot" && r.Kind != "notice" {
			n++
		}
	}
	return n
}

func (c contactView) count(author string) int {
	n := 0
	for _, r := range c.Replies {
		if r.Author == author {
			n++
		}
	}
	return n
}

type accepted struct {
	ContactID  string `json:"contact_id"`
	WorkflowID string `json:"workflow_id"`
}

func (in *instance) post(channel, customer, conv, msgID, text string) accepted {
	in.t.Helper()
	var a accepted
	code := in.call("POST", "/v1/contacts", adminKey, map[string]string{"channel": channel, "customer_id": customer,
		"conversation_id": conv, "message_id": msgID, "text": text}, &a)
	if code != http.StatusAccepted {
		in.t.Fatalf("POST /v1/contacts = %d", code)
	}
	return a
}

// waitContact long-polls until cond holds or the timeout passes.
func (in *instance) waitContact(id string, timeout time.Duration, cond func(contactView) bool) contactView {
	in.t.Helper()
	deadline := time.Now().Add(timeout)
	var v contactView
	for time.Now().Before(deadline) {
		v = contactView{}
		code := in.call("GET", "/v1/contacts/"+id+"?wait=2s&replies_gt=0", adminKey, nil, &v)
		if code == 200 && cond(v) {
			return v
		}
		time.Sleep(50 * time.Millisecond)
	}
	in.t.Fatalf("contact %s: condition not met within %s; last state %+v", id, timeout, v)
	return v
}
