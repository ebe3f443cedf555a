// Package accounts holds the rules for the people who sign in to Harbordesk:
// roles, logins, languages and capacity of an account, password hashing
// (bcrypt, golang.org/x/crypto) and session tokens (random, prefixed, stored
// only as a SHA-256 hash). It does no I/O.
package accounts

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"
)

// Roles an account may have (the API keys' roles without intake).
const (
	RoleAgent      = "agent"
	RoleSupervisor = "supervisor"
	RoleAdmin      = "admin"
)

// Presence states.
const (
	Online  = "online"
	Away    = "away"
	Offline = "offline"
)

// Languages agents can be routed by (the codes the understanding step reads).
var Languages = []string{"yue", "zh", "en"}

// ValidRole reports whether r is an account role.
func ValidRole(r string) bool { return r == RoleAgent || r == RoleSupervisor || r == RoleAdmin }

// ValidPresence reports whether p is a presence state.
func ValidPresence(p string) bool { return p == Online || p == Away || p == Offline }

// ValidLanguage reports whether l is a routable language.
func ValidLanguage(l string) bool {
	for _, x := range Languages {
		if x == l {
			return true
		}
	}
	return false
}

// NormalizeLogin is the login as stored and compared: trimmed, lower case.
func NormalizeLogin(login string) string { return strings.ToLower(strings.TrimSpace(login)) }

// ErrInvalid is a field that breaks a rule; its message names the rule.
var ErrInvalid = errors.New("invalid")

func invalid(msg string) error { return errors.Join(ErrInvalid, errors.New(msg)) }

// CheckLogin validates a normalised login: 2–120 characters of letters,
// digits and . _ @ + - (an e-mail address fits, so SSO users map to it).
func CheckLogin(login string) error {
	if n := utf8.RuneCountInString(login); n < 2 || n > 120 {
		return invalid("login must be 2 to 120 characters")
	}
	for _, r := range login {
		ok := r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || strings.ContainsRune("._@+-", r)
		if !ok {
			return invalid("login may hold only letters, digits and . _ @ + -")
		}
	}
	return nil
}

// MinPassword and MaxPassword bound a password (bcrypt reads 72 bytes).
const (
	MinPassword = 8
	MaxPassword = 72
)

// CheckPassword validates a new password's length.
func CheckPassword(pw string) error {
	if n := utf8.RuneCountInString(pw); n < MinPassword || len(pw) > MaxPassword {
		return invalid("password must be at least 8 characters and at most 72 bytes")
	}
	return nil
}

// CheckLanguages validates and de-duplicates an agent's languages.
func CheckLanguages(langs []string) ([]string, error) {
	out := make([]string, 0, len(langs))
	seen := map[string]bool{}
	for _, l := range langs {
		l = strings.ToLower(strings.TrimSpace(l))
		if !ValidLanguage(l) {
			return nil, invalid("languages may hold only yue, zh and en")
		}
		if !seen[l] {
			seen[l] = true
			out = append(out, l)
		}
	}
	return out, nil
}

// MaxOpenLimit is the most handoffs one person may hold at once.
const MaxOpenLimit = 100

// CheckMaxOpen validates an agent's capacity.
func CheckMaxOpen(n int) error {
	if n < 1 || n > MaxOpenLimit {
		return invalid("max_open must be 1 to 100")
	}
	return nil
}

// hashCost is bcrypt's work factor; tests lower it.
var hashCost = bcrypt.DefaultCost

// HashPassword hashes a password for storage.
func HashPassword(pw string) (string, error) {
	b, err := bcrypt.GenerateFromPassword([]byte(pw), hashCost)
	return string(b), err
}

var (
	dummyOnce sync.Once
	dummy     []byte
)

// dummyHash is a hash of a random password, compared against when a login
// is unknown (or has no password) so that case costs as long as a wrong
// password.
func dummyHash() []byte {
	dummyOnce.Do(func() {
		var b [18]byte
		_, _ = rand.Read(b[:])
		dummy, _ = bcrypt.GenerateFromPassword([]byte(base64.RawStdEncoding.EncodeToString(b[:])), hashCost)
	})
	return dummy
}

// VerifyPassword reports whether pw matches hash. An empty hash (unknown
// login, SSO-only account) is compared against a dummy hash and never
// matches, so every failure takes the same time.
func VerifyPassword(hash, pw string) bool {
	if hash == "" {
		_ = bcrypt.CompareHashAndPassword(dummyHash(), []byte(pw))
		return false
	}
	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(pw)) == nil
}

// TokenPrefix marks a session token, so the API can tell it from an
// integration's API key without a database read.
const TokenPrefix = "hds_"

// NewToken makes a session token and the hash to store for it.
func NewToken() (token string, hash []byte, err error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", nil, err
	}
	token = TokenPrefix + base64.RawURLEncoding.EncodeToString(b[:])
	return token, HashToken(token), nil
}

// HashToken is the stored form of a token.
func HashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// IsToken reports whether s has the shape of a session token.
func IsToken(s string) bool {
	return strings.HasPrefix(s, TokenPrefix) && len(s) == len(TokenPrefix)+43
}

// NewID names a new account.
func NewID() string {
	var b [10]byte
	_, _ = rand.Read(b[:])
	return "ag_" + strings.ToLower(base64.RawURLEncoding.EncodeToString(b[:]))
}
