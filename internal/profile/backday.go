package profile

import (
	"strings"
	"time"
)

// BackArgs are the placeholders of handoff_after_hours for a desk that
// opens next at next, told at now: back_at is the opening time (15:04) and
// back_day says which day — today, tomorrow or the weekday — in the words
// of each locale the text is rendered in. A zero next (a desk that never
// opens) leaves both empty.
func BackArgs(now, next time.Time) map[string]string {
	if next.IsZero() {
		return map[string]string{"back_at": "", "back_day": ""}
	}
	now = now.In(next.Location())
	y, m, d := now.Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, next.Location())
	ny, nm, nd := next.Date()
	days := int(time.Date(ny, nm, nd, 0, 0, 0, 0, next.Location()).Sub(today).Hours()+12) / 24
	day := strings.ToLower(next.Weekday().String())
	switch days {
	case 0:
		day = "today"
	case 1:
		day = "tomorrow"
	}
	return map[string]string{"back_at": next.Format("15:04"), "back_day": day}
}

// dayWords are back_day's words per written language: Cantonese, written
// Chinese (either script; the characters are the same once converted) and
// English.
var dayWords = map[string]map[string]string{
	"yue": {"today": "今日", "tomorrow": "聽日", "monday": "星期一", "tuesday": "星期二", "wednesday": "星期三",
		"thursday": "星期四", "friday": "星期五", "saturday": "星期六", "sunday": "星期日"},
	"zh": {"today": "今天", "tomorrow": "明天", "monday": "星期一", "tuesday": "星期二", "wednesday": "星期三",
		"thursday": "星期四", "friday": "星期五", "saturday": "星期六", "sunday": "星期日"},
	"en": {"today": "today", "tomorrow": "tomorrow", "monday": "on Monday", "tuesday": "on Tuesday", "wednesday": "on Wednesday",
		"thursday": "on Thursday", "friday": "on Friday", "saturday": "on Saturday", "sunday": "on Sunday"},
}

// localArgs puts back_day into the words of the text's language (written
// in from, shown in locale's script); other values pass as given.
func localArgs(args map[string]string, from, locale string) map[string]string {
	day, ok := args["back_day"]
	if !ok {
		return args
	}
	lang, _ := split(from)
	_, script := split(locale)
	w, ok := dayWords[lang][day]
	if !ok {
		return args
	}
	if lang == "yue" && script == "Hans" {
		w = strings.ReplaceAll(w, "聽", "听")
	}
	out := make(map[string]string, len(args))
	for k, v := range args {
		out[k] = v
	}
	out["back_day"] = w
	return out
}
