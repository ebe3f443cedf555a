package workflows

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/harbordesk/harbordesk/internal/codec"
	"github.com/harbordesk/harbordesk/internal/config"
	"github.com/harbordesk/harbordesk/internal/contact"
)

// histories are the recorded ContactWorkflow histories (see testdata/README.md).
func histories(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "contact_*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no testdata/contact_*.json histories; see testdata/README.md")
	}
	return files
}

// newReplayer decodes payloads like the worker does: the histories were
// recorded with `harbordesk dev`, whose payloads are encrypted with
// config.DevDataKey.
func newReplayer(t *testing.T, wf any) worker.WorkflowReplayer {
	t.Helper()
	ring, err := codec.ParseKeyring(config.DevDataKey)
	if err != nil {
		t.Fatal(err)
	}
	dc := codec.DataConverter(ring)
	r, err := worker.NewWorkflowReplayerWithOptions(worker.WorkflowReplayerOptions{
		DataConverter: dc, FailureConverter: codec.FailureConverter(dc)})
	if err != nil {
		t.Fatal(err)
	}
	r.RegisterWorkflowWithOptions(wf, workflow.RegisterOptions{Name: contact.WorkflowName})
	return r
}

// Today's ContactWorkflow replays every recorded history without a
// non-determinism error: a change to the workflow's command sequence that
// would break running contacts fails here.
func TestReplayContactHistories(t *testing.T) {
	for _, f := range histories(t) {
		t.Run(filepath.Base(f), func(t *testing.T) {
			r := newReplayer(t, ContactWorkflow)
			if err := r.ReplayWorkflowHistoryFromJSONFile(log.NewStructuredLogger(discard()), f); err != nil {
				t.Fatalf("replay %s: %v", f, err)
			}
		})
	}
}

// The replay check is not vacuous: a workflow that issues different commands
// under the same name is rejected on every history.
func TestReplayDetectsChangedWorkflow(t *testing.T) {
	changed := func(ctx workflow.Context, p contact.Params) error {
		return workflow.Sleep(ctx, csatWindow)
	}
	for _, f := range histories(t) {
		r := newReplayer(t, changed)
		if err := r.ReplayWorkflowHistoryFromJSONFile(log.NewStructuredLogger(discard()), f); err == nil {
			t.Errorf("%s: a different workflow replayed without error", f)
		}
	}
}

// Some histories were recorded through a versioned branch so that replaying
// them checks that branch, not only the happy paths: contact_poison.json
// (the database refused message m2 for good) and contact_voice_discard.json
// (a voice note no engine can read is deleted).
func TestReplayHistoriesCoverVersionedBranches(t *testing.T) {
	for file, version := range map[string]string{
		"contact_poison.json":        versionPoisonTurn,
		"contact_voice_discard.json": versionDiscardAudio,
		"contact_routing.json":       versionRouting,
	} {
		if !recordsVersion(t, filepath.Join("testdata", file), version+"-1") {
			t.Errorf("%s records no %q version marker", file, version)
		}
	}
}

// recordsVersion reports whether the history upserted TemporalChangeVersion
// with version (the SDK does so when GetVersion first takes a new branch).
func recordsVersion(t *testing.T, file, version string) bool {
	t.Helper()
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var h struct {
		Events []struct {
			Upsert *struct {
				SearchAttributes struct {
					IndexedFields map[string]struct {
						Data []byte `json:"data"`
					} `json:"indexedFields"`
				} `json:"searchAttributes"`
			} `json:"upsertWorkflowSearchAttributesEventAttributes"`
		} `json:"events"`
	}
	if err := json.Unmarshal(raw, &h); err != nil {
		t.Fatal(err)
	}
	for _, e := range h.Events {
		if e.Upsert != nil && strings.Contains(string(e.Upsert.SearchAttributes.IndexedFields["TemporalChangeVersion"].Data), `"`+version+`"`) {
			return true
		}
	}
	return false
}
