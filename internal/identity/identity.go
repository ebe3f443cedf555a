// Package identity verifies a customer ID that a shop's own server vouches
// for (identity verification in the manner of Intercom and Chatwoot): the
// shop computes customer_hash = lowercase hex HMAC-SHA256(customer_id) under
// HARBORDESK_IDENTITY_SECRET and hands both to its web page; Harbordesk
// accepts the customer ID as verified only when the hash matches.
package identity

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
)

// Hash is the customer_hash of customerID under secret.
func Hash(secret []byte, customerID string) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(customerID))
	return hex.EncodeToString(m.Sum(nil))
}

// Verify reports whether hash is customerID's customer_hash under secret,
// in constant time. An empty secret verifies nothing.
func Verify(secret []byte, customerID, hash string) bool {
	if len(secret) == 0 || len(hash) != sha256.Size*2 {
		return false
	}
	got, err := hex.DecodeString(hash)
	if err != nil {
		return false
	}
	want, _ := hex.DecodeString(Hash(secret, customerID))
	return hmac.Equal(got, want)
}
