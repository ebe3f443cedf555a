package api

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

type queueAnswer struct {
	Items []struct {
		ID    string `json:"id"`
		State string `json:"state"`
		Agent string `json:"agent"`
	} `json:"items"`
	Version string `json:"version"`
}

func (e *chatEnv) queue(t *testing.T, path string) (int, queueAnswer) {
	t.Helper()
	res := e.get(context.Background(), path, "agent-key")
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	var q queueAnswer
	if res.StatusCode == http.StatusOK {
		if err := json.Unmarshal(b, &q); err != nil {
			t.Fatalf("%s: %v", b, err)
		}
	}
	return res.StatusCode, q
}

// The queue long-poll answers at once for a caller without the current
// version, waits for a change otherwise, and wakes when a handoff changes
// in the database (the schema's trigger, whoever writes).
func TestHandoffQueueWatch(t *testing.T) {
	e := newChatEnv(t, time.Second)
	ctx := context.Background()
	cid := params("web", convA, "").ContactID
	if _, err := e.st.Pool.Exec(ctx, `INSERT INTO handoffs (id, contact_id, priority, language) VALUES ('h-watch', $1, 'P1', 'yue')`, cid); err != nil {
		t.Fatal(err)
	}
	code, q := e.queue(t, "/v1/handoffs?state=open")
	if code != 200 || len(q.Items) != 1 || q.Version == "" {
		t.Fatalf("open queue = %d %+v", code, q)
	}

	// Same version, nothing happens: the wait runs out and the same list comes back.
	start := time.Now()
	code, again := e.queue(t, "/v1/handoffs?state=open&wait=300ms&version="+q.Version)
	if code != 200 || again.Version != q.Version || time.Since(start) < 250*time.Millisecond {
		t.Fatalf("unchanged wait = %d %+v after %s", code, again, time.Since(start))
	}

	_, empty := e.queue(t, "/v1/handoffs?mine=1")
	if len(empty.Items) != 0 {
		t.Fatalf("mine before assignment = %+v", empty)
	}
	// An assignment committed while the caller waits wakes it with the new list.
	go func() {
		time.Sleep(200 * time.Millisecond)
		if _, err := e.st.Pool.Exec(ctx, `UPDATE handoffs SET state='assigned', agent='agent-ken', assigned_at=now() WHERE id='h-watch'`); err != nil {
			t.Error(err)
		}
	}()
	start = time.Now()
	code, mine := e.queue(t, "/v1/handoffs?mine=1&wait=20s&version="+empty.Version)
	if code != 200 || time.Since(start) > 10*time.Second {
		t.Fatalf("mine wait = %d after %s", code, time.Since(start))
	}
	if len(mine.Items) != 1 || mine.Items[0].State != "assigned" || mine.Items[0].Agent != "agent-ken" || mine.Version == empty.Version {
		t.Fatalf("mine after assignment = %+v", mine)
	}
	// Someone else's handoff is not in mine.
	if _, err := e.st.Pool.Exec(ctx, `UPDATE handoffs SET agent='agent-other' WHERE id='h-watch'`); err != nil {
		t.Fatal(err)
	}
	if _, other := e.queue(t, "/v1/handoffs?mine=1"); len(other.Items) != 0 {
		t.Fatalf("mine lists another agent's handoff: %+v", other)
	}

	for _, bad := range []string{"?mine=yes", "?wait=forever", "?wait=31s", "?state=lost", "?version=" + strings.Repeat("a", 65)} {
		if code, _ := e.queue(t, "/v1/handoffs"+bad); code != http.StatusUnprocessableEntity {
			t.Errorf("GET /v1/handoffs%s = %d, want 422", bad, code)
		}
	}
}
