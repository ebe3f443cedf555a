// Package speech owns turning a customer's voice note into a transcript.
//
// Engines sit behind one Transcriber interface and are chosen by
// configuration and by the language hint:
//
//   - HTTP: any OpenAI-compatible POST {base}/audio/transcriptions server
//     (OpenAI, whisper.cpp's whisper-server, faster-whisper servers).
//   - PocketSphinx: the offline English-only fallback (Debian packages
//     pocketsphinx and pocketsphinx-en-us), run through its CLI.
//   - Chain: picks the engines that can handle the language, falls through
//     on transient failures, and answers ErrNoEngine when none can, so the
//     workflow hands the contact to a human with that reason.
//
// Reader reads one voice note end to end: decode (speech/audio), acoustic
// arousal (speech/prosody) and a transcript from the engines, with
// ErrBadAudio for audio that can never be decoded. CheckNote vets a note at
// intake (the API's 413/422). The Transcribe activity uses Reader through
// activities.SpeechTranscriber, which maps these errors to its own: this
// package does not know the activities layer.
//
// Decoding lives in speech/audio, acoustic arousal in speech/prosody, and
// the managed whisper.cpp server in speech/whisper.
package speech
