package api

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestAccountsAndSignIn(t *testing.T) {
	ts, st := contentServer(t)
	login := func(l, pw string) (int, string, []byte) {
		t.Helper()
		code, b, _ := call{"POST", "/v1/auth/login", "", "", `{"login":"` + l + `","password":"` + pw + `"}`}.do(t, ts)
		var out struct{ Token string }
		_ = json.Unmarshal(b, &out)
		return code, out.Token, b
	}
	mei := `{"login":"Mei","name":"Mei","password":"pw-mei-Secr3t!","role":"agent","languages":["yue","en"],"max_open":3}`
	steps := []struct {
		name string
		call
		status  int
		contain string
	}{
		{"agent key may not create", call{"POST", "/v1/agents", "agent-key", "", mei}, 403, "needs admin"},
		{"no key", call{"POST", "/v1/agents", "", "", mei}, 401, "missing"},
		{"create", call{"POST", "/v1/agents", "admin-key", "", mei}, 201, `"id":"ag_`},
		{"login taken (case folded)", call{"POST", "/v1/agents", "admin-key", "", strings.Replace(mei, "Mei", "MEI", 1)}, 409, "taken"},
		{"bad role", call{"POST", "/v1/agents", "admin-key", "", `{"login":"x1","password":"longenough","role":"root"}`}, 422, "role"},
		{"bad language", call{"POST", "/v1/agents", "admin-key", "", `{"login":"x1","password":"longenough","languages":["fr"]}`}, 422, "languages"},
		{"short password", call{"POST", "/v1/agents", "admin-key", "", `{"login":"x1","password":"short"}`}, 422, "password"},
		{"bad login", call{"POST", "/v1/agents", "admin-key", "", `{"login":"a b","password":"longenough"}`}, 422, "login"},
		{"bad max_open", call{"POST", "/v1/agents", "admin-key", "", `{"login":"x1","password":"longenough","max_open":0}`}, 422, "max_open"},
		{"wrong type", call{"POST", "/v1/agents", "admin-key", "", `{"login":7}`}, 422, "wrong type"},
		{"supervisor list needs supervisor", call{"GET", "/v1/agents", "agent-key", "", ""}, 403, "needs supervisor"},
		{"list", call{"GET", "/v1/agents", "admin-key", "", ""}, 200, `"login":"mei"`},
		{"login body missing", call{"POST", "/v1/auth/login", "", "", `{"login":"mei"}`}, 422, "required"},
	}
	for _, s := range steps {
		code, b, _ := s.call.do(t, ts)
		if code != s.status || !strings.Contains(string(b), s.contain) {
			t.Errorf("%s: %d %s; want %d containing %q", s.name, code, b, s.status, s.contain)
		}
	}

	// Wrong password and unknown login: the same answer.
	c1, _, wrongPw := login("mei", "not-her-password")
	c2, _, unknown := login("nobody", "not-her-password")
	if c1 != 401 || c2 != 401 || string(wrongPw) != string(unknown) {
		t.Errorf("wrong password %d %s, unknown login %d %s: want the same 401", c1, wrongPw, c2, unknown)
	}
	code, tok, b := login(" MEI ", "pw-mei-Secr3t!")
	if code != 200 || !strings.HasPrefix(tok, "hds_") || !strings.Contains(string(b), `"expires_at"`) {
		t.Fatalf("login: %d %s", code, b)
	}
	var hashes int
	if err := st.Pool.QueryRow(t.Context(), `SELECT count(*) FROM agent_sessions WHERE token_hash = sha256($1::bytea)`, []byte(tok)).Scan(&hashes); err != nil || hashes != 1 {
		t.Errorf("stored session by hash: %d %v", hashes, err)
	}
	var raw int
	_ = st.Pool.QueryRow(t.Context(), `SELECT count(*) FROM agent_sessions WHERE encode(token_hash, 'escape') LIKE '%hds_%'`).Scan(&raw)
	if raw != 0 {
		t.Error("a raw token is stored")
	}
	var audits int
	_ = st.Pool.QueryRow(t.Context(), `SELECT count(*) FROM audit_log WHERE action = 'sign_in' AND actor = 'mei'`).Scan(&audits)
	var failed int
	_ = st.Pool.QueryRow(t.Context(), `SELECT count(*) FROM audit_log WHERE action = 'sign_in_failed'`).Scan(&failed)
	if audits != 1 || failed != 2 {
		t.Errorf("audit: %d sign-ins, %d failures; want 1 and 2", audits, failed)
	}
	var nobody int
	_ = st.Pool.QueryRow(t.Context(), `SELECT count(*) FROM audit_log WHERE actor = 'nobody' OR detail::text LIKE '%nobody%'`).Scan(&nobody)
	if nobody != 0 {
		t.Error("an unknown login (perhaps a mistyped password) was written to the audit log")
	}

	withToken := []struct {
		name string
		call
		status  int
		contain string
	}{
		{"me", call{"GET", "/v1/agents/me", tok, "", ""}, 200, `"login":"mei"`},
		{"an agent's token is not a supervisor", call{"GET", "/v1/agents", tok, "", ""}, 403, "needs supervisor"},
		{"presence", call{"PUT", "/v1/agents/me/presence", tok, "", `{"status":"online"}`}, 200, `"online"`},
		{"bad presence", call{"PUT", "/v1/agents/me/presence", tok, "", `{"status":"busy"}`}, 422, "online, away or offline"},
		{"an API key has no presence", call{"PUT", "/v1/agents/me/presence", "agent-key", "", `{"status":"online"}`}, 403, "needs_account"},
		{"an API key cannot sign out", call{"POST", "/v1/auth/logout", "agent-key", "", ""}, 422, "API key"},
		{"forged token", call{"GET", "/v1/agents/me", "hds_" + strings.Repeat("A", 43), "", ""}, 401, "unauthorized"},
	}
	for _, s := range withToken {
		code, b, _ := s.call.do(t, ts)
		if code != s.status || !strings.Contains(string(b), s.contain) {
			t.Errorf("%s: %d %s; want %d containing %q", s.name, code, b, s.status, s.contain)
		}
	}
	if code, b, _ := (call{"GET", "/v1/agents", "admin-key", "", ""}).do(t, ts); code != 200 || !strings.Contains(string(b), `"presence":"online"`) || !strings.Contains(string(b), `"open":0`) {
		t.Errorf("list with presence and load: %d %s", code, b)
	}

	// Logout revokes the token.
	if code, _, _ := (call{"POST", "/v1/auth/logout", tok, "", ""}).do(t, ts); code != 200 {
		t.Fatalf("logout: %d", code)
	}
	if code, _, _ := (call{"GET", "/v1/agents/me", tok, "", ""}).do(t, ts); code != 401 {
		t.Errorf("revoked token: %d, want 401", code)
	}

	// A new password signs the person out everywhere.
	_, tok2, _ := login("mei", "pw-mei-Secr3t!")
	var id string
	_ = st.Pool.QueryRow(t.Context(), `SELECT id FROM agents WHERE login = 'mei'`).Scan(&id)
	if code, b, _ := (call{"PATCH", "/v1/agents/" + id, "admin-key", "", `{"password":"a-new-Secr3t!"}`}).do(t, ts); code != 200 || strings.Contains(string(b), "Secr3t") {
		t.Fatalf("patch: %d %s", code, b)
	}
	if code, _, _ := (call{"GET", "/v1/agents/me", tok2, "", ""}).do(t, ts); code != 401 {
		t.Errorf("token after a password change: %d, want 401", code)
	}
	if code, _, _ := login("mei", "a-new-Secr3t!"); code != 200 {
		t.Errorf("login with the new password: %d", code)
	}
	if code, _, _ := (call{"PATCH", "/v1/agents/" + id, "admin-key", "", `{"login":"other"}`}).do(t, ts); code != 422 {
		t.Errorf("login change: %d, want 422", code)
	}
	if code, _, _ := (call{"PATCH", "/v1/agents/ag_nope", "admin-key", "", `{"name":"x"}`}).do(t, ts); code != 404 {
		t.Errorf("patch unknown: %d, want 404", code)
	}
	// Deleting the account: no more sign-in.
	if code, _, _ := (call{"DELETE", "/v1/agents/" + id, "admin-key", "", ""}).do(t, ts); code != 204 {
		t.Errorf("delete: %d", code)
	}
	if code, _, _ := (call{"DELETE", "/v1/agents/" + id, "admin-key", "", ""}).do(t, ts); code != 404 {
		t.Errorf("delete again: %d, want 404", code)
	}
	if code, _, _ := login("mei", "a-new-Secr3t!"); code != 401 {
		t.Errorf("login of a deleted account: %d", code)
	}
}

// Guessing one account's password is held back after a burst, with the
// same limit whatever the password.
func TestLoginRateLimited(t *testing.T) {
	ts, _ := contentServer(t)
	got429 := false
	for i := 0; i < loginLoginBurst+2; i++ {
		code, b, h := call{"POST", "/v1/auth/login", "", "", `{"login":"target","password":"guess-` + string(rune('a'+i)) + `"}`}.do(t, ts)
		if code == 429 {
			got429 = h.Get("Retry-After") != "" && strings.Contains(string(b), "rate_limited")
			break
		}
		if code != 401 {
			t.Fatalf("attempt %d: %d %s", i, code, b)
		}
	}
	if !got429 {
		t.Error("no 429 with Retry-After after a burst of sign-in attempts")
	}
}
