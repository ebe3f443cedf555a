// Command testcluster is `make test-cluster`: it proves Harbordesk's
// production shape on one machine without Docker. It starts a Temporal
// server as its own process (this binary's `server` mode, a harness around
// temporal.NewServer from go.temporal.io/server) on PostgreSQL persistence
// and visibility — schemas set up with the server's SQL schema tool on fresh
// databases — with TLS (mTLS) on the frontend and between services, from a
// CA and certificates made for the run; creates the namespace; runs
// `harbordesk migrate`, two `harbordesk api` and two `harbordesk worker`
// processes against it over mTLS; drives contacts through both APIs with
// `harbordesk bench` (first with one worker, then two), SIGKILLs one worker
// and one API mid-load and restarts them; checks in PostgreSQL that every
// contact was answered exactly once; measures the bare-workflow baseline on
// the same cluster; and prints the JSON line of CONTRACT.md last.
package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"google.golang.org/protobuf/types/known/durationpb"

	"github.com/harbordesk/harbordesk/internal/certs"
	"github.com/harbordesk/harbordesk/internal/temporalx"
	sqltool "go.temporal.io/server/tools/sql"
)

func main() {
	if len(os.Args) > 2 && os.Args[1] == "server" {
		if err := runServer(os.Args[2]); err != nil {
			fmt.Fprintln(os.Stderr, "testcluster server:", err)
			os.Exit(1)
		}
		return
	}
	hd := flag.String("harbordesk", "bin/harbordesk", "the harbordesk binary")
	pg := flag.String("pg", "postgres://postgres@127.0.0.1:5432", "PostgreSQL server (trust auth)")
	load := flag.Duration("load", 40*time.Second, "length of the two-worker load phase")
	keep := flag.Bool("keep", false, "keep the databases and the run directory")
	pprofPort := flag.Int("pprof", 0, "serve the Temporal server's pprof on 127.0.0.1:PORT (0: off)")
	hold := flag.Bool("hold", false, "after the run, keep the cluster up until interrupted (to bench or inspect it by hand)")
	flag.Parse()
	if err := run(*hd, *pg, *load, *keep, *hold, *pprofPort); err != nil {
		fmt.Fprintln(os.Stderr, "testcluster:", err)
		os.Exit(1)
	}
}

// baselineLoad is how long each side of the ratio runs, in baselineRounds
// pairs of alternating 10 s slices (`bench --baseline --rounds`), both
// workers up. Nine pairs rather than four: one pair's ratio on a shared
// 2-core machine moved from 0.76 to 0.93 within a run, and the mean of
// more pairs moves less.
const (
	baselineLoad   = 90 * time.Second
	baselineRounds = 9
)

const (
	adminKey = "cluster-admin-key"
	dataKey  = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="
	ns       = "harbordesk"
)

func say(format string, a ...any) { fmt.Fprintf(os.Stderr, "testcluster: "+format+"\n", a...) }

func freePort() int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// proc is one child process with its log.
type proc struct {
	name string
	args []string
	env  []string
	cmd  *exec.Cmd
	log  *os.File
}

func (p *proc) start() error {
	p.cmd = exec.Command(p.args[0], p.args[1:]...)
	p.cmd.Env = p.env
	p.cmd.Stdout, p.cmd.Stderr = p.log, p.log
	return p.cmd.Start()
}

func (p *proc) kill() {
	if p.cmd != nil && p.cmd.Process != nil {
		_ = p.cmd.Process.Signal(syscall.SIGKILL)
		_, _ = p.cmd.Process.Wait()
	}
}

func (p *proc) stop() {
	if p.cmd != nil && p.cmd.Process != nil {
		_ = p.cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { _, _ = p.cmd.Process.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			p.kill()
		}
	}
}

func run(hd, pgBase string, load time.Duration, keep, hold bool, pprofPort int) error {
	start := time.Now()
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "testcluster-")
	if err != nil {
		return err
	}
	var b [4]byte
	_, _ = rand.Read(b[:])
	run := "tc_" + hex.EncodeToString(b[:])
	dbs := []string{run + "_temporal", run + "_visibility", run + "_harbordesk"}
	var procs []*proc
	defer func() {
		for i := len(procs) - 1; i >= 0; i-- {
			procs[i].stop()
		}
		if !keep {
			dropDBs(pgBase, dbs)
			_ = os.RemoveAll(dir)
		} else {
			say("kept %s and databases %v", dir, dbs)
		}
	}()

	// Certificates for the run: one CA; the frontend's (and internode)
	// certificate for 127.0.0.1/localhost; a client certificate for Harbordesk.
	ca, err := certs.NewCA("testcluster CA " + run)
	if err != nil {
		return err
	}
	caFile, err := ca.WriteCert(dir, "ca")
	if err != nil {
		return err
	}
	srvPair, err := ca.Issue("temporal", "localhost", "127.0.0.1")
	if err != nil {
		return err
	}
	srvCert, srvKey, err := srvPair.Write(dir, "temporal")
	if err != nil {
		return err
	}
	cliPair, err := ca.Issue("harbordesk")
	if err != nil {
		return err
	}
	cliCert, cliKey, err := cliPair.Write(dir, "harbordesk")
	if err != nil {
		return err
	}

	// Fresh databases; Temporal's schemas with its own SQL schema tool.
	u := strings.TrimPrefix(pgBase, "postgres://")
	user, hostport, _ := strings.Cut(u, "@")
	host, portS, _ := strings.Cut(hostport, ":")
	port, _ := strconv.Atoi(portS)
	for i, db := range dbs[:2] {
		schemaName := []string{"postgresql/v12/temporal", "postgresql/v12/visibility"}[i]
		base := []string{"temporal-sql-tool", "--quiet", "--ep", host, "-p", portS, "-u", user, "--pl", "postgres12", "--db", db}
		for _, args := range [][]string{{"create-database"}, {"setup-schema", "-v", "0.0"}, {"update-schema", "--schema-name", schemaName}} {
			if err := sqltool.RunTool(append(append([]string{}, base...), args...)); err != nil {
				return fmt.Errorf("temporal-sql-tool %s on %s: %w", args[0], db, err)
			}
		}
	}
	say("Temporal schemas set up in %s, %s", dbs[0], dbs[1])

	// The Temporal server, its own process.
	self, err := os.Executable()
	if err != nil {
		return err
	}
	frontend := freePort()
	spec := serverSpec{PGHost: host, PGPort: port, PGUser: user, DB: dbs[0], VisibilityDB: dbs[1],
		Ports: map[string][2]int{"frontend": {frontend, freePort()}, "history": {freePort(), freePort()},
			"matching": {freePort(), freePort()}, "worker": {freePort(), freePort()}},
		CA: caFile, Cert: srvCert, Key: srvKey, ServerName: "localhost",
		FrontendAddress: fmt.Sprintf("127.0.0.1:%d", frontend), NumHistoryShards: 4, RequireClientCertTLS: true,
		PProfPort: pprofPort}
	specJSON, _ := json.Marshal(spec)
	newProc := func(name string, env []string, args ...string) (*proc, error) {
		f, err := os.Create(filepath.Join(dir, name+".log"))
		if err != nil {
			return nil, err
		}
		p := &proc{name: name, args: args, env: env, log: f}
		procs = append(procs, p)
		return p, p.start()
	}
	baseEnv := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
	if _, err := newProc("temporal", baseEnv, self, "server", string(specJSON)); err != nil {
		return err
	}
	sec := temporalx.Security{CAFile: caFile, CertFile: cliCert, KeyFile: cliKey, ServerName: "localhost"}
	if err := createNamespace(ctx, spec.FrontendAddress, sec); err != nil {
		return fmt.Errorf("%w (server log: %s)", err, tail(filepath.Join(dir, "temporal.log")))
	}
	say("Temporal server up at %s (TLS, mTLS), namespace %s", spec.FrontendAddress, ns)

	hdEnv := append(append([]string{}, baseEnv...),
		// PostgreSQL is shared (max_connections 100 here): small pools.
		"DATABASE_URL="+pgBase+"/"+dbs[2]+"?sslmode=disable&pool_max_conns=8",
		"TEMPORAL_ADDRESS="+spec.FrontendAddress, "TEMPORAL_NAMESPACE="+ns,
		"TEMPORAL_TLS_CA="+caFile, "TEMPORAL_TLS_CERT="+cliCert, "TEMPORAL_TLS_KEY="+cliKey,
		"TEMPORAL_TLS_SERVER_NAME=localhost",
		"HARBORDESK_API_KEYS="+adminKey+":admin:cluster", "HARBORDESK_DATA_KEY="+dataKey,
		"OTEL_TRACES_EXPORTER=none")
	mig := exec.Command(hd, "migrate")
	mig.Env = hdEnv
	if out, err := mig.CombinedOutput(); err != nil {
		return fmt.Errorf("harbordesk migrate: %v: %s", err, out)
	}
	role := func(name, kind string, port int) (*proc, error) {
		return newProc(name, append(append([]string{}, hdEnv...), fmt.Sprintf("HARBORDESK_HTTP_ADDR=127.0.0.1:%d", port)), hd, kind)
	}
	apiPorts := []int{freePort(), freePort()}
	workerPorts := []int{freePort(), freePort()}
	var apis, workers []*proc
	for i, p := range apiPorts {
		a, err := role(fmt.Sprintf("api%d", i+1), "api", p)
		if err != nil {
			return err
		}
		apis = append(apis, a)
	}
	w1, err := role("worker1", "worker", workerPorts[0])
	if err != nil {
		return err
	}
	workers = append(workers, w1)
	for _, p := range apiPorts {
		if err := waitReady(fmt.Sprintf("http://127.0.0.1:%d", p), 90*time.Second); err != nil {
			return fmt.Errorf("api on %d: %w (log: %s)", p, err, tail(filepath.Join(dir, "api1.log")))
		}
	}
	url := func(i int) string { return fmt.Sprintf("http://127.0.0.1:%d", apiPorts[i]) }
	// Each bench run's progress (per second, per slice) is kept in the run
	// directory: with --keep, bench-baseline.log shows every slice's rate.
	var benchLogs []*os.File
	defer func() {
		for _, f := range benchLogs {
			_ = f.Close()
		}
	}()
	benchLog := func(name string) io.Writer {
		f, err := os.Create(filepath.Join(dir, "bench-"+name+".log"))
		if err != nil {
			return io.Discard
		}
		benchLogs = append(benchLogs, f)
		return f
	}

	// Phase 1: one worker.
	one, err := bench(hd, url(0), 20*time.Second, false, benchLog("one-worker"))
	if err != nil {
		return fmt.Errorf("bench, one worker: %w", err)
	}
	say("one worker: %.1f contacts/s (%d contacts)", one.PerS, one.Contacts)

	// Phase 2: two workers, both APIs; one worker and one API killed and
	// restarted mid-load.
	w2, err := role("worker2", "worker", workerPorts[1])
	if err != nil {
		return err
	}
	workers = append(workers, w2)
	time.Sleep(3 * time.Second)
	type res struct {
		r   benchResult
		err error
	}
	results := make(chan res, 2)
	for i := range 2 {
		log := benchLog(fmt.Sprintf("two-workers-api%d", i+1))
		go func() {
			r, err := bench(hd, url(i), load, false, log)
			results <- res{r, err}
		}()
	}
	time.Sleep(load / 3)
	workers[0].kill()
	apis[1].kill()
	say("SIGKILLed worker1 and api2 mid-load")
	time.Sleep(3 * time.Second)
	if err := workers[0].start(); err != nil {
		return err
	}
	if err := apis[1].start(); err != nil {
		return err
	}
	say("restarted worker1 and api2")
	var two benchResult
	for range 2 {
		r := <-results
		if r.err != nil {
			return fmt.Errorf("bench, two workers: %w", r.err)
		}
		two.Contacts += r.r.Contacts
		two.PerS += r.r.PerS
		two.Duplicates += r.r.Duplicates
	}
	say("two workers, two APIs, kills: %.1f contacts/s (%d contacts)", two.PerS, two.Contacts)

	// Baseline on the same cluster, both workers up.
	if err := waitReady(url(1), 60*time.Second); err != nil {
		return fmt.Errorf("restarted api2: %w", err)
	}
	base, err := bench(hd, url(0), baselineLoad, true, benchLog("baseline"))
	if err != nil {
		return fmt.Errorf("bench --baseline: %w", err)
	}
	say("harbordesk %.1f/s vs bare workflow %.1f/s on this cluster: ratio %.2f", base.PerS, base.BaselinePerS, base.Ratio)

	// Every contact the APIs accepted answered exactly once.
	contacts, answered, duplicates, unanswered, err := audit(ctx, pgBase+"/"+dbs[2]+"?sslmode=disable", 90*time.Second)
	if err != nil {
		return err
	}
	// A contact row without a workflow is a request the API never accepted:
	// it was killed between writing the row and starting the workflow, and
	// its client got an error, not a 202 (a real client retries with the
	// same message_id). Only accepted contacts count.
	unaccepted, err := withoutWorkflow(ctx, spec.FrontendAddress, sec, unanswered)
	if err != nil {
		return err
	}
	contacts -= unaccepted
	duplicates += one.Duplicates + two.Duplicates + base.Duplicates
	say("one worker %.1f/s, two workers %.1f/s (%.2fx); %d contacts, %d answered, %d duplicates; %s",
		one.PerS, two.PerS, two.PerS/max(one.PerS, 0.001), contacts, answered, duplicates, time.Since(start).Round(time.Second))
	line, _ := json.Marshal(map[string]any{
		"temporal": "server", "persistence": "postgresql", "tls": true, "apis": 2, "workers": 2,
		"killed_apis": 1, "killed_workers": 1, "contacts": contacts, "answered": answered, "unaccepted": unaccepted,
		"lost": contacts - answered, "duplicates": duplicates,
		"contacts_per_s": round2(base.PerS), "baseline_contacts_per_s": round2(base.BaselinePerS), "ratio": round2(base.Ratio),
		"one_worker_contacts_per_s": round2(one.PerS), "two_workers_contacts_per_s": round2(two.PerS),
		"seconds": int(time.Since(start).Seconds()),
	})
	fmt.Println(string(line))
	if hold {
		say("holding: APIs at %s and %s (key %s); interrupt to stop", url(0), url(1), adminKey)
		sig := make(chan os.Signal, 1)
		signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
		<-sig
	}
	return nil
}

func round2(f float64) float64 { return float64(int(f*100+0.5)) / 100 }

type benchResult struct {
	Contacts     int     `json:"contacts"`
	PerS         float64 `json:"contacts_per_s"`
	Errors       int     `json:"errors"`
	Duplicates   int     `json:"duplicate_replies"`
	BaselinePerS float64 `json:"baseline_contacts_per_s"`
	Ratio        float64 `json:"ratio"`
}

// bench runs `harbordesk bench` and reads its last JSON line; its progress
// lines (one per second, one per slice) go to progress.
func bench(hd, url string, d time.Duration, baseline bool, progress io.Writer) (benchResult, error) {
	args := []string{"bench", "--url", url, "--key", adminKey, "--duration", d.String(), "--concurrency", "16"}
	if baseline {
		args = append(args, "--baseline", "--rounds", strconv.Itoa(baselineRounds))
	}
	cmd := exec.Command(hd, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, progress
	err := cmd.Run()
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	var r benchResult
	if jerr := json.Unmarshal([]byte(lines[len(lines)-1]), &r); jerr != nil {
		return r, fmt.Errorf("bench printed no JSON (%v): %s", err, out.String())
	}
	return r, nil
}

// withoutWorkflow counts the workflow IDs the cluster has never heard of.
func withoutWorkflow(ctx context.Context, addr string, sec temporalx.Security, workflowIDs []string) (int, error) {
	if len(workflowIDs) == 0 {
		return 0, nil
	}
	tlsCfg, err := sec.TLS()
	if err != nil {
		return 0, err
	}
	c, err := client.Dial(client.Options{HostPort: addr, Namespace: ns, ConnectionOptions: client.ConnectionOptions{TLS: tlsCfg}})
	if err != nil {
		return 0, fmt.Errorf("audit: %w", err)
	}
	defer c.Close()
	n := 0
	for _, id := range workflowIDs {
		_, err := c.DescribeWorkflowExecution(ctx, id, "")
		var nf *serviceerror.NotFound
		switch {
		case errors.As(err, &nf):
			n++
		case err != nil:
			return 0, fmt.Errorf("audit: describe a contact's workflow: %w", err)
		}
	}
	return n, nil
}

// audit waits until every contact has a bot answer (or the limit) and
// counts contacts, the answered ones and duplicated replies; unanswered
// lists the workflow IDs of the contacts without an answer.
func audit(ctx context.Context, dbURL string, limit time.Duration) (contacts, answered, duplicates int, unanswered []string, err error) {
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return 0, 0, 0, nil, err
	}
	defer conn.Close(ctx)
	deadline := time.Now().Add(limit)
	for {
		err = conn.QueryRow(ctx, `
			SELECT count(*),
			       count(*) FILTER (WHERE EXISTS (SELECT 1 FROM replies r WHERE r.contact_id = c.id AND r.author = 'bot' AND r.kind <> 'notice'))
			FROM contacts c`).Scan(&contacts, &answered)
		if err != nil || answered == contacts || time.Now().After(deadline) {
			break
		}
		time.Sleep(time.Second)
	}
	if err != nil {
		return
	}
	rows, err := conn.Query(ctx, `
		SELECT c.workflow_id FROM contacts c
		WHERE NOT EXISTS (SELECT 1 FROM replies r WHERE r.contact_id = c.id AND r.author = 'bot' AND r.kind <> 'notice')`)
	if err != nil {
		return
	}
	if unanswered, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
		return
	}
	// A duplicate is a second bot answer to the same customer message.
	err = conn.QueryRow(ctx, `
		SELECT COALESCE(sum(n - 1), 0) FROM (
			SELECT count(*) AS n FROM replies
			WHERE author = 'bot' AND kind = 'answer'
			GROUP BY contact_id, reply_key HAVING count(*) > 1) d`).Scan(&duplicates)
	return
}

// createNamespace waits for the frontend (over mTLS) and registers the namespace.
func createNamespace(ctx context.Context, addr string, sec temporalx.Security) error {
	tlsCfg, err := sec.TLS()
	if err != nil {
		return err
	}
	deadline := time.Now().Add(3 * time.Minute)
	for {
		nc, err := client.NewNamespaceClient(client.Options{HostPort: addr, ConnectionOptions: client.ConnectionOptions{TLS: tlsCfg}})
		if err == nil {
			err = nc.Register(ctx, &workflowservice.RegisterNamespaceRequest{Namespace: ns,
				WorkflowExecutionRetentionPeriod: durationpb.New(24 * time.Hour)})
			nc.Close()
			if err == nil || strings.Contains(err.Error(), "already exists") {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("namespace %s on %s: %w", ns, addr, err)
		}
		time.Sleep(time.Second)
	}
}

func waitReady(url string, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		cmd := exec.Command("curl", "-sf", url+"/readyz")
		if cmd.Run() == nil {
			return nil
		}
		time.Sleep(500 * time.Millisecond)
	}
	return errors.New("not ready")
}

func tail(path string) string {
	b, _ := os.ReadFile(path)
	if len(b) > 1500 {
		b = b[len(b)-1500:]
	}
	return string(b)
}

func dropDBs(pgBase string, dbs []string) {
	conn, err := pgx.Connect(context.Background(), pgBase+"/postgres?sslmode=disable")
	if err != nil {
		return
	}
	defer conn.Close(context.Background())
	for _, db := range dbs {
		_, _ = conn.Exec(context.Background(), "DROP DATABASE IF EXISTS "+pgx.Identifier{db}.Sanitize()+" WITH (FORCE)")
	}
}
