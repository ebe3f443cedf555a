package notify

import (
	"fmt"
	"sort"
	"strings"
)

// DingTalk robot message body (markdown type). Markdown rather than
// actionCard because only text and markdown messages honour "at".
type robotMessage struct {
	MsgType  string        `json:"msgtype"`
	Markdown robotMarkdown `json:"markdown"`
	At       robotAt       `json:"at"`
}

type robotMarkdown struct {
	Title string `json:"title"`
	Text  string `json:"text"`
}

type robotAt struct {
	AtMobiles []string `json:"atMobiles,omitempty"`
	AtUserIds []string `json:"atUserIds,omitempty"`
	IsAtAll   bool     `json:"isAtAll"`
}

// summaryRunes bounds one contact's summary; digestSummaryRunes one line of a
// digest. DingTalk markdown messages are limited to 20,000 bytes.
const (
	summaryRunes       = 400
	digestSummaryRunes = 120
)

// contactGroup is the pending notifications of one contact, collapsed.
type contactGroup struct {
	items []Notification // arrival order
}

func (g contactGroup) latest() Notification { return g.items[len(g.items)-1] }

func (g contactGroup) maxLevel() int {
	m := g.items[0].Level
	for _, n := range g.items[1:] {
		m = max(m, n.Level)
	}
	return m
}

func (g contactGroup) levels() []int {
	var out []int
	seen := map[int]bool{}
	for _, n := range g.items {
		if !seen[n.Level] {
			seen[n.Level] = true
			out = append(out, n.Level)
		}
	}
	sort.Ints(out)
	return out
}

// priority is the most urgent priority named in the group ("P1" < "P4").
func (g contactGroup) priority() string {
	p := g.items[0].Priority
	for _, n := range g.items[1:] {
		if n.Priority != "" && (p == "" || n.Priority < p) {
			p = n.Priority
		}
	}
	return p
}

// render builds one robot message for groups: a full card for one contact,
// a digest for several (most urgent first).
func render(groups []contactGroup) robotMessage {
	sort.SliceStable(groups, func(i, j int) bool {
		pi, pj := groups[i].priority(), groups[j].priority()
		if pi != pj {
			return pi < pj
		}
		return groups[i].maxLevel() > groups[j].maxLevel()
	})
	var mentions []string
	seen := map[string]bool{}
	for _, g := range groups {
		for _, n := range g.items {
			for _, m := range n.Mentions {
				if m = strings.TrimSpace(m); m != "" && !seen[m] {
					seen[m] = true
					mentions = append(mentions, m)
				}
			}
		}
	}
	var b strings.Builder
	var title string
	if len(groups) == 1 {
		g := groups[0]
		n := g.latest()
		title = fmt.Sprintf("[%s] %s: %s", g.priority(), LevelLabel(g.maxLevel()), oneLine(n.Title, 60))
		fmt.Fprintf(&b, "### [%s] %s\n\n", g.priority(), LevelLabel(g.maxLevel()))
		fmt.Fprintf(&b, "**%s**\n\n", oneLine(n.Title, 120))
		if lv := g.levels(); len(lv) > 1 {
			fmt.Fprintf(&b, "Escalation levels reached: %s\n\n", joinInts(lv))
		}
		if s := oneLine(n.Summary, summaryRunes); s != "" {
			fmt.Fprintf(&b, "> %s\n\n", s)
		}
		if n.ContactURL != "" {
			fmt.Fprintf(&b, "[Open contact](%s)\n", n.ContactURL)
		}
	} else {
		title = fmt.Sprintf("Harbordesk: %d contacts need attention", len(groups))
		fmt.Fprintf(&b, "### %d contacts need attention\n\n", len(groups))
		for _, g := range groups {
			n := g.latest()
			fmt.Fprintf(&b, "- **[%s] %s** %s", g.priority(), LevelLabel(g.maxLevel()), oneLine(n.Title, 80))
			if s := oneLine(n.Summary, digestSummaryRunes); s != "" {
				fmt.Fprintf(&b, ": %s", s)
			}
			if n.ContactURL != "" {
				fmt.Fprintf(&b, " [Open contact](%s)", n.ContactURL)
			}
			b.WriteString("\n")
		}
	}
	msg := robotMessage{MsgType: "markdown"}
	if len(mentions) > 0 {
		b.WriteString("\n")
		for _, m := range mentions {
			fmt.Fprintf(&b, "@%s ", m)
			if isMobile(m) {
				msg.At.AtMobiles = append(msg.At.AtMobiles, m)
			} else {
				msg.At.AtUserIds = append(msg.At.AtUserIds, m)
			}
		}
	}
	msg.Markdown = robotMarkdown{Title: title, Text: strings.TrimRight(b.String(), " \n")}
	return msg
}

// isMobile tells a DingTalk mobile number (+852-51234567, 13800000000) from
// a user ID.
func isMobile(s string) bool {
	digits := 0
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+' && i == 0, r == '-':
		default:
			return false
		}
	}
	return digits >= 5
}

// oneLine collapses whitespace so customer text cannot break the markdown
// layout, and truncates it to limit runes.
func oneLine(s string, limit int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > limit {
		s = string(r[:limit-1]) + "…"
	}
	return s
}

func joinInts(v []int) string {
	parts := make([]string, len(v))
	for i, x := range v {
		parts[i] = fmt.Sprint(x)
	}
	return strings.Join(parts, ", ")
}
