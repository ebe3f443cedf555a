package activities_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/harbordesk/harbordesk/activities"
	"github.com/harbordesk/harbordesk/internal/contact"
	"github.com/harbordesk/harbordesk/internal/decide"
	"github.com/harbordesk/harbordesk/internal/profile"
)

type englishNLU struct{}

func (englishNLU) Understand(_ context.Context, text string) contact.Reading {
	return contact.Reading{Language: "en", Script: "Latn", Intent: "smalltalk", Confidence: 1, Priority: "P4", MaskedText: text}
}

type noKB struct{}

func (noKB) Answer(context.Context, string, string, string, string, time.Time) (activities.Answer, bool) {
	return activities.Answer{}, false
}

// A sticker or emoji says nothing of the language: the reading leaves it
// unknown instead of the classifier's guess.
func TestUnderstandLeavesLanguageOfEmojiUnknown(t *testing.T) {
	a := &activities.Activities{NLU: englishNLU{}}
	for text, want := range map[string]string{"👍👍": "", "？？": "", "ok": "en", "好": "en"} {
		r, err := a.Understand(context.Background(), activities.UnderstandInput{Text: text})
		if err != nil || r.Language != want {
			t.Errorf("Understand(%q).Language = %q (%v), want %q", text, r.Language, err, want)
		}
	}
}

// A customer of unknown language gets the profile's fallback locales in one
// message (Traditional Chinese and English by default), never English alone.
func TestComposeUnknownLanguageUsesFallbackLocales(t *testing.T) {
	a := &activities.Activities{KB: noKB{}}
	tuesdayNoon := time.Date(2026, 3, 10, 12, 0, 0, 0, time.FixedZone("HKT", 8*3600))
	d, err := a.Compose(context.Background(), activities.ComposeInput{CustomerID: "c1", Now: tuesdayNoon, Want: activities.WantDecide,
		Reading: contact.Reading{Intent: "other", Priority: "P2", MaskedText: "[voice message: voice_no_engine]"},
		State:   decide.State{VoiceFail: "voice_no_engine"}})
	if err != nil {
		t.Fatal(err)
	}
	p := profile.Default()
	want := p.Text(profile.VoiceUnreadable, "zh-Hant", nil) + "\n" + p.Text(profile.VoiceUnreadable, "en", nil)
	if d.Text != want || d.Locale != "zh-Hant" || !d.Handoff || d.Reason != "voice_no_engine" {
		t.Errorf("draft %+v, want the voice text in zh-Hant and en", d)
	}
}

// The profile in force speaks: a swapped profile's name is in the next
// reply, the sample shop's is not.
func TestComposeSpeaksForTheProfileInForce(t *testing.T) {
	doc := strings.Replace(string(profile.DefaultYAML()), "name: Harbour Home & Tech", "name: Kowloon Dental Clinic", 1)
	clinic, err := profile.Parse([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	live := activities.NewProfileLive(nil)
	a := &activities.Activities{KB: noKB{}, Profile: live}
	compose := func() string {
		d, err := a.Compose(context.Background(), activities.ComposeInput{CustomerID: "c1", Now: time.Now(), Want: activities.WantDecide,
			Reading: contact.Reading{Language: "en", Script: "Latn", Intent: "smalltalk", Confidence: 1, Priority: "P4"}})
		if err != nil {
			t.Fatal(err)
		}
		return d.Text
	}
	if got := compose(); got == "" {
		t.Fatal("no smalltalk text")
	}
	// the default smalltalk names no business: use a profile text that does
	live.Store(clinic)
	r, err := a.Compose(context.Background(), activities.ComposeInput{CustomerID: "c1", Now: time.Now(), Want: activities.WantDecide,
		Reading: contact.Reading{Language: "en", Script: "Latn", Intent: "human_agent", Confidence: 1, Priority: "P3"},
		State:   decide.State{Arm: "human"}})
	if err != nil {
		t.Fatal(err)
	}
	if r.Text != clinic.Text(profile.HumanArmAck, "en", nil) || r.Kind != contact.KindAck {
		t.Errorf("draft %+v", r)
	}
	notice := clinic.Text(profile.PrivacyNotice, "en", nil)
	if !strings.Contains(notice, "Kowloon Dental Clinic") || strings.Contains(notice, "Harbour") {
		t.Errorf("notice %q", notice)
	}
}
