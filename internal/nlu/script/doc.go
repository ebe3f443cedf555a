// Package script owns the writing-system view of customer text: whether Han
// characters are Traditional (Hant) or Simplified (Hans), and folding text
// between the two so that Hong Kong and mainland spellings of the same words
// compare equal.
//
// Conversion is delegated to OpenCC (github.com/longbridgeapp/opencc). Phrase
// conversion goes through OpenCC directly; for the hot path (one call per
// customer message) the package precomputes per-character tables from the
// same OpenCC dictionaries once, because OpenCC's phrase matcher allocates per
// rune and is far too slow for 10,000 messages per second.
package script
