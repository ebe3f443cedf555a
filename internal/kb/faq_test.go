package kb

import (
	"strings"
	"testing"
)

const clinicCSV = "\uFEFFid,intent,topic,tags,locale,question,answer\n" +
	"kdc-hours,business_hours,hours,診所;clinic hours,en,Clinic hours,\"Mon-Fri 09:30-18:30, Sat 09:30-13:00.\"\n" +
	"kdc-hours,business_hours,hours,應診時間,zh-Hant,診所應診時間,星期一至五 09:30–18:30。\n" +
	"kdc-cancel,appointment_change,,,en,Cancel a booking,Call us a day ahead.\n"

func TestParseCSV(t *testing.T) {
	arts, err := ParseCSV([]byte(clinicCSV))
	if err != nil {
		t.Fatal(err)
	}
	if len(arts) != 2 || arts[0].ID != "kdc-hours" || len(arts[0].Versions) != 2 || arts[1].Topic != "appointment_change" {
		t.Fatalf("articles %+v", arts)
	}
	if got := arts[0].Versions["en"].Body; got != "Mon-Fri 09:30-18:30, Sat 09:30-13:00." {
		t.Errorf("quoted answer %q", got)
	}
	if strings.Join(arts[0].Tags, "|") != "診所|clinic hours|應診時間" {
		t.Errorf("tags %v", arts[0].Tags)
	}
	for name, tc := range map[string]struct{ doc, want string }{
		"unknown column":  {"id,intent,locale,question,answer,colour\n", `unknown column "colour"`},
		"missing column":  {"id,intent,locale,question\n", `column "answer" is missing`},
		"bad intent":      {"id,intent,locale,question,answer\nx,opening,en,Q,A\n", `intent "opening"`},
		"locale twice":    {"id,intent,locale,question,answer\nx,other,en,Q,A\nx,other,en,Q2,A2\n", "line 3: article x: locale en given twice"},
		"no id":           {"id,intent,locale,question,answer\n,other,en,Q,A\n", "line 2: id is missing"},
		"intent conflict": {"id,intent,locale,question,answer\nx,other,en,Q,A\nx,billing,zh-Hant,Q,A\n", `intent "billing" differs`},
		"empty":           {"id,intent,locale,question,answer\n", "no questions"},
	} {
		if _, err := ParseCSV([]byte(tc.doc)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", name, err, tc.want)
		}
	}
}

func TestParseMarkdown(t *testing.T) {
	en := []byte("# Kowloon Dental Clinic FAQ\n\n## When are you open?\n<!-- id: kdc-hours; intent: business_hours; topic: hours; tags: clinic hours, opening hours -->\nMon-Fri 09:30-18:30.\n\nSat 09:30-13:00.\n\n## How do I cancel?\n<!-- id: kdc-cancel; intent: appointment_change -->\nCall us a day ahead.\n")
	zh := []byte("<!-- locale: zh-Hant -->\n## 診所幾點開？\n<!-- id: kdc-hours; intent: business_hours -->\n星期一至五 09:30–18:30。\n")
	arts, err := ParseMarkdown("en", en, zh)
	if err != nil {
		t.Fatal(err)
	}
	if len(arts) != 2 || len(arts[0].Versions) != 2 || arts[0].Versions["zh-Hant"].Title != "診所幾點開？" {
		t.Fatalf("articles %+v", arts)
	}
	if got := arts[0].Versions["en"].Body; got != "Mon-Fri 09:30-18:30.\n\nSat 09:30-13:00." {
		t.Errorf("body %q", got)
	}
	if strings.Join(arts[0].Tags, "|") != "clinic hours|opening hours" || arts[1].Topic != "appointment_change" {
		t.Errorf("article %+v / %+v", arts[0], arts[1])
	}
	if _, err := ParseMarkdown("en", []byte("## Q?\nno metadata\n")); err == nil || !strings.Contains(err.Error(), "id is missing") {
		t.Errorf("question without id: %v", err)
	}
	if _, err := ParseMarkdown("", []byte("## Q?\n<!-- id: q; intent: other -->\nA\n")); err == nil || !strings.Contains(err.Error(), "locale is missing") {
		t.Errorf("page without locale: %v", err)
	}
	if _, err := ParseMarkdown("fr", []byte("## Q?\n<!-- id: q; intent: other -->\nA\n")); err == nil || !strings.Contains(err.Error(), `unknown locale "fr"`) {
		t.Errorf("unknown locale: %v", err)
	}
}
