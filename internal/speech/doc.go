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
// Decoding lives in speech/audio, acoustic arousal in speech/prosody, and
// the managed whisper.cpp server in speech/whisper.
package speech
