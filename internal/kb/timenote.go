package kb

import (
	"fmt"
	"time"

	"github.com/harbordesk/harbordesk/internal/hkcal"
)

// noteText holds the per-locale wording of the opening-hours note.
// yue-Hans is derived from yue-Hant at render time.
type noteText struct {
	open     string // %s = closing time
	closed   string // %s = day phrase, %s = opening time
	holiday  string // %s = English holiday name (used by en only)
	today    string
	tomorrow string
	weekday  [7]string
	on       string // %s = weekday, %d = month, %d = day
}

var notes = map[string]noteText{
	LocaleYueHant: {
		open: "而家營業緊，今日開到 %s。", closed: "而家已經關咗門，%s %s 再開。", holiday: "今日係公眾假期，跟假期時間營業。",
		today: "今日", tomorrow: "聽日", weekday: [7]string{"星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"},
		on: "%s（%d月%d日）",
	},
	LocaleZhHant: {
		open: "現在正在營業，今天營業至 %s。", closed: "現在已過營業時間，將於%s %s 開始營業。", holiday: "今天是公眾假期，按假期時間營業。",
		today: "今天", tomorrow: "明天", weekday: [7]string{"星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"},
		on: "%s（%d月%d日）",
	},
	LocaleZhHans: {
		open: "现在正在营业，今天营业至 %s。", closed: "现在已过营业时间，将于%s %s 开始营业。", holiday: "今天是公众假期，按假期时间营业。",
		today: "今天", tomorrow: "明天", weekday: [7]string{"星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"},
		on: "%s（%d月%d日）",
	},
	LocaleEn: {
		open: "We're open now, until %s today.", closed: "We're closed now; we open %[1]s at %[2]s.", holiday: "Today is a public holiday (%s), so holiday hours apply.",
		today: "today", tomorrow: "tomorrow", weekday: [7]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"},
		on: "on %s %[3]d/%[2]d",
	},
}

// timeNote says whether the schedule is open at now (Hong Kong time) and, if
// not, when it next opens: "而家已經關咗門，聽日 10:00 再開。"
func timeNote(s hkcal.Schedule, loc string, now time.Time) string {
	toHans := loc == LocaleYueHans
	if toHans {
		loc = LocaleYueHant
	}
	n, ok := notes[loc]
	if !ok {
		n = notes[LocaleEn]
	}
	now = now.In(hkcal.HK)
	var out string
	if name, hol := hkcal.Holiday(now); hol {
		if loc == LocaleEn {
			out = fmt.Sprintf(n.holiday, name) + " "
		} else {
			out = n.holiday
		}
	}
	if s.IsOpen(now) {
		h := s.HoursOn(now)
		out += fmt.Sprintf(n.open, formatClock(h.Close))
	} else if next := s.NextOpen(now); !next.IsZero() {
		out += fmt.Sprintf(n.closed, dayPhrase(n, now, next), next.Format("15:04"))
	}
	if toHans {
		if simp, err := ToSimplified(out); err == nil {
			out = simp
		}
	}
	return out
}

func dayPhrase(n noteText, now, next time.Time) string {
	y, m, d := now.Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, hkcal.HK)
	ny, nm, nd := next.Date()
	days := int(time.Date(ny, nm, nd, 0, 0, 0, 0, hkcal.HK).Sub(today).Hours() / 24) // no DST in HK
	switch days {
	case 0:
		return n.today
	case 1:
		return n.tomorrow
	}
	return fmt.Sprintf(n.on, n.weekday[next.Weekday()], int(nm), nd)
}
