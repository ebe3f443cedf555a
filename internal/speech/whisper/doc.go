// Package whisper owns the managed whisper.cpp server: when the operator
// provides a ggml model (HARBORDESK_WHISPER_MODEL), a Supervisor runs
// whisper-server (built by scripts/whisper/build.sh) on a loopback port,
// health-checks it, restarts it with backoff when it crashes or hangs, and
// stops it with the context. The HTTP engine of package speech talks to it
// at BaseURL(), exactly as to any OpenAI-compatible server.
package whisper
