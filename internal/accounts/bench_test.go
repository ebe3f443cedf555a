package accounts

import (
	"sync"
	"testing"

	"golang.org/x/crypto/bcrypt"
)

// BenchmarkVerifyPassword compares a wrong password on an account with any
// password on an unknown login (the dummy hash): at the production cost
// both take the same bcrypt time, so a sign-in's timing does not tell
// whether a login exists.
func BenchmarkVerifyPassword(b *testing.B) {
	hashCost = bcrypt.DefaultCost
	defer func() { hashCost = bcrypt.MinCost }()
	dummyOnce, dummy = sync.Once{}, nil // the dummy hash at this cost
	h, _ := HashPassword("pw-mei-Secr3t!")
	b.Run("wrong-password", func(b *testing.B) {
		for b.Loop() {
			VerifyPassword(h, "not-her-password")
		}
	})
	b.Run("unknown-login", func(b *testing.B) {
		for b.Loop() {
			VerifyPassword("", "not-her-password")
		}
	})
}
