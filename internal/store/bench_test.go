package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/harbordesk/harbordesk/internal/pgtest"
	"github.com/harbordesk/harbordesk/internal/store"
)

func TestRecordBaselinePrunesOldRuns(t *testing.T) {
	st := pgtest.New(t)
	ctx := context.Background()
	t0 := time.Now().UTC().Truncate(time.Millisecond)
	old := t0.Add(-store.BaselineKeep - time.Minute)
	if err := st.RecordBaseline(ctx, "old", old, old.Add(time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	if _, _, ok, err := st.Baseline(ctx, "old"); err != nil || !ok {
		t.Fatalf("old run not recorded: %v %v", ok, err)
	}
	if err := st.RecordBaseline(ctx, "new", t0, t0.Add(5*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	if _, _, ok, err := st.Baseline(ctx, "old"); err != nil || ok {
		t.Errorf("run older than %v still there (ok=%v, err=%v)", store.BaselineKeep, ok, err)
	}
	recv, done, ok, err := st.Baseline(ctx, "new")
	if err != nil || !ok || done.Sub(recv) != 5*time.Millisecond {
		t.Errorf("new run: %v %v %v %v", recv, done, ok, err)
	}
}
