package store

import (
	"crypto/rand"
	"encoding/hex"
)

// newID returns prefix and 20 random hex digits: the IDs of rows the stores
// create (attachments, macros).
func newID(prefix string) string {
	var b [10]byte
	_, _ = rand.Read(b[:])
	return prefix + hex.EncodeToString(b[:])
}

// NewID is newID for the per-aggregate stores (internal/store/workspace's
// macros).
func NewID(prefix string) string { return newID(prefix) }
