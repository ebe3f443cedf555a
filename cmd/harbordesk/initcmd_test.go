package main

import (
	"bufio"
	"bytes"
	"os"
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

func TestReadKBFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := dir + "/" + name
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	csvFile := write("faq.csv", "id,intent,locale,question,answer\nkdc-fees,billing,en,Fees,Check-up HK$500.\n")
	en := write("faq.en.md", "## When are you open?\n<!-- id: kdc-hours; intent: business_hours; topic: hours -->\nMon-Fri.\n")
	zh := write("faq.zh-Hant.md", "## 幾點開？\n<!-- id: kdc-hours; intent: business_hours -->\n星期一至五。\n")
	arts, err := readKBFiles([]string{csvFile, en, zh})
	if err != nil {
		t.Fatal(err)
	}
	if len(arts) != 2 || arts[0].ID != "kdc-fees" || len(arts[1].Versions) != 2 {
		t.Fatalf("articles %+v", arts)
	}
	dup := write("dup.csv", "id,intent,locale,question,answer\nkdc-hours,business_hours,zh-Hans,Q,A\n")
	if _, err := readKBFiles([]string{dup, en}); err == nil || !strings.Contains(err.Error(), "kdc-hours") {
		t.Errorf("the same article from two files: %v", err)
	}
}
