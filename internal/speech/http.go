package speech

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strconv"
	"strings"
	"time"
)

// HTTP transcribes through an OpenAI-compatible server:
// POST {base}/audio/transcriptions, multipart form with file, model,
// language (optional) and response_format. base is given the way OpenAI
// clients take it, e.g. "https://api.openai.com/v1" or
// "http://127.0.0.1:9000/v1".
//
// The file sent is always the clip re-encoded as 16 kHz mono 16-bit WAV:
// every such server reads it (whisper.cpp's server reads nothing else
// unless built with ffmpeg), and it is at most ~9.6 MB for 5 minutes.
type HTTP struct {
	endpoint  string
	model     string
	apiKey    string
	name      string
	client    *http.Client
	timeout   time.Duration
	attempts  int
	backoff   time.Duration
	format    string
	languages map[string]string
}

// HTTPOption configures an HTTP engine.
type HTTPOption func(*HTTP)

// WithHTTPClient sets the client (default: a plain http.Client; the
// per-attempt timeout is applied through the request context).
func WithHTTPClient(c *http.Client) HTTPOption { return func(h *HTTP) { h.client = c } }

// WithTimeout bounds each attempt (default 60 s).
func WithTimeout(d time.Duration) HTTPOption { return func(h *HTTP) { h.timeout = d } }

// WithRetries sets how many attempts a retryable failure (timeout,
// connection error, 5xx, 429) gets in-process, and the first backoff, doubled
// each time (default 2 attempts, 500 ms). The Temporal activity retries
// again on top of this.
func WithRetries(attempts int, backoff time.Duration) HTTPOption {
	return func(h *HTTP) { h.attempts, h.backoff = max(attempts, 1), backoff }
}

// WithResponseFormat picks "json" (default) or "verbose_json" (adds the
// detected language and duration).
func WithResponseFormat(f string) HTTPOption { return func(h *HTTP) { h.format = f } }

// WithLanguageMap rewrites the desk's language codes into what the server
// accepts, e.g. {"yue": "zh"} for a server whose model lacks a Cantonese
// token. A code mapped to "" is sent without a language (auto-detect).
func WithLanguageMap(m map[string]string) HTTPOption { return func(h *HTTP) { h.languages = m } }

// WithName sets Name() (default "http:" + model).
func WithName(n string) HTTPOption { return func(h *HTTP) { h.name = n } }

// NewHTTP builds the engine. apiKey may be empty (local servers).
func NewHTTP(baseURL, model, apiKey string, opts ...HTTPOption) *HTTP {
	h := &HTTP{
		endpoint: strings.TrimRight(baseURL, "/") + "/audio/transcriptions",
		model:    model,
		apiKey:   apiKey,
		name:     "http:" + model,
		client:   &http.Client{},
		timeout:  60 * time.Second,
		attempts: 2,
		backoff:  500 * time.Millisecond,
		format:   "json",
	}
	for _, o := range opts {
		o(h)
	}
	return h
}

// Name identifies the engine in the contact status.
func (h *HTTP) Name() string { return h.name }

// Transcribe uploads the clip and parses {"text", "language", "duration"}.
// Errors are permanent (IsPermanent) for 4xx answers other than 408/429 and
// for unparseable 2xx bodies; timeouts, connection errors, 5xx and 429 are
// retried WithRetries times and then returned as retryable.
func (h *HTTP) Transcribe(ctx context.Context, a Audio, languageHint string) (Transcript, error) {
	lang := NormalizeLanguage(languageHint)
	sent := lang
	if mapped, ok := h.languages[lang]; ok {
		sent = mapped
	}
	body, ctype, err := h.form(a.WAV(), sent)
	if err != nil {
		return Transcript{}, err
	}
	var last error
	wait := h.backoff
	for attempt := 1; attempt <= h.attempts; attempt++ {
		var retryAfter time.Duration
		var res transcriptionResponse
		res, retryAfter, last = h.post(ctx, body, ctype)
		if last == nil {
			return h.transcript(res, a, lang)
		}
		if ctx.Err() != nil {
			return Transcript{}, errors.Join(last, ctx.Err())
		}
		if IsPermanent(last) || attempt == h.attempts {
			break
		}
		select {
		case <-ctx.Done():
			return Transcript{}, errors.Join(last, ctx.Err())
		case <-time.After(max(wait, retryAfter)):
		}
		wait *= 2
	}
	return Transcript{}, last
}

func (h *HTTP) transcript(res transcriptionResponse, a Audio, hint string) (Transcript, error) {
	text := strings.TrimSpace(res.Text)
	if text == "" {
		return Transcript{}, fmt.Errorf("%s: %w", h.name, ErrNoSpeech)
	}
	lang := NormalizeLanguage(res.Language)
	if lang == "" {
		lang = hint
	}
	dur := a.Duration()
	if dur == 0 && res.Duration > 0 {
		dur = time.Duration(res.Duration * float64(time.Second))
	}
	return Transcript{Text: text, Language: lang, Duration: dur, Engine: h.name}, nil
}

func (h *HTTP) form(wav []byte, lang string) ([]byte, string, error) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	hdr := make(textproto.MIMEHeader)
	hdr.Set("Content-Disposition", `form-data; name="file"; filename="voice-note.wav"`)
	hdr.Set("Content-Type", "audio/wav")
	part, err := w.CreatePart(hdr)
	if err == nil {
		_, err = part.Write(wav)
	}
	fields := [][2]string{{"model", h.model}, {"response_format", h.format}}
	if lang != "" {
		fields = append(fields, [2]string{"language", lang})
	}
	for _, f := range fields {
		if err == nil {
			err = w.WriteField(f[0], f[1])
		}
	}
	if err == nil {
		err = w.Close()
	}
	if err != nil {
		return nil, "", fmt.Errorf("speech: building the upload: %w", err)
	}
	return buf.Bytes(), w.FormDataContentType(), nil
}

type transcriptionResponse struct {
	Text     string  `json:"text"`
	Language string  `json:"language"`
	Duration float64 `json:"duration"`
}

// post makes one attempt. The returned duration is the server's Retry-After.
func (h *HTTP) post(ctx context.Context, body []byte, ctype string) (transcriptionResponse, time.Duration, error) {
	var res transcriptionResponse
	ctx, cancel := context.WithTimeout(ctx, h.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.endpoint, bytes.NewReader(body))
	if err != nil {
		return res, 0, Permanent(fmt.Errorf("%s: bad server URL: %w", h.name, err))
	}
	req.Header.Set("Content-Type", ctype)
	req.Header.Set("Accept", "application/json")
	if h.apiKey != "" {
		req.Header.Set("Authorization", "Bearer "+h.apiKey)
	}
	resp, err := h.client.Do(req)
	if err != nil {
		// Transport failures and timeouts are retryable. The URL is the
		// operator's configuration, not personal data, but the error from
		// net/http already names it, so it is not repeated here.
		return res, 0, fmt.Errorf("%s: %w", h.name, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return res, 0, fmt.Errorf("%s: reading the answer: %w", h.name, err)
	}
	switch code := resp.StatusCode; {
	case code == http.StatusTooManyRequests || code == http.StatusRequestTimeout || code >= 500:
		return res, retryAfter(resp.Header.Get("Retry-After")), fmt.Errorf("%s: server answered %d%s", h.name, code, serverMessage(raw))
	case code < 200 || code >= 300:
		return res, 0, Permanent(fmt.Errorf("%s: server answered %d%s", h.name, code, serverMessage(raw)))
	}
	if err := json.Unmarshal(raw, &res); err != nil {
		return res, 0, Permanent(fmt.Errorf("%s: answer is not transcription JSON: %w", h.name, err))
	}
	return res, 0, nil
}

// serverMessage extracts an OpenAI-style {"error":{"message"}} for the
// error string. Transcribed text never comes back on an error path, so the
// message carries no customer speech.
func serverMessage(raw []byte) string {
	var e struct {
		Error struct {
			Message string `json:"message"`
		} `json:"error"`
	}
	if json.Unmarshal(raw, &e) != nil || e.Error.Message == "" {
		return ""
	}
	m := e.Error.Message
	if len(m) > 200 {
		m = m[:200]
	}
	return ": " + m
}

func retryAfter(v string) time.Duration {
	if s, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && s > 0 {
		return min(time.Duration(s)*time.Second, 30*time.Second)
	}
	return 0
}
