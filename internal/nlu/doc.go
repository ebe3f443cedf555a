// Package nlu owns the offline understanding of one customer message: its
// language (yue / zh / en) and script, the Hong Kong slang it uses, its intent
// among the contract's 14 labels (with a calibrated confidence), sentiment,
// whether it must raise a negative signal, and the resulting priority.
//
// Everything runs in process with no network or LLM: the intent and
// negative-signal models are logistic regressions over character n-grams,
// English words and lexicon signals, trained deterministically at start from
// the labelled corpus embedded in corpus/. The learning loop retrains on
// that corpus plus agent corrections, keeping only corrections from
// customers who consented to training (TrainingExamples).
package nlu
