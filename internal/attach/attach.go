// Package attach is what customers send besides words: photos of damaged
// goods, receipts, PDFs. It decides what is accepted (sniffed by content,
// never by the sender's word: JPEG, PNG, WebP, PDF up to 10 MiB), names the
// object store the sealed bytes live in, and signs the short-lived links
// agents open them with. It holds no storage and no HTTP.
package attach

import (
	"bytes"
	"context"
	"errors"
	"net/http"
)

// MaxBytes is the largest attachment accepted (10 MiB).
const MaxBytes = 10 << 20

// Accepted types.
const (
	JPEG = "image/jpeg"
	PNG  = "image/png"
	WebP = "image/webp"
	PDF  = "application/pdf"
)

// Errors Sniff returns.
var (
	ErrEmpty       = errors.New("attach: empty file")
	ErrTooLarge    = errors.New("attach: file is over 10 MiB")
	ErrUnsupported = errors.New("attach: not a JPEG, PNG, WebP or PDF file")
)

// magic is each accepted type's leading bytes (WebP: "RIFF" size "WEBP").
var magic = []struct {
	mime   string
	prefix []byte
	at     int
}{
	{JPEG, []byte{0xFF, 0xD8, 0xFF}, 0},
	{PNG, []byte("\x89PNG\r\n\x1a\n"), 0},
	{WebP, []byte("WEBP"), 8},
	{PDF, []byte("%PDF-"), 0},
}

// Sniff returns the type of data, decided by its content: Go's
// http.DetectContentType (the WHATWG sniffing algorithm) must name one of
// the accepted types and the file must start with that type's magic bytes.
// A declared type is never trusted.
func Sniff(data []byte) (string, error) {
	switch {
	case len(data) == 0:
		return "", ErrEmpty
	case len(data) > MaxBytes:
		return "", ErrTooLarge
	}
	detected := http.DetectContentType(data)
	for _, m := range magic {
		if detected != m.mime {
			continue
		}
		if len(data) >= m.at+len(m.prefix) && bytes.Equal(data[m.at:m.at+len(m.prefix)], m.prefix) {
			if m.mime == WebP && !bytes.HasPrefix(data, []byte("RIFF")) {
				return "", ErrUnsupported
			}
			return m.mime, nil
		}
	}
	return "", ErrUnsupported
}

// Kind is the customer-facing word for a type: "image" or "document".
func Kind(mime string) string {
	if mime == PDF {
		return "document"
	}
	return "image"
}

// ObjectStore keeps sealed attachment bytes by key. PostgreSQL (bytea) is
// the built-in one; an S3-compatible store can stand in without changing
// callers. Get of a missing key returns ErrNoObject.
type ObjectStore interface {
	Put(ctx context.Context, key string, data []byte) error
	Get(ctx context.Context, key string) ([]byte, error)
	Delete(ctx context.Context, key string) error
}

// ErrNoObject: the object store has no such key.
var ErrNoObject = errors.New("attach: no such object")
