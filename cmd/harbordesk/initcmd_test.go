package main

import (
	"bufio"
	"bytes"
	"strings"
	"testing"

	"github.com/harbordesk/harbordesk/internal/profile"
)

func TestAskProfile(t *testing.T) {
	tests := []struct {
		name, answers string
		check         func(t *testing.T, p *profile.Profile, out string)
	}{
		{"clinic with booking numbers", "Kowloon Dental Clinic\nhttps://kdc.example/privacy\nyue-Hant, en\nKD\\d{6}\nKD123456\n",
			func(t *testing.T, p *profile.Profile, _ string) {
				if p.Name() != "Kowloon Dental Clinic" || len(p.Locales()) != 2 || !p.OrderNumbers() {
					t.Errorf("profile %+v", p.Document().Business)
				}
				if n := p.Text(profile.PrivacyNotice, "en", nil); !strings.Contains(n, "Kowloon Dental Clinic") || !strings.Contains(n, "https://kdc.example/privacy") || strings.Contains(n, "Harbour") {
					t.Errorf("notice %q", n)
				}
				if a := p.Text(profile.AskOrderNumber, "en", nil); !strings.Contains(a, "KD123456") {
					t.Errorf("ask %q", a)
				}
			}},
		{"no order numbers, default locales, a wrong URL asked again", "Tsuen Wan Bakery\nnot a url\nhttps://bakery.example/p\n\n\n",
			func(t *testing.T, p *profile.Profile, out string) {
				if p.OrderNumbers() || len(p.Locales()) != 4 {
					t.Errorf("profile %+v", p.Document().Business)
				}
				if a := p.Text(profile.AskOrderNumber, "zh-Hant", nil); strings.Contains(a, "例如") {
					t.Errorf("ask without numbers %q", a)
				}
				if !strings.Contains(out, "business.privacy_url: must be an http(s) URL") {
					t.Errorf("the wrong URL was not refused: %s", out)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			p, err := askProfile(bufio.NewReader(strings.NewReader(tt.answers)), &out)
			if err != nil {
				t.Fatalf("%v (%s)", err, out.String())
			}
			tt.check(t, p, out.String())
			var y bytes.Buffer
			if err := exportProfile(p, &y); err != nil {
				t.Fatal(err)
			}
			if back, err := profile.Parse(y.Bytes()); err != nil || back.Name() != p.Name() {
				t.Errorf("written profile does not read back: %v", err)
			}
		})
	}
	if _, err := askProfile(bufio.NewReader(strings.NewReader("\n\n\n")), &bytes.Buffer{}); err == nil {
		t.Error("no business name accepted")
	}
}
