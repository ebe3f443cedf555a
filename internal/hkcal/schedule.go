package hkcal

import "time"

// Hours is one day's opening window as offsets from local midnight, from Open
// (inclusive) to Close (exclusive). Close may be 24*time.Hour for "until
// midnight". A window with Close <= Open is closed all day.
type Hours struct{ Open, Close time.Duration }

// Schedule is a weekly opening pattern in Hong Kong time. Days is indexed by
// time.Weekday; Holiday, when the day is a general holiday, replaces the
// weekday's hours. A nil entry means closed.
type Schedule struct {
	Days    [7]*Hours
	Holiday *Hours
}

// ServiceDesk is when human agents staff the desk: Monday to Saturday
// 09:00-21:00, Sundays and general holidays 10:00-18:00. The bot answers
// around the clock; these hours drive the "our team is back at 09:00"
// handoff text and business-hours SLA clocks.
var ServiceDesk = Schedule{
	Days: [7]*Hours{
		time.Sunday:    {Open: 10 * time.Hour, Close: 18 * time.Hour},
		time.Monday:    {Open: 9 * time.Hour, Close: 21 * time.Hour},
		time.Tuesday:   {Open: 9 * time.Hour, Close: 21 * time.Hour},
		time.Wednesday: {Open: 9 * time.Hour, Close: 21 * time.Hour},
		time.Thursday:  {Open: 9 * time.Hour, Close: 21 * time.Hour},
		time.Friday:    {Open: 9 * time.Hour, Close: 21 * time.Hour},
		time.Saturday:  {Open: 9 * time.Hour, Close: 21 * time.Hour},
	},
	Holiday: &Hours{Open: 10 * time.Hour, Close: 18 * time.Hour},
}

// searchDays bounds how far NextOpen and AddBusiness look ahead for an open
// day; a schedule closed for longer than this is treated as never open.
const searchDays = 400

// HoursOn returns the opening window of the Hong Kong day containing t, or
// nil when that day is closed.
func (s Schedule) HoursOn(t time.Time) *Hours {
	if _, ok := Holiday(t); ok {
		return valid(s.Holiday)
	}
	return valid(s.Days[t.In(HK).Weekday()])
}

func valid(h *Hours) *Hours {
	if h == nil || h.Close <= h.Open || h.Open < 0 {
		return nil
	}
	return h
}

// window returns the open interval [from, to) of the day starting at day, or
// ok=false if the day is closed.
func (s Schedule) window(day time.Time) (from, to time.Time, ok bool) {
	h := s.HoursOn(day)
	if h == nil {
		return time.Time{}, time.Time{}, false
	}
	// Hong Kong has no DST, so midnight+offset is the wall-clock time.
	return day.Add(h.Open), day.Add(h.Close), true
}

// IsOpen reports whether t falls inside the schedule's opening hours.
func (s Schedule) IsOpen(t time.Time) bool {
	from, to, ok := s.window(midnight(t))
	return ok && !t.Before(from) && t.Before(to)
}

// NextOpen returns t itself when open, otherwise the next instant the
// schedule opens (in HK time). A schedule that never opens within about a
// year returns the zero Time.
func (s Schedule) NextOpen(t time.Time) time.Time {
	day := midnight(t)
	for i := 0; i < searchDays; i++ {
		if from, to, ok := s.window(day); ok && t.Before(to) {
			if t.Before(from) {
				return from
			}
			return t.In(HK)
		}
		day = nextDay(day)
	}
	return time.Time{}
}

// AddBusiness returns the instant at which d of open time has elapsed after
// t, skipping nights, closed days and holidays — the deadline of an SLA clock
// that only runs during opening hours. d <= 0 returns NextOpen(t). A schedule
// that never opens returns the zero Time.
func (s Schedule) AddBusiness(t time.Time, d time.Duration) time.Time {
	cur := s.NextOpen(t)
	if cur.IsZero() || d <= 0 {
		return cur
	}
	for i := 0; i < searchDays*int(1+d/(24*time.Hour)); i++ {
		_, to, ok := s.window(midnight(cur))
		if ok && cur.Before(to) {
			left := to.Sub(cur)
			if d <= left {
				return cur.Add(d)
			}
			d -= left
		}
		cur = s.NextOpen(nextDay(midnight(cur)))
		if cur.IsZero() {
			return cur
		}
	}
	return time.Time{}
}

func nextDay(day time.Time) time.Time {
	y, m, d := day.Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, HK)
}
