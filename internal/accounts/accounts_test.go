package accounts

import (
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"
)

func init() { hashCost = bcrypt.MinCost }

func TestPasswords(t *testing.T) {
	h, err := HashPassword("pw-mei-Secr3t!")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(h, "Secr3t") || !strings.HasPrefix(h, "$2") {
		t.Fatalf("hash %q is not a bcrypt hash", h)
	}
	if !VerifyPassword(h, "pw-mei-Secr3t!") {
		t.Error("right password refused")
	}
	if VerifyPassword(h, "pw-mei-Secr3t?") {
		t.Error("wrong password accepted")
	}
	if VerifyPassword("", "") || VerifyPassword("", "anything") {
		t.Error("no hash (unknown login, SSO-only) accepted a password")
	}
	if CheckPassword("short") == nil || CheckPassword(strings.Repeat("x", 73)) == nil || CheckPassword("long enough") != nil {
		t.Error("password length rules")
	}
}

func TestTokens(t *testing.T) {
	a, ha, err := NewToken()
	if err != nil {
		t.Fatal(err)
	}
	b, _, _ := NewToken()
	if a == b || !IsToken(a) || !IsToken(b) {
		t.Fatalf("tokens %q %q", a, b)
	}
	if string(HashToken(a)) != string(ha) || string(HashToken(b)) == string(ha) {
		t.Error("stored hash does not identify the token")
	}
	for _, s := range []string{"", "hds_", "check-admin-key", a + "x", strings.TrimPrefix(a, TokenPrefix)} {
		if IsToken(s) {
			t.Errorf("IsToken(%q)", s)
		}
	}
}

func TestAccountRules(t *testing.T) {
	if NormalizeLogin("  Mei@Example.COM ") != "mei@example.com" {
		t.Error("normalise")
	}
	for _, ok := range []string{"mei", "mei-abc123", "mei@example.com", "a.b_c+d"} {
		if CheckLogin(ok) != nil {
			t.Errorf("login %q refused", ok)
		}
	}
	for _, bad := range []string{"m", "mei lee", "梅", "mei/../x", strings.Repeat("a", 121)} {
		if CheckLogin(bad) == nil {
			t.Errorf("login %q accepted", bad)
		}
	}
	if l, err := CheckLanguages([]string{"yue", "EN", "yue"}); err != nil || len(l) != 2 || l[1] != "en" {
		t.Errorf("languages %v %v", l, err)
	}
	if _, err := CheckLanguages([]string{"fr"}); err == nil {
		t.Error("fr accepted")
	}
	if CheckMaxOpen(0) == nil || CheckMaxOpen(101) == nil || CheckMaxOpen(5) != nil {
		t.Error("max_open rules")
	}
	if !ValidRole("supervisor") || ValidRole("intake") || ValidRole("public") {
		t.Error("roles")
	}
}
