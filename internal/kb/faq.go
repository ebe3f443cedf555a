package kb

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// FAQ imports: a business's existing FAQ as a spreadsheet (CSV) or as
// question/answer pages in Markdown, one page per locale. Rows and pages
// that share an article id become one article with a version per locale.

// csvColumns are the CSV header names; id, intent, locale, question and
// answer are required, topic defaults to the intent, tags are separated by
// ";".
var csvColumns = []string{"id", "intent", "topic", "tags", "locale", "question", "answer"}

// ParseCSV reads FAQ rows (with a header row naming the columns, any order)
// into articles, validated. Errors name the line and column.
func ParseCSV(data []byte) ([]Article, error) {
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\uFEFF")))) // Excel's BOM
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("kb: csv: header: %w", err)
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if !slices.Contains(csvColumns, h) {
			return nil, fmt.Errorf("kb: csv: unknown column %q (want %s)", h, strings.Join(csvColumns, ", "))
		}
		col[h] = i
	}
	for _, need := range []string{"id", "intent", "locale", "question", "answer"} {
		if _, ok := col[need]; !ok {
			return nil, fmt.Errorf("kb: csv: column %q is missing", need)
		}
	}
	m := newMerger()
	for line := 2; ; line++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("kb: csv: %w", err)
		}
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		if strings.Join(rec, "") == "" {
			continue
		}
		m.add(fmt.Sprintf("line %d", line), faqEntry{ID: get("id"), Intent: get("intent"), Topic: get("topic"),
			Tags: splitTags(get("tags"), ";"), Locale: get("locale"), Question: get("question"), Answer: get("answer")})
	}
	return m.articles()
}

// ParseMarkdown reads FAQ pages: each page is in one locale (given, or a
// "<!-- locale: zh-Hant -->" line before the first question); each "## "
// heading is a question, the text up to the next heading its answer, and a
// "<!-- id: clinic-hours; intent: business_hours; topic: hours; tags: a, b -->"
// line right under the heading says which article it is (id and intent
// required; topic defaults to the intent).
func ParseMarkdown(locale string, pages ...[]byte) ([]Article, error) {
	m := newMerger()
	for pi, page := range pages {
		loc := locale
		var cur *faqEntry
		var body []string
		flush := func() {
			if cur != nil {
				cur.Answer = strings.TrimSpace(strings.Join(body, "\n"))
				cur.Locale = loc
				m.add(fmt.Sprintf("page %d %q", pi+1, cur.Question), *cur)
			}
			cur, body = nil, nil
		}
		sc := bufio.NewScanner(bytes.NewReader(page))
		sc.Buffer(make([]byte, 64*1024), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			trim := strings.TrimSpace(line)
			switch {
			case strings.HasPrefix(trim, "## "):
				flush()
				cur = &faqEntry{Question: strings.TrimSpace(strings.TrimPrefix(trim, "## "))}
			case strings.HasPrefix(trim, "<!--") && strings.HasSuffix(trim, "-->"):
				meta := metaFields(strings.TrimSuffix(strings.TrimPrefix(trim, "<!--"), "-->"))
				if cur == nil {
					if v, ok := meta["locale"]; ok {
						loc = v
					}
					continue
				}
				cur.ID, cur.Intent, cur.Topic = meta["id"], meta["intent"], meta["topic"]
				cur.Tags = splitTags(meta["tags"], ",")
			case cur != nil:
				body = append(body, line)
			}
		}
		flush()
		if err := sc.Err(); err != nil {
			return nil, fmt.Errorf("kb: markdown page %d: %w", pi+1, err)
		}
	}
	return m.articles()
}

func metaFields(s string) map[string]string {
	out := map[string]string{}
	for _, part := range strings.Split(s, ";") {
		k, v, ok := strings.Cut(part, ":")
		if ok {
			out[strings.ToLower(strings.TrimSpace(k))] = strings.TrimSpace(v)
		}
	}
	return out
}

func splitTags(s, sep string) []string {
	var out []string
	for _, t := range strings.Split(s, sep) {
		if t = strings.TrimSpace(t); t != "" && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

type faqEntry struct {
	ID, Intent, Topic, Locale, Question, Answer string
	Tags                                        []string
}

// merger gathers entries into articles by id, keeping the order of first
// appearance; conflicting intents or a locale given twice are errors.
type merger struct {
	byID  map[string]*Article
	order []string
	errs  []error
}

func newMerger() *merger { return &merger{byID: map[string]*Article{}} }

func (m *merger) add(where string, e faqEntry) {
	bad := func(format string, a ...any) { m.errs = append(m.errs, fmt.Errorf(where+": "+format, a...)) }
	switch {
	case e.ID == "":
		bad("id is missing")
		return
	case e.Locale == "":
		bad("locale is missing")
		return
	}
	if e.Topic == "" {
		e.Topic = e.Intent
	}
	a, ok := m.byID[e.ID]
	if !ok {
		a = &Article{ID: e.ID, Intent: e.Intent, Topic: e.Topic, Versions: map[string]Version{}}
		m.byID[e.ID] = a
		m.order = append(m.order, e.ID)
	}
	if e.Intent != "" && e.Intent != a.Intent {
		bad("article %s: intent %q differs from %q given before", e.ID, e.Intent, a.Intent)
	}
	if _, dup := a.Versions[e.Locale]; dup {
		bad("article %s: locale %s given twice", e.ID, e.Locale)
	}
	for _, t := range e.Tags {
		if !slices.Contains(a.Tags, t) {
			a.Tags = append(a.Tags, t)
		}
	}
	a.Versions[e.Locale] = Version{Title: e.Question, Body: e.Answer}
}

func (m *merger) articles() ([]Article, error) {
	if len(m.order) == 0 && len(m.errs) == 0 {
		return nil, errors.New("kb: no questions found")
	}
	arts := make([]Article, 0, len(m.order))
	for _, id := range m.order {
		arts = append(arts, *m.byID[id])
	}
	if err := errors.Join(append(m.errs, ValidateAll(arts))...); err != nil {
		return nil, fmt.Errorf("kb: invalid FAQ:\n%w", err)
	}
	return arts, nil
}
