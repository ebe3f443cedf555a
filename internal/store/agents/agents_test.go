package agents_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/harbordesk/harbordesk/internal/pgtest"
	"github.com/harbordesk/harbordesk/internal/store"
	"github.com/harbordesk/harbordesk/internal/store/agents"
)

// testDB is one migrated database for the package; each test runs in its own
// transaction on it and rolls back, so tests share no rows.
var testDB pgtest.Package

func TestMain(m *testing.M) { testDB.Run(m) }

// tx returns a transaction on the package database, rolled back at the end.
func tx(t testing.TB) pgx.Tx { return testDB.Tx(t) }

// seed creates mei, li and ann.
func seed(t *testing.T, st *agents.Store) {
	t.Helper()
	for _, a := range []agents.NewAgent{
		{ID: "ag_mei", Login: "mei", Role: "agent", Languages: []string{"yue", "en"}, MaxOpen: 2, PasswordHash: "h"},
		{ID: "ag_li", Login: "li", Role: "agent", Languages: []string{"zh"}, MaxOpen: 2, PasswordHash: "h"},
		{ID: "ag_ann", Login: "ann", Role: "agent", Languages: []string{"yue"}, MaxOpen: 2, PasswordHash: "h"},
	} {
		if err := st.CreateAgent(context.Background(), a); err != nil {
			t.Fatal(err)
		}
	}
}

func TestAccountsAndSessions(t *testing.T) {
	ctx := context.Background()
	x := tx(t)
	st := agents.New(x)
	seed(t, st)
	// The unique violation aborts the transaction it happens in: run it in
	// a savepoint so the test's transaction goes on.
	sp, err := x.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := agents.New(sp).CreateAgent(ctx, agents.NewAgent{ID: "ag_x", Login: "mei", Role: "agent", Languages: []string{}, MaxOpen: 1}); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("duplicate login: %v, want ErrConflict", err)
	}
	_ = sp.Rollback(ctx)

	// Sessions: live, then revoked; expired ones never resolve.
	hash := []byte("0123456789abcdef0123456789abcdef")
	if err := st.CreateSession(ctx, "ag_mei", hash, "password", time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if p, err := st.SessionPrincipal(ctx, hash); err != nil || p.Login != "mei" || p.Role != "agent" {
		t.Fatalf("session principal %+v %v", p, err)
	}
	if err := st.RevokeSession(ctx, hash); err != nil {
		t.Fatal(err)
	}
	if _, err := st.SessionPrincipal(ctx, hash); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("revoked session: %v", err)
	}
	old := []byte("expired-expired-expired-expired!")
	_ = st.CreateSession(ctx, "ag_mei", old, "password", time.Now().Add(-time.Minute))
	if _, err := st.SessionPrincipal(ctx, old); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("expired session: %v", err)
	}
	live := []byte("live-live-live-live-live-live-li")
	_ = st.CreateSession(ctx, "ag_mei", live, "password", time.Now().Add(time.Hour))
	if n, err := st.PruneSessions(ctx, time.Now()); err != nil || n != 2 {
		t.Fatalf("pruned %d sessions (%v), want the revoked and the expired one", n, err)
	}
	if _, err := st.SessionPrincipal(ctx, live); err != nil {
		t.Fatalf("pruning removed a live session: %v", err)
	}

	// Presence, and the list by login.
	for _, id := range []string{"ag_mei", "ag_li", "ag_ann"} {
		if login, err := st.SetPresence(ctx, id, "online"); err != nil || login == "" {
			t.Fatalf("presence of %s: %q %v", id, login, err)
		}
	}
	if _, err := st.SetPresence(ctx, "ag_mei", "offline"); err != nil {
		t.Fatal(err)
	}
	list, err := st.Agents(ctx)
	if err != nil || len(list) != 3 || list[0].Login != "ann" || list[2].Login != "mei" {
		t.Fatalf("agents %v %v", list, err)
	}
	for _, a := range list {
		if want := map[string]string{"ann": "online", "li": "online", "mei": "offline"}[a.Login]; a.Presence != want || a.Open != 0 || a.SSOOnly {
			t.Errorf("%s: %+v", a.Login, a)
		}
	}

	// Deleting an account ends its sessions.
	if err := st.CreateSession(ctx, "ag_li", hash[:31], "sso", time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if login, err := st.DeleteAgent(ctx, "ag_li"); err != nil || login != "li" {
		t.Fatalf("delete: %q %v", login, err)
	}
	if _, err := st.SessionPrincipal(ctx, hash[:31]); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("session of a deleted account: %v", err)
	}
	if _, err := st.AgentByID(ctx, "ag_li"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("deleted account read: %v", err)
	}
}

func TestUpdateAgentRevokesSessions(t *testing.T) {
	ctx := context.Background()
	x := tx(t)
	st := agents.New(x)
	seed(t, st)
	hash := []byte("update-update-update-update-upda")
	if err := st.CreateSession(ctx, "ag_ann", hash, "password", time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	// A new name keeps the session (UpdateAgent's transaction is a
	// savepoint in the test's).
	name := "Ann Chan"
	if err := st.UpdateAgent(ctx, "ag_ann", agents.AgentPatch{Name: &name}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.SessionPrincipal(ctx, hash); err != nil {
		t.Fatalf("a new name revoked the session: %v", err)
	}
	role := "supervisor"
	if err := st.UpdateAgent(ctx, "ag_ann", agents.AgentPatch{Role: &role}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.SessionPrincipal(ctx, hash); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a new role kept the session: %v", err)
	}
	a, err := st.AgentByLogin(ctx, "ann")
	if err != nil || a.Name != name || a.Role != role || a.ID != "ag_ann" {
		t.Fatalf("after update: %+v %v", a, err)
	}
	if id, h, err := st.PasswordHash(ctx, "ann"); err != nil || id != "ag_ann" || h != "h" {
		t.Fatalf("password hash: %q %q %v", id, h, err)
	}
	if err := st.UpdateAgent(ctx, "ag_nobody", agents.AgentPatch{Name: &name}); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("update of an unknown account: %v", err)
	}
}
