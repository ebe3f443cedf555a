// Package lexicon owns the Hong Kong customer-service slang lexicon: a
// versioned list of colloquial Cantonese, Mandarin and code-mixed terms with
// their English meaning, a standard written Chinese replacement, and the
// signals (urge, damaged, threat, stalling …) they carry.
//
// A default lexicon is embedded (default.yaml); operators replace it with a
// newer version as data (Parse), so quarterly slang refreshes need no deploy.
// Terms match in both Traditional and Simplified script.
package lexicon
