package deploy

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

const (
	k8sNamespace = "harbordesk"
	imageRepo    = "ghcr.io/harbordesk/harbordesk"
)

// loadK8s parses every manifest under deploy/k8s, tagging each document with
// the file it came from (key "_file").
func loadK8s(t *testing.T) []doc {
	t.Helper()
	files, err := filepath.Glob("k8s/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no manifests in deploy/k8s: %v", err)
	}
	var all []doc
	for _, f := range files {
		docs, err := readDocs(f)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, d := range docs {
			d["_file"] = filepath.Base(f)
		}
		all = append(all, docs...)
	}
	return all
}

func byKind(docs []doc, kind string) []doc {
	var out []doc
	for _, d := range docs {
		if str(d, "kind") == kind {
			out = append(out, d)
		}
	}
	return out
}

func name(d doc) string { return str(d, "metadata", "name") }

// labelsMatch reports whether every selector label is on the pod.
func labelsMatch(selector, pod map[string]any) bool {
	if len(selector) == 0 {
		return false
	}
	for k, v := range selector {
		if pod[k] != v {
			return false
		}
	}
	return true
}

// podSpec returns the pod spec of a Deployment or Job.
func podSpec(d doc) map[string]any { return mapAt(d, "spec", "template", "spec") }

// checkK8s is the whole structural check of the Kubernetes manifests.
func checkK8s(docs []doc, envNames map[string]bool) problems {
	var p problems
	checkMeta(&p, docs)
	cm, secret := configKeys(docs)
	deployments := byKind(docs, "Deployment")
	if len(deployments) != 2 {
		p.addf("want 2 Deployments (api, worker), have %d", len(deployments))
	}
	images := map[string]bool{}
	for _, d := range deployments {
		checkWorkload(&p, d, envNames, cm, secret, images)
		if r, _ := at(d, "spec", "replicas").(int); r < 2 {
			p.addf("Deployment %s: replicas %d, want at least 2", name(d), r)
		}
		sel := mapAt(d, "spec", "selector", "matchLabels")
		if !labelsMatch(sel, mapAt(d, "spec", "template", "metadata", "labels")) {
			p.addf("Deployment %s: selector does not match its pod labels", name(d))
		}
	}
	checkRoles(&p, deployments)
	jobs := byKind(docs, "Job")
	if len(jobs) != 1 || !slices.Equal(list(jobs[0], "spec", "template", "spec", "containers", 0, "args"), []any{"migrate"}) {
		p.addf("want one migration Job running `harbordesk migrate`")
	}
	for _, j := range jobs {
		checkWorkload(&p, j, envNames, cm, secret, images)
		if str(podSpec(j), "restartPolicy") != "Never" && str(podSpec(j), "restartPolicy") != "OnFailure" {
			p.addf("Job %s: restartPolicy must be Never or OnFailure", name(j))
		}
	}
	if len(images) != 1 {
		p.addf("api, worker and migrate must run the same image, have %v", sortedKeys(images))
	}
	checkPDBs(&p, docs, deployments)
	checkHPAs(&p, docs, deployments)
	checkServices(&p, docs, deployments)
	checkSecret(&p, docs)
	return p
}

func checkMeta(p *problems, docs []doc) {
	for _, d := range docs {
		kind := str(d, "kind")
		if kind == "Kustomization" {
			continue
		}
		if str(d, "apiVersion") == "" || kind == "" || name(d) == "" {
			p.addf("%s: a document lacks apiVersion, kind or metadata.name", d["_file"])
			continue
		}
		if kind != "Namespace" && str(d, "metadata", "namespace") != k8sNamespace {
			p.addf("%s %s: namespace %q, want %q", kind, name(d), str(d, "metadata", "namespace"), k8sNamespace)
		}
	}
	if len(byKind(docs, "Namespace")) != 1 {
		p.addf("want one Namespace")
	}
}

// configKeys returns the keys of the harbordesk ConfigMap and Secret.
func configKeys(docs []doc) (cm, secret map[string]map[string]bool) {
	cm, secret = map[string]map[string]bool{}, map[string]map[string]bool{}
	for _, d := range byKind(docs, "ConfigMap") {
		cm[name(d)] = keysOf(mapAt(d, "data"))
	}
	for _, d := range byKind(docs, "Secret") {
		keys := keysOf(mapAt(d, "stringData"))
		for k := range keysOf(mapAt(d, "data")) {
			keys[k] = true
		}
		secret[name(d)] = keys
	}
	return cm, secret
}

func keysOf(m map[string]any) map[string]bool {
	out := map[string]bool{}
	for k := range m {
		out[k] = true
	}
	return out
}

// checkWorkload checks one Deployment or Job: image, env, resources,
// non-root, read-only root filesystem, probes pointing at declared ports.
func checkWorkload(p *problems, d doc, envNames map[string]bool, cm, secret map[string]map[string]bool, images map[string]bool) {
	ps := podSpec(d)
	id := str(d, "kind") + " " + name(d)
	podNonRoot := at(ps, "securityContext", "runAsNonRoot") == true
	containers := list(ps, "containers")
	if len(containers) == 0 {
		p.addf("%s: no containers", id)
	}
	for _, c := range containers {
		img := str(c, "image")
		images[img] = true
		if !strings.HasPrefix(img, imageRepo+":") || strings.HasSuffix(img, ":latest") {
			p.addf("%s: image %q, want %s:<version>", id, img, imageRepo)
		}
		for _, r := range []string{"requests", "limits"} {
			for _, res := range []string{"cpu", "memory"} {
				if at(c, "resources", r, res) == nil {
					p.addf("%s: no resources.%s.%s", id, r, res)
				}
			}
		}
		if !podNonRoot && at(c, "securityContext", "runAsNonRoot") != true {
			p.addf("%s: not runAsNonRoot", id)
		}
		if at(c, "securityContext", "readOnlyRootFilesystem") != true {
			p.addf("%s: root filesystem not read-only", id)
		}
		if at(c, "securityContext", "allowPrivilegeEscalation") != false {
			p.addf("%s: allowPrivilegeEscalation not false", id)
		}
		env := envOf(p, id, c, cm, secret)
		for n := range env {
			if !envNames[n] {
				p.addf("%s: env %s is not read by the binary", id, n)
			}
		}
		for _, n := range requiredEnv {
			if !env[n] {
				p.addf("%s: env %s is not set", id, n)
			}
		}
		ports := map[any]bool{}
		for _, port := range list(c, "ports") {
			ports[at(port, "name")] = true
			ports[at(port, "containerPort")] = true
		}
		for _, probe := range []string{"livenessProbe", "readinessProbe"} {
			if pr := mapAt(c, probe); pr != nil && !ports[at(pr, "httpGet", "port")] {
				p.addf("%s: %s port %v is not a container port", id, probe, at(pr, "httpGet", "port"))
			}
		}
	}
}

// envOf collects the variable names a container gets, directly or through
// envFrom (which must name an existing ConfigMap or Secret).
func envOf(p *problems, id string, c any, cm, secret map[string]map[string]bool) map[string]bool {
	env := map[string]bool{}
	for _, e := range list(c, "env") {
		env[str(e, "name")] = true
	}
	for _, from := range list(c, "envFrom") {
		var keys map[string]bool
		var ok bool
		if n := str(from, "configMapRef", "name"); n != "" {
			keys, ok = cm[n]
		} else if n := str(from, "secretRef", "name"); n != "" {
			keys, ok = secret[n]
		}
		if !ok {
			p.addf("%s: envFrom names a ConfigMap or Secret that is not in the manifests", id)
		}
		for k := range keys {
			env[k] = true
		}
	}
	return env
}

// checkRoles: the api answers traffic (readiness /readyz, liveness /healthz);
// the worker has a liveness probe and no readiness gate.
func checkRoles(p *problems, deployments []doc) {
	roles := map[string]bool{}
	for _, d := range deployments {
		c := at(podSpec(d), "containers", 0)
		role := str(c, "args", 0)
		roles[role] = true
		switch role {
		case "api":
			if str(c, "readinessProbe", "httpGet", "path") != "/readyz" {
				p.addf("api: readiness probe must GET /readyz")
			}
			if str(c, "livenessProbe", "httpGet", "path") != "/healthz" {
				p.addf("api: liveness probe must GET /healthz")
			}
		case "worker":
			if at(c, "livenessProbe") == nil {
				p.addf("worker: no liveness probe")
			}
		default:
			p.addf("Deployment %s runs %q, want api or worker", name(d), role)
		}
	}
	if !roles["api"] || !roles["worker"] {
		p.addf("want an api and a worker Deployment, have %v", sortedKeys(roles))
	}
}

func checkPDBs(p *problems, docs, deployments []doc) {
	covered := map[string]bool{}
	for _, pdb := range byKind(docs, "PodDisruptionBudget") {
		sel := mapAt(pdb, "spec", "selector", "matchLabels")
		matched := false
		for _, d := range deployments {
			if labelsMatch(sel, mapAt(d, "spec", "template", "metadata", "labels")) {
				matched, covered[name(d)] = true, true
				replicas, _ := at(d, "spec", "replicas").(int)
				if min, ok := at(pdb, "spec", "minAvailable").(int); ok && min >= replicas {
					p.addf("PodDisruptionBudget %s: minAvailable %d blocks every eviction of %d replicas", name(pdb), min, replicas)
				}
			}
		}
		if !matched {
			p.addf("PodDisruptionBudget %s: selector matches no Deployment's pods", name(pdb))
		}
	}
	for _, d := range deployments {
		if !covered[name(d)] {
			p.addf("Deployment %s: no PodDisruptionBudget", name(d))
		}
	}
}

func checkHPAs(p *problems, docs, deployments []doc) {
	targets := map[string]bool{}
	for _, h := range byKind(docs, "HorizontalPodAutoscaler") {
		ref := str(h, "spec", "scaleTargetRef", "name")
		if !slices.ContainsFunc(deployments, func(d doc) bool { return name(d) == ref }) {
			p.addf("HorizontalPodAutoscaler %s: targets unknown Deployment %q", name(h), ref)
		}
		targets[ref] = true
		if min, _ := at(h, "spec", "minReplicas").(int); min < 2 {
			p.addf("HorizontalPodAutoscaler %s: minReplicas %d, want at least 2", name(h), min)
		}
		if len(list(h, "spec", "metrics")) == 0 {
			p.addf("HorizontalPodAutoscaler %s: no metrics", name(h))
		}
	}
	for _, d := range deployments {
		if !targets[name(d)] {
			p.addf("Deployment %s: no HorizontalPodAutoscaler", name(d))
		}
	}
}

func checkServices(p *problems, docs, deployments []doc) {
	svcs := byKind(docs, "Service")
	if len(svcs) == 0 {
		p.addf("no Service for the api")
	}
	for _, s := range svcs {
		sel := mapAt(s, "spec", "selector")
		var target doc
		for _, d := range deployments {
			if labelsMatch(sel, mapAt(d, "spec", "template", "metadata", "labels")) {
				target = d
			}
		}
		if target == nil {
			p.addf("Service %s: selector matches no Deployment's pods", name(s))
			continue
		}
		ports := map[any]bool{}
		for _, port := range list(podSpec(target), "containers", 0, "ports") {
			ports[at(port, "name")], ports[at(port, "containerPort")] = true, true
		}
		for _, port := range list(s, "spec", "ports") {
			if !ports[at(port, "targetPort")] {
				p.addf("Service %s: targetPort %v is not a port of %s", name(s), at(port, "targetPort"), name(target))
			}
		}
	}
}

// checkSecret: secrets are placeholders, never something that looks real.
func checkSecret(p *problems, docs []doc) {
	for _, s := range byKind(docs, "Secret") {
		for k, v := range mapAt(s, "stringData") {
			val, _ := v.(string)
			if val != "" && !strings.Contains(val, "CHANGE-ME") {
				p.addf("Secret %s: %s is not a CHANGE-ME placeholder", name(s), k)
			}
		}
		if len(mapAt(s, "data")) > 0 {
			p.addf("Secret %s: base64 data in the repo; use stringData placeholders", name(s))
		}
	}
}

func TestK8sManifests(t *testing.T) {
	envNames, err := binaryEnvNames("..")
	if err != nil {
		t.Fatal(err)
	}
	if got := checkK8s(loadK8s(t), envNames); len(got) > 0 {
		t.Fatalf("manifest problems:\n  %s", strings.Join(got, "\n  "))
	}
}

// TestK8sChecksCatchBreakage breaks one thing at a time in a fresh copy of
// the real manifests and expects the check to name it.
func TestK8sChecksCatchBreakage(t *testing.T) {
	envNames, err := binaryEnvNames("..")
	if err != nil {
		t.Fatal(err)
	}
	find := func(docs []doc, kind, n string) doc {
		for _, d := range docs {
			if str(d, "kind") == kind && name(d) == n {
				return d
			}
		}
		t.Fatalf("no %s %s", kind, n)
		return nil
	}
	api := func(docs []doc) map[string]any {
		return mapAt(find(docs, "Deployment", "harbordesk-api"), "spec", "template", "spec", "containers", 0)
	}
	worker := func(docs []doc) map[string]any {
		return mapAt(find(docs, "Deployment", "harbordesk-worker"), "spec", "template", "spec", "containers", 0)
	}
	cases := []struct {
		name   string
		mutate func([]doc) []doc
		want   []string
	}{
		{"api without readiness", func(d []doc) []doc { delete(api(d), "readinessProbe"); return d }, []string{"readiness probe must GET /readyz"}},
		{"api liveness elsewhere", func(d []doc) []doc { mapAt(api(d), "livenessProbe", "httpGet")["path"] = "/"; return d }, []string{"liveness probe must GET /healthz"}},
		{"worker without liveness", func(d []doc) []doc { delete(worker(d), "livenessProbe"); return d }, []string{"worker: no liveness probe"}},
		{"probe on an undeclared port", func(d []doc) []doc { mapAt(worker(d), "livenessProbe", "httpGet")["port"] = "metrics"; return d }, []string{"livenessProbe port metrics"}},
		{"no limits", func(d []doc) []doc { delete(mapAt(api(d), "resources"), "limits"); return d }, []string{"no resources.limits.cpu", "no resources.limits.memory"}},
		{"runs as root", func(d []doc) []doc {
			delete(mapAt(find(d, "Deployment", "harbordesk-worker"), "spec", "template", "spec", "securityContext"), "runAsNonRoot")
			return d
		}, []string{"Deployment harbordesk-worker: not runAsNonRoot"}},
		{"writable root fs", func(d []doc) []doc { mapAt(api(d), "securityContext")["readOnlyRootFilesystem"] = false; return d }, []string{"root filesystem not read-only"}},
		{"privilege escalation", func(d []doc) []doc { delete(mapAt(api(d), "securityContext"), "allowPrivilegeEscalation"); return d }, []string{"allowPrivilegeEscalation"}},
		{"image drift", func(d []doc) []doc { worker(d)["image"] = imageRepo + ":0.0.9"; return d }, []string{"same image"}},
		{"latest tag", func(d []doc) []doc { api(d)["image"] = imageRepo + ":latest"; return d }, []string{"want " + imageRepo}},
		{"unknown env", func(d []doc) []doc {
			api(d)["env"] = append(list(api(d), "env"), map[string]any{"name": "HARBORDESK_NO_SUCH_SETTING"})
			return d
		}, []string{"HARBORDESK_NO_SUCH_SETTING is not read"}},
		{"missing secret key", func(d []doc) []doc {
			delete(mapAt(find(d, "Secret", "harbordesk-secrets"), "stringData"), "HARBORDESK_DATA_KEY")
			return d
		}, []string{"env HARBORDESK_DATA_KEY is not set"}},
		{"envFrom unknown ConfigMap", func(d []doc) []doc {
			mapAt(api(d), "envFrom", 0, "configMapRef")["name"] = "other"
			return d
		}, []string{"envFrom names a ConfigMap or Secret"}},
		{"real-looking secret", func(d []doc) []doc {
			mapAt(find(d, "Secret", "harbordesk-secrets"), "stringData")["HARBORDESK_DATA_KEY"] = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="
			return d
		}, []string{"HARBORDESK_DATA_KEY is not a CHANGE-ME placeholder"}},
		{"PDB selects nothing", func(d []doc) []doc {
			mapAt(find(d, "PodDisruptionBudget", "harbordesk-worker"), "spec", "selector", "matchLabels")["app.kubernetes.io/name"] = "wrkr"
			return d
		}, []string{"PodDisruptionBudget harbordesk-worker: selector matches no", "Deployment harbordesk-worker: no PodDisruptionBudget"}},
		{"PDB blocks evictions", func(d []doc) []doc {
			mapAt(find(d, "PodDisruptionBudget", "harbordesk-api"), "spec")["minAvailable"] = 2
			return d
		}, []string{"blocks every eviction"}},
		{"one replica", func(d []doc) []doc { mapAt(find(d, "Deployment", "harbordesk-api"), "spec")["replicas"] = 1; return d }, []string{"replicas 1"}},
		{"selector drift", func(d []doc) []doc {
			mapAt(find(d, "Deployment", "harbordesk-api"), "spec", "selector", "matchLabels")["tier"] = "web"
			return d
		}, []string{"selector does not match its pod labels"}},
		{"HPA on a typo", func(d []doc) []doc {
			mapAt(find(d, "HorizontalPodAutoscaler", "harbordesk-api"), "spec", "scaleTargetRef")["name"] = "harbordesk-apii"
			return d
		}, []string{"targets unknown Deployment", "Deployment harbordesk-api: no HorizontalPodAutoscaler"}},
		{"HPA below two", func(d []doc) []doc {
			mapAt(find(d, "HorizontalPodAutoscaler", "harbordesk-worker"), "spec")["minReplicas"] = 1
			return d
		}, []string{"minReplicas 1"}},
		{"Service port typo", func(d []doc) []doc {
			mapAt(find(d, "Service", "harbordesk-api"), "spec", "ports", 0)["targetPort"] = "web"
			return d
		}, []string{"targetPort web"}},
		{"Service selects nothing", func(d []doc) []doc {
			mapAt(find(d, "Service", "harbordesk-api"), "spec")["selector"] = map[string]any{"app": "x"}
			return d
		}, []string{"Service harbordesk-api: selector matches no"}},
		{"wrong namespace", func(d []doc) []doc {
			mapAt(find(d, "ConfigMap", "harbordesk-config"), "metadata")["namespace"] = "default"
			return d
		}, []string{`ConfigMap harbordesk-config: namespace "default"`}},
		{"no migration Job", func(d []doc) []doc {
			return slices.DeleteFunc(d, func(x doc) bool { return str(x, "kind") == "Job" })
		}, []string{"one migration Job"}},
		{"Job restarts forever", func(d []doc) []doc {
			mapAt(find(d, "Job", "harbordesk-migrate"), "spec", "template", "spec")["restartPolicy"] = "Always"
			return d
		}, []string{"restartPolicy must be Never"}},
		{"unknown role", func(d []doc) []doc { worker(d)["args"] = []any{"dev"}; return d }, []string{`runs "dev"`, "want an api and a worker"}},
		{"nameless document", func(d []doc) []doc { return append(d, doc{"kind": "ConfigMap", "_file": "x.yaml"}) }, []string{"x.yaml: a document lacks"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := checkK8s(c.mutate(deepCopy(t, loadK8s(t))), envNames)
			hasAll(t, got, c.want...)
		})
	}
}

// deepCopy round-trips the documents through YAML so each case breaks its own copy.
func deepCopy(t *testing.T, docs []doc) []doc {
	t.Helper()
	b, err := yaml.Marshal(docs)
	if err != nil {
		t.Fatal(err)
	}
	var out []doc
	if err := yaml.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestKustomizationListsEveryManifest(t *testing.T) {
	docs, err := readDocs("k8s/kustomization.yaml")
	if err != nil || len(docs) != 1 {
		t.Fatalf("kustomization: %v", err)
	}
	k := docs[0]
	for _, r := range list(k, "resources") {
		if _, err := os.Stat(filepath.Join("k8s", r.(string))); err != nil {
			t.Errorf("kustomization lists %v: %v", r, err)
		}
	}
	if str(k, "images", 0, "name") != imageRepo || str(k, "namespace") != k8sNamespace {
		t.Errorf("kustomization image %q / namespace %q", str(k, "images", 0, "name"), str(k, "namespace"))
	}
	tag := str(k, "images", 0, "newTag")
	for _, d := range loadK8s(t) {
		for _, c := range list(podSpec(d), "containers") {
			if img := str(c, "image"); img != imageRepo+":"+tag {
				t.Errorf("%s %s: image %q, kustomization pins %s", str(d, "kind"), name(d), img, tag)
			}
		}
	}
}
