package audio

import (
	"errors"
	"net/http"
)

// Typed intake errors. They carry no audio content and no personal data, so
// they may be logged and shown to agents as the reason for a handoff.
var (
	// ErrTooLarge: the upload is over Limits.MaxBytes (HTTP 413).
	ErrTooLarge = errors.New("audio: voice note too large")
	// ErrTooLong: the decoded audio is over Limits.MaxDuration (HTTP 422).
	ErrTooLong = errors.New("audio: voice note too long")
	// ErrCorrupt: the bytes claim a format but cannot be decoded (HTTP 422).
	ErrCorrupt = errors.New("audio: voice note is corrupt")
	// ErrEmpty: no bytes, no samples, or digital silence only (HTTP 422).
	ErrEmpty = errors.New("audio: voice note is empty")
	// ErrUnsupportedFormat: the container is unknown, or needs ffmpeg and
	// ffmpeg is not installed (HTTP 422).
	ErrUnsupportedFormat = errors.New("audio: unsupported audio format")
)

// HTTPStatus maps an intake error to the status the API answers with:
// 413 for ErrTooLarge, 422 for the other audio errors, 0 when err is not an
// audio intake error (the caller decides).
func HTTPStatus(err error) int {
	switch {
	case err == nil:
		return 0
	case errors.Is(err, ErrTooLarge):
		return http.StatusRequestEntityTooLarge
	case errors.Is(err, ErrTooLong), errors.Is(err, ErrCorrupt),
		errors.Is(err, ErrEmpty), errors.Is(err, ErrUnsupportedFormat):
		return http.StatusUnprocessableEntity
	}
	return 0
}
