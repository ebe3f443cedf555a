// Package pii owns personal-data detection and masking under Hong Kong's
// Personal Data (Privacy) Ordinance: it finds HKID numbers, phone numbers,
// e-mail addresses, payment card numbers, postal addresses and passport
// numbers in customer text and replaces them with typed placeholders such as
// [HKID] or [PHONE].
//
// Detection favours precision on the things customers write next to personal
// data: order numbers (HK20461, 88123, #A-20931), prices ($1299, HK$88.50),
// dates, times, tracking numbers (SF1234567890123) and quantities are left
// alone. Checksums (HKID check digit, Luhn) and github.com/nyaruka/phonenumbers
// decide unlabelled candidates; a label in front ("身份證", "HKID", "passport",
// "電話") lowers the bar, because customers mistype.
//
// The detectors are hand-rolled regular expressions plus checksums: no Go
// library knows HKID check digits or Hong Kong address shapes, and
// phonenumbers' own matcher is incomplete in the Go port, so it is used only to
// validate candidates.
//
// NewSlogHandler masks every log record as defence in depth: callers should
// still log masked text, but a raw value that slips into a log line is masked
// on the way out.
package pii
