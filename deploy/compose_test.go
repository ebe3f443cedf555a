package deploy

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

func loadCompose(t *testing.T) doc {
	t.Helper()
	docs, err := readDocs("compose.yaml")
	if err != nil || len(docs) != 1 {
		t.Fatalf("compose.yaml: %v (%d documents)", err, len(docs))
	}
	return docs[0]
}

// composeEnv lists a service's environment names (map or list form).
func composeEnv(svc any) []string {
	var out []string
	switch e := at(svc, "environment").(type) {
	case map[string]any:
		for k := range e {
			out = append(out, k)
		}
	case []any:
		for _, kv := range e {
			k, _, _ := strings.Cut(kv.(string), "=")
			out = append(out, k)
		}
	}
	return out
}

var imageTag = regexp.MustCompile(`^([^:]+):(.+)$`)

// checkCompose is the structural check of compose.yaml: two APIs, two
// workers, a migrate one-shot they wait for, Temporal on PostgreSQL from the
// official images at one version, PostgreSQL 16, the collector, and only
// environment the binary reads.
func checkCompose(c doc, envNames map[string]bool, exists func(string) bool) problems {
	var p problems
	services := mapAt(c, "services")
	roles := map[string]int{}
	for n, svc := range services {
		if str(svc, "build", "dockerfile") == "" {
			continue // not a Harbordesk container
		}
		if str(svc, "build", "dockerfile") != "deploy/Dockerfile" {
			p.addf("service %s: builds %q, want deploy/Dockerfile", n, str(svc, "build", "dockerfile"))
		}
		role := str(svc, "command", 0)
		roles[role]++
		for _, e := range composeEnv(svc) {
			if !envNames[e] {
				p.addf("service %s: env %s is not read by the binary", n, e)
			}
		}
		if at(svc, "read_only") != true {
			p.addf("service %s: root filesystem not read-only", n)
		}
		switch role {
		case "api", "worker":
			for _, dep := range []string{"migrate", "temporal-namespace"} {
				if str(svc, "depends_on", dep, "condition") != "service_completed_successfully" {
					p.addf("service %s: does not wait for %s to complete", n, dep)
				}
			}
		case "migrate":
			if r := str(svc, "restart"); r != "no" {
				p.addf("service %s: migrate is a one-shot, restart %q", n, r)
			}
		default:
			p.addf("service %s: runs %q", n, role)
		}
	}
	if roles["api"] != 2 || roles["worker"] != 2 || roles["migrate"] != 1 {
		p.addf("want api x2, worker x2, migrate x1; have %v", roles)
	}
	temporalTags := map[string]bool{}
	for _, n := range []string{"temporal", "temporal-schema", "temporal-namespace"} {
		m := imageTag.FindStringSubmatch(str(services, n, "image"))
		if m == nil || !strings.HasPrefix(m[1], "temporalio/") {
			p.addf("service %s: want an official temporalio image", n)
			continue
		}
		temporalTags[m[2]] = true
	}
	if len(temporalTags) != 1 {
		p.addf("Temporal images at several versions: %v", sortedKeys(temporalTags))
	}
	if str(services, "temporal", "environment", "DB") != "postgres12" {
		p.addf("Temporal must persist to PostgreSQL (DB=postgres12)")
	}
	if !strings.HasPrefix(str(services, "postgres", "image"), "postgres:16") {
		p.addf("want PostgreSQL 16, have %q", str(services, "postgres", "image"))
	}
	if !strings.HasPrefix(str(services, "otel-collector", "image"), "otel/opentelemetry-collector-contrib:") {
		p.addf("no OpenTelemetry collector service")
	}
	for n, svc := range services {
		for _, v := range list(svc, "volumes") {
			src, _, _ := strings.Cut(v.(string), ":")
			if strings.HasPrefix(src, "./") && !exists(src) {
				p.addf("service %s: mounts missing %s", n, src)
			}
		}
	}
	return p
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func TestCompose(t *testing.T) {
	envNames, err := binaryEnvNames("..")
	if err != nil {
		t.Fatal(err)
	}
	if got := checkCompose(loadCompose(t), envNames, fileExists); len(got) > 0 {
		t.Fatalf("compose problems:\n  %s", strings.Join(got, "\n  "))
	}
}

func TestComposeChecksCatchBreakage(t *testing.T) {
	envNames, err := binaryEnvNames("..")
	if err != nil {
		t.Fatal(err)
	}
	svc := func(c doc, n string) map[string]any { return mapAt(c, "services", n) }
	cases := []struct {
		name   string
		mutate func(doc)
		want   []string
	}{
		{"one api", func(c doc) { delete(mapAt(c, "services"), "api-2") }, []string{"want api x2"}},
		{"no migrate", func(c doc) { delete(mapAt(c, "services"), "migrate") }, []string{"migrate x1"}},
		{"worker skips migrate", func(c doc) { delete(mapAt(svc(c, "worker-1"), "depends_on"), "migrate") }, []string{"worker-1: does not wait for migrate"}},
		{"migrate restarts", func(c doc) { svc(c, "migrate")["restart"] = "always" }, []string{"migrate is a one-shot"}},
		{"unknown env", func(c doc) { mapAt(svc(c, "api-1"), "environment")["HARBORDESK_TYPO"] = "1" }, []string{"HARBORDESK_TYPO is not read"}},
		{"other Dockerfile", func(c doc) { mapAt(svc(c, "api-1"), "build")["dockerfile"] = "Dockerfile" }, []string{`builds "Dockerfile"`}},
		{"writable", func(c doc) { svc(c, "worker-2")["read_only"] = false }, []string{"worker-2: root filesystem"}},
		{"odd role", func(c doc) { svc(c, "api-2")["command"] = []any{"dev"} }, []string{`api-2: runs "dev"`}},
		{"version skew", func(c doc) { svc(c, "temporal-schema")["image"] = "temporalio/admin-tools:1.20.0" }, []string{"several versions"}},
		{"unofficial temporal", func(c doc) { svc(c, "temporal")["image"] = "someone/temporal:1.31.0" }, []string{"official temporalio image"}},
		{"sqlite temporal", func(c doc) { mapAt(svc(c, "temporal"), "environment")["DB"] = "sqlite" }, []string{"DB=postgres12"}},
		{"old postgres", func(c doc) { svc(c, "postgres")["image"] = "postgres:13" }, []string{"PostgreSQL 16"}},
		{"no collector", func(c doc) { delete(mapAt(c, "services"), "otel-collector") }, []string{"OpenTelemetry collector"}},
		{"missing mount", func(c doc) { svc(c, "otel-collector")["volumes"] = []any{"./nope.yaml:/x"} }, []string{"mounts missing ./nope.yaml"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := loadCompose(t)
			c.mutate(d)
			hasAll(t, checkCompose(d, envNames, fileExists), c.want...)
		})
	}
}

func TestEnvExampleNamesAreRead(t *testing.T) {
	envNames, err := binaryEnvNames("..")
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(".env.example")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "#"))
		k, _, ok := strings.Cut(line, "=")
		if !ok || strings.Contains(k, " ") || k == "POSTGRES_PASSWORD" {
			continue
		}
		if !envNames[k] {
			t.Errorf(".env.example: %s is not read by the binary", k)
		}
	}
}

func TestCollectorConfig(t *testing.T) {
	docs, err := readDocs("otel-collector.yaml")
	if err != nil || len(docs) != 1 {
		t.Fatalf("otel-collector.yaml: %v", err)
	}
	c := docs[0]
	if str(c, "receivers", "otlp", "protocols", "http", "endpoint") != "0.0.0.0:4318" {
		t.Error("collector does not receive OTLP/HTTP on 4318 (where OTEL_EXPORTER_OTLP_ENDPOINT points)")
	}
	pipe := mapAt(c, "service", "pipelines", "traces")
	for _, part := range []string{"receivers", "processors", "exporters"} {
		for _, n := range list(pipe, part) {
			if at(c, part, n) == nil {
				t.Errorf("traces pipeline uses undefined %s %v", part, n)
			}
		}
	}
}

func TestDockerfile(t *testing.T) {
	b, err := os.ReadFile("Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for _, want := range []string{"GOTOOLCHAIN=go1.27.3", "CGO_ENABLED=0", "./cmd/harbordesk", "USER 65532:65532", `ENTRYPOINT ["/usr/local/bin/harbordesk"]`} {
		if !strings.Contains(s, want) {
			t.Errorf("Dockerfile lacks %q", want)
		}
	}
	if n := strings.Count(s, "\nFROM "); n < 2 {
		t.Errorf("Dockerfile has %d stages, want a multi-stage build", n)
	}
}

// TestComposeConfig asks Docker Compose itself to validate the file, in a
// scratch copy with .env taken from .env.example. It needs a Docker engine
// and the compose plugin; without them it skips and says so.
func TestComposeConfig(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: not calling docker")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := exec.CommandContext(ctx, "docker", "compose", "version").Run(); err != nil {
		t.Skip("docker compose plugin not available (`docker compose version` failed); structure is still checked by TestCompose")
	}
	if err := exec.CommandContext(ctx, "docker", "info").Run(); err != nil {
		t.Skip("no Docker engine reachable (`docker info` failed); structure is still checked by TestCompose")
	}
	dir := t.TempDir()
	for _, f := range []string{"compose.yaml", "otel-collector.yaml", "Dockerfile"} {
		copyFile(t, f, filepath.Join(dir, f))
	}
	copyFile(t, ".env.example", filepath.Join(dir, ".env"))
	if err := os.CopyFS(filepath.Join(dir, "temporal"), os.DirFS("temporal")); err != nil {
		t.Fatal(err)
	}
	out, err := exec.CommandContext(ctx, "docker", "compose", "-f", filepath.Join(dir, "compose.yaml"), "config", "--quiet").CombinedOutput()
	if err != nil {
		t.Fatalf("docker compose config: %v\n%s", err, out)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		t.Fatal(err)
	}
}
