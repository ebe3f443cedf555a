// Package prosody owns the acoustic side of a customer's mood: from the PCM
// of a voice note it measures loudness, energy variability, pitch (F0) and
// speaking rate, and folds them into one Arousal score in [0, 1], so an
// angry voice note raises urgency even when its words are mild.
//
// Arousal is not valence: a shouted "thank you so much!" scores high too.
// The understanding package's text sentiment supplies the sign; this
// package supplies the intensity.
package prosody
