// Package kb owns the customer-service knowledge base: articles with one
// version per locale (yue-Hant, zh-Hant, zh-Hans, en), the default KB of the
// sample retailer "Harbour Home & Tech", and retrieval — BM25 over Han
// character bigrams/unigrams and English word tokens, with the classifier's
// intent as a prior and topic synonyms — that turns a customer question into
// an answer in the customer's own language and script, or reports that no
// confident answer exists so the contact can be handed to a person.
//
// The package is pure: no database, no clock (callers pass now), no I/O
// beyond the embedded default articles.
//
//go:generate go run ./internal/hansgen
package kb
