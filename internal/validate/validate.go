// Package validate is the one place that decides what text and identifiers
// Harbordesk accepts at its edges (API routes and channel webhooks):
// nothing that cannot be stored or shown safely — invalid UTF-8, NUL and
// other control characters — and identifiers from a strict character set.
// Functions return a message naming the field ("" when the value is fine),
// so handlers answer 422 with it; the messages never echo the value.
package validate

import (
	"reflect"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits on customer input (CONTRACT.md "Trust boundaries").
const (
	MaxTextRunes = 4000
	MaxIDLen     = 200
)

// CutMark ends a text that a webhook truncated to MaxTextRunes.
const CutMark = " […]"

// Clean reports whether s is valid UTF-8 without control characters other
// than newline and tab (C0, DEL and C1 are refused; so is a carriage
// return, which only rewrites what a log or terminal shows).
func Clean(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) && r != '\n' && r != '\t' {
			return false
		}
	}
	return true
}

// lenient is Clean that also lets a carriage return through: for free text
// in documents (knowledge-base articles, notes) written on Windows.
func lenient(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) && r != '\n' && r != '\t' && r != '\r' {
			return false
		}
	}
	return true
}

// Text checks a customer message: clean, not blank, at most MaxTextRunes
// characters.
func Text(field, s string) string {
	switch {
	case !Clean(s):
		return field + " contains control characters or invalid UTF-8"
	case strings.TrimSpace(s) == "":
		return field + " is required"
	case utf8.RuneCountInString(s) > MaxTextRunes:
		return field + " is over 4000 characters"
	}
	return ""
}

// idByte is the identifier alphabet: ASCII letters and digits and . _ : @ + = -
// (enough for e-mail-like customer IDs and base64 message IDs; no spaces,
// slashes, quotes or anything a URL, a log line or SQL would treat
// specially).
func idByte(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	}
	return strings.IndexByte("._:@+=-", c) >= 0
}

// ValidID reports whether s is a well-formed identifier: 1 to MaxIDLen
// characters from the identifier alphabet.
func ValidID(s string) bool {
	if s == "" || len(s) > MaxIDLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !idByte(s[i]) {
			return false
		}
	}
	return true
}

// ID checks a required identifier field.
func ID(field, s string) string {
	switch {
	case s == "":
		return field + " is required"
	case len(s) > MaxIDLen:
		return field + " is too long"
	case !ValidID(s):
		return field + " may only contain A-Z, a-z, 0-9 and . _ : @ + = -"
	}
	return ""
}

// Truncate keeps the first max characters of s and reports whether it cut;
// a cut text ends with CutMark.
func Truncate(s string, max int) (string, bool) {
	if utf8.RuneCountInString(s) <= max {
		return s, false
	}
	n := 0
	for i := range s {
		if n == max {
			return s[:i] + CutMark, true
		}
		n++
	}
	return s, false
}

// Strings walks a decoded request (structs, pointers, slices, maps) and
// returns the JSON name of the first string that is not clean free text
// ("" if all are), so one check at decoding covers every field of every
// route. Carriage returns pass here; fields with stricter rules (customer
// text, IDs) are checked again by Text and ID.
func Strings(v any) string {
	return walk(reflect.ValueOf(v), "")
}

func walk(v reflect.Value, name string) string {
	switch v.Kind() {
	case reflect.String:
		if !lenient(v.String()) {
			return orBody(name)
		}
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			return walk(v.Elem(), name)
		}
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			if bad := walk(v.Field(i), jsonName(f)); bad != "" {
				return bad
			}
		}
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return "" // []byte: binary by design
		}
		for i := 0; i < v.Len(); i++ {
			if bad := walk(v.Index(i), name); bad != "" {
				return bad
			}
		}
	case reflect.Map:
		it := v.MapRange()
		for it.Next() {
			if k := it.Key(); k.Kind() == reflect.String && !lenient(k.String()) {
				return orBody(name)
			}
			if bad := walk(it.Value(), name); bad != "" {
				return bad
			}
		}
	}
	return ""
}

func jsonName(f reflect.StructField) string {
	tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	if tag != "" && tag != "-" {
		return tag
	}
	return f.Name
}

func orBody(name string) string {
	if name == "" {
		return "body"
	}
	return name
}
