package nlu

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxRunes is the longest message the engine accepts.
const MaxRunes = 4000

// Validation errors; their messages never contain customer text.
var (
	ErrEmpty   = errors.New("text is empty")
	ErrTooLong = errors.New("text is longer than 4000 characters")
	ErrNotUTF8 = errors.New("text is not valid UTF-8")
	ErrBinary  = errors.New("text looks like binary data")
)

// binaryShare is the share of control characters above which text is
// treated as binary garbage rather than a message.
const binaryShare = 0.10

// Validate reports why text cannot be understood, or nil.
func Validate(text string) error {
	if !utf8.ValidString(text) {
		return ErrNotUTF8
	}
	if strings.TrimFunc(text, func(r rune) bool { return unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff' }) == "" {
		return ErrEmpty
	}
	n, ctrl := 0, 0
	for _, r := range text {
		n++
		if r == 0 {
			return ErrBinary
		}
		if unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' {
			ctrl++
		}
	}
	if n > MaxRunes {
		return ErrTooLong
	}
	if float64(ctrl) > binaryShare*float64(n) {
		return ErrBinary
	}
	return nil
}

// errorCode maps a Validate error to the classify error code.
func errorCode(err error) string {
	switch {
	case errors.Is(err, ErrEmpty):
		return "empty_text"
	case errors.Is(err, ErrTooLong):
		return "too_long"
	case errors.Is(err, ErrNotUTF8):
		return "not_utf8"
	case errors.Is(err, ErrBinary):
		return "binary"
	}
	return "malformed_json"
}
