package speech

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
)

// recordingEngine is a Transcriber test double that records the hints it got.
type recordingEngine struct {
	name  string
	err   error
	hints []string
}

func (r *recordingEngine) Name() string { return r.name }
func (r *recordingEngine) Transcribe(_ context.Context, a Audio, hint string) (Transcript, error) {
	r.hints = append(r.hints, hint)
	if r.err != nil {
		return Transcript{}, r.err
	}
	return Transcript{Text: "heard by " + r.name, Language: NormalizeLanguage(hint), Duration: a.Duration(), Engine: r.name}, nil
}

func TestChainSelectsByLanguage(t *testing.T) {
	transient := errors.New("connection refused")
	for _, tc := range []struct {
		name       string
		routes     func() []Route
		opts       []ChainOption
		hint       string
		wantEngine string
		wantErr    error
		permanent  bool
	}{
		{
			name: "english goes to the first engine that handles it",
			routes: func() []Route {
				return []Route{{Engine: &recordingEngine{name: "whisper"}}, {Engine: &recordingEngine{name: "sphinx"}, Languages: []string{"en"}}}
			},
			hint:       "en-GB",
			wantEngine: "whisper",
		},
		{
			name: "cantonese only to a multilingual engine",
			routes: func() []Route {
				return []Route{{Engine: &recordingEngine{name: "sphinx"}, Languages: []string{"en"}}, {Engine: &recordingEngine{name: "whisper"}}}
			},
			hint:       "zh-HK",
			wantEngine: "whisper",
		},
		{
			name:      "cantonese with only the english fallback is ErrNoEngine",
			routes:    func() []Route { return []Route{{Engine: &recordingEngine{name: "sphinx"}, Languages: []string{"en"}}} },
			hint:      "yue",
			wantErr:   ErrNoEngine,
			permanent: true,
		},
		{
			name:      "unknown language with only the english fallback is ErrNoEngine",
			routes:    func() []Route { return []Route{{Engine: &recordingEngine{name: "sphinx"}, Languages: []string{"en"}}} },
			wantErr:   ErrNoEngine,
			permanent: true,
		},
		{
			name:       "unknown language assumed english when configured",
			routes:     func() []Route { return []Route{{Engine: &recordingEngine{name: "sphinx"}, Languages: []string{"en"}}} },
			opts:       []ChainOption{WithUnknownLanguageAs("en")},
			wantEngine: "sphinx",
		},
		{
			name:      "no engines at all",
			routes:    func() []Route { return []Route{{Engine: nil}} },
			hint:      "en",
			wantErr:   ErrNoEngine,
			permanent: true,
		},
		{
			name: "transient failure falls through to the next engine",
			routes: func() []Route {
				return []Route{{Engine: &recordingEngine{name: "whisper", err: transient}}, {Engine: &recordingEngine{name: "sphinx"}, Languages: []string{"en"}}}
			},
			hint:       "en",
			wantEngine: "sphinx",
		},
		{
			name: "all failing with one transient is retryable",
			routes: func() []Route {
				return []Route{{Engine: &recordingEngine{name: "a", err: transient}}, {Engine: &recordingEngine{name: "b", err: Permanent(errors.New("400"))}}}
			},
			hint:      "en",
			wantErr:   transient,
			permanent: false,
		},
		{
			name: "all failing permanently is permanent",
			routes: func() []Route {
				return []Route{{Engine: &recordingEngine{name: "a", err: fmt.Errorf("a: %w", ErrNoSpeech)}}, {Engine: &recordingEngine{name: "b", err: Permanent(errors.New("400"))}}}
			},
			hint:      "en",
			wantErr:   ErrNoSpeech,
			permanent: true,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := NewChain(tc.routes(), tc.opts...)
			tr, err := c.Transcribe(context.Background(), testClip(), tc.hint)
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) || IsPermanent(err) != tc.permanent {
					t.Fatalf("err = %v (permanent %v), want %v (permanent %v)", err, IsPermanent(err), tc.wantErr, tc.permanent)
				}
				return
			}
			if err != nil || tr.Engine != tc.wantEngine {
				t.Fatalf("engine %q err %v, want %q", tr.Engine, err, tc.wantEngine)
			}
		})
	}
}

func TestChainPassesAssumedLanguageToLimitedEngines(t *testing.T) {
	sphinx := &recordingEngine{name: "sphinx"}
	c := NewChain([]Route{{Engine: sphinx, Languages: []string{"EN"}}}, WithUnknownLanguageAs("en-US"))
	if _, err := c.Transcribe(context.Background(), testClip(), ""); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(sphinx.hints, []string{"en"}) {
		t.Errorf("hints = %v, want [en]", sphinx.hints)
	}
	if got := c.Engines("en"); !reflect.DeepEqual(got, []string{"sphinx"}) {
		t.Errorf("Engines(en) = %v", got)
	}
	if got := c.Engines("yue"); got != nil {
		t.Errorf("Engines(yue) = %v, want none", got)
	}
	if c.Name() != "chain(sphinx)" {
		t.Errorf("Name = %q", c.Name())
	}
}

func TestChainStopsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	second := &recordingEngine{name: "b"}
	c := NewChain([]Route{{Engine: &recordingEngine{name: "a", err: context.Canceled}}, {Engine: second}})
	if _, err := c.Transcribe(ctx, testClip(), "en"); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if len(second.hints) != 0 {
		t.Error("second engine called after cancellation")
	}
}

func TestNewFromConfig(t *testing.T) {
	f := &fakeASR{body: `{"text":"我收到嘅貨爛咗"}`}
	for _, tc := range []struct {
		name string
		cfg  Config
		want []string
	}{
		{"nothing configured", Config{}, nil},
		{"asr url", Config{ASRURL: serve(t, f)}, []string{"http:whisper-1"}},
		{"asr for english only plus managed whisper", Config{ASRURL: "http://x/v1", ASRModel: "m", ASRLanguages: []string{"en"}, WhisperURL: "http://y/v1"}, []string{"whisper.cpp"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := NewFromConfig(tc.cfg).Engines("yue"); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Engines(yue) = %v, want %v", got, tc.want)
			}
		})
	}
	tr, err := NewFromConfig(Config{ASRURL: serve(t, f)}).Transcribe(context.Background(), testClip(), "")
	if err != nil || tr.Text != "我收到嘅貨爛咗" {
		t.Fatalf("transcript %+v err %v", tr, err)
	}
}
