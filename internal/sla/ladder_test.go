package sla

import (
	"testing"
	"time"

	"github.com/harbordesk/harbordesk/internal/hkcal"
)

func hk(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, hkcal.HK)
	if err != nil {
		panic(err)
	}
	return t
}

// ladder is the expected level times in HK "2006-01-02 15:04" form.
type ladder [3]string

func checkLadder(t *testing.T, got []Level, want ladder) {
	t.Helper()
	reasons := [3]string{ReasonAtRisk, ReasonBreached, ReasonDutyManager}
	if len(got) != 3 {
		t.Fatalf("got %d levels, want 3", len(got))
	}
	for i, l := range got {
		if l.Level != i+1 || l.Reason != reasons[i] || !l.At.Equal(hk(want[i])) {
			t.Errorf("level %d = {%d %s %s}, want {%d %s %s}", i+1,
				l.Level, l.At.In(hkcal.HK).Format("Mon 2006-01-02 15:04:05"), l.Reason,
				i+1, want[i], reasons[i])
		}
	}
}

// The default policy on hkcal.ServiceDesk: Mon-Sat 09-21, Sun and general
// holidays 10-18. 2025-03-11 is a Tuesday.
func TestLadderDefaultPolicy(t *testing.T) {
	p := DefaultPolicy()
	tests := []struct {
		name     string
		priority string
		start    string
		paused   time.Duration
		want     ladder
	}{
		{"P1 pages the duty manager at 11 pm", "P1", "2025-03-11 22:45", 0,
			ladder{"2025-03-11 22:53", "2025-03-11 22:55", "2025-03-11 23:00"}},
		{"P1 at 23:00 runs through the night", "P1", "2025-03-11 23:00", 0,
			ladder{"2025-03-11 23:08", "2025-03-11 23:10", "2025-03-11 23:15"}},
		{"P1 on a holiday is still wall clock", "P1", "2025-12-25 03:00", 0,
			ladder{"2025-12-25 03:08", "2025-12-25 03:10", "2025-12-25 03:15"}},
		{"P2 paused 5m shifts every level", "P2", "2025-03-11 10:00", 5 * time.Minute,
			ladder{"2025-03-11 10:29", "2025-03-11 10:35", "2025-03-11 10:50"}},
		{"P3 in office hours", "P3", "2025-03-11 10:00", 0,
			ladder{"2025-03-11 13:12", "2025-03-11 14:00", "2025-03-11 16:00"}},
		{"P3 after hours starts at opening", "P3", "2025-03-11 23:30", 0,
			ladder{"2025-03-12 12:12", "2025-03-12 13:00", "2025-03-12 15:00"}},
		{"P3 early morning starts at 09:00", "P3", "2025-03-12 06:00", 0,
			ladder{"2025-03-12 12:12", "2025-03-12 13:00", "2025-03-12 15:00"}},
		{"P3 near closing carries over the night", "P3", "2025-03-11 20:00", 0,
			ladder{"2025-03-12 11:12", "2025-03-12 12:00", "2025-03-12 14:00"}},
		{"P3 paused 1h of business time", "P3", "2025-03-11 20:00", time.Hour,
			ladder{"2025-03-12 12:12", "2025-03-12 13:00", "2025-03-12 15:00"}},
		{"P3 Christmas Eve night opens at 10:00 holiday hours", "P3", "2025-12-24 23:00", 0,
			ladder{"2025-12-25 13:12", "2025-12-25 14:00", "2025-12-25 16:00"}},
		{"P3 across holiday closing at 18:00", "P3", "2025-12-25 16:00", 0,
			ladder{"2025-12-26 11:12", "2025-12-26 12:00", "2025-12-26 14:00"}},
		{"P3 Saturday night waits for Sunday 10:00", "P3", "2025-03-15 22:00", 0,
			ladder{"2025-03-16 13:12", "2025-03-16 14:00", "2025-03-16 16:00"}},
		{"P4 ends exactly at closing", "P4", "2025-03-10 09:00", 0,
			ladder{"2025-03-11 16:12", "2025-03-11 21:00", "2025-03-12 21:00"}},
		{"negative pause is ignored", "P1", "2025-03-11 10:00", -time.Hour,
			ladder{"2025-03-11 10:08", "2025-03-11 10:10", "2025-03-11 10:15"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			checkLadder(t, p.Ladder(tc.priority, hk(tc.start), tc.paused), tc.want)
			if tc.paused == 0 {
				if got := p.Deadline(tc.priority, hk(tc.start)); !got.Equal(hk(tc.want[1])) {
					t.Errorf("Deadline = %v, want %s", got, tc.want[1])
				}
			}
		})
	}
}

func TestLadderShortTargetsAndOverrides(t *testing.T) {
	p, err := ParsePolicy("P1=3s,P3=4h@wall,P2=10m@business")
	if err != nil {
		t.Fatal(err)
	}
	start := hk("2025-03-11 23:00")
	got := p.Ladder("P1", start, 0)
	for i, off := range []time.Duration{2400 * time.Millisecond, 3 * time.Second, 4500 * time.Millisecond} {
		if !got[i].At.Equal(start.Add(off)) {
			t.Errorf("P1=3s level %d at %v, want start+%v", i+1, got[i].At, off)
		}
	}
	checkLadder(t, p.Ladder("P3", start, 0), ladder{"2025-03-12 02:12", "2025-03-12 03:00", "2025-03-12 05:00"})
	checkLadder(t, p.Ladder("P2", start, 0), ladder{"2025-03-12 09:08", "2025-03-12 09:10", "2025-03-12 09:15"})
}

// fakeCalendar opens every day 09:00-17:00 UTC except on closed dates.
type fakeCalendar struct{ closed map[string]bool }

func (c fakeCalendar) window(t time.Time) (from, to time.Time, ok bool) {
	t = t.UTC()
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	if c.closed[day.Format("2006-01-02")] {
		return time.Time{}, time.Time{}, false
	}
	return day.Add(9 * time.Hour), day.Add(17 * time.Hour), true
}

func (c fakeCalendar) IsOpen(t time.Time) bool {
	from, to, ok := c.window(t)
	return ok && !t.Before(from) && t.Before(to)
}

// NextOpen and AddBusiness step minute by minute: slow but obviously right,
// an independent oracle for the ladder arithmetic.
func (c fakeCalendar) NextOpen(t time.Time) time.Time {
	for i := 0; i < 60*24*30; i++ {
		if c.IsOpen(t) {
			return t
		}
		t = t.Truncate(time.Minute).Add(time.Minute)
	}
	return time.Time{}
}

func (c fakeCalendar) AddBusiness(t time.Time, d time.Duration) time.Time {
	t = c.NextOpen(t)
	for d > 0 && !t.IsZero() {
		step := min(d, time.Minute)
		t, d = t.Add(step), d-step
		if d > 0 {
			t = c.NextOpen(t)
		}
	}
	return t
}

func utc(s string) time.Time {
	t, err := time.Parse("2006-01-02 15:04", s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestLadderFakeCalendar(t *testing.T) {
	cal := fakeCalendar{closed: map[string]bool{"2025-01-02": true}}
	p := DefaultPolicy().WithCalendar(cal)
	got := p.Ladder("P3", utc("2025-01-01 16:00"), 30*time.Minute) // 1h today, closed on the 2nd
	want := []string{"2025-01-03 11:42", "2025-01-03 12:30", "2025-01-03 14:30"}
	for i, w := range want {
		if !got[i].At.Equal(utc(w)) {
			t.Errorf("level %d at %v, want %s", i+1, got[i].At, w)
		}
	}
	if s := p.Start("P3", utc("2025-01-01 20:00")); !s.Equal(utc("2025-01-03 09:00")) {
		t.Errorf("Start = %v, want the 3rd 09:00 (2nd is closed)", s)
	}
	if s := p.Start("P1", utc("2025-01-01 20:00")); !s.Equal(utc("2025-01-01 20:00")) {
		t.Errorf("wall Start = %v, want the arrival time", s)
	}
}

// neverOpen is a calendar with no opening hours at all.
type neverOpen struct{}

func (neverOpen) IsOpen(time.Time) bool                          { return false }
func (neverOpen) NextOpen(time.Time) time.Time                   { return time.Time{} }
func (neverOpen) AddBusiness(time.Time, time.Duration) time.Time { return time.Time{} }

func TestLadderNeverOpenCalendarFallsBackToWall(t *testing.T) {
	p := DefaultPolicy().WithCalendar(neverOpen{})
	start := utc("2025-01-01 16:00")
	if got := p.Deadline("P3", start); !got.Equal(start.Add(4 * time.Hour)) {
		t.Fatalf("Deadline = %v, want wall-clock fallback", got)
	}
	if got := p.Elapsed("P3", start, start.Add(time.Hour)); got != 0 {
		t.Fatalf("Elapsed on a never-open calendar = %v, want 0", got)
	}
}

func TestElapsed(t *testing.T) {
	p := DefaultPolicy()
	tests := []struct {
		name     string
		priority string
		from, to string
		want     time.Duration
	}{
		{"wall", "P1", "2025-03-11 20:30", "2025-03-12 09:30", 13 * time.Hour},
		{"business across the night", "P3", "2025-03-11 20:30", "2025-03-12 09:30", time.Hour},
		{"business wholly closed", "P3", "2025-03-11 21:30", "2025-03-12 08:00", 0},
		{"business wholly open", "P4", "2025-03-11 10:00", "2025-03-11 12:15", 135 * time.Minute},
		{"business over a holiday", "P3", "2025-12-24 20:00", "2025-12-25 11:00", 2 * time.Hour},
		{"to before from", "P1", "2025-03-11 10:00", "2025-03-11 09:00", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := p.Elapsed(tc.priority, hk(tc.from), hk(tc.to)); got != tc.want {
				t.Fatalf("Elapsed = %v, want %v", got, tc.want)
			}
		})
	}
}

// A pause measured with Elapsed moves the ladder by exactly the open time
// lost, whatever the hour the customer answers.
func TestPauseMeasuredWithElapsed(t *testing.T) {
	p := DefaultPolicy()
	start := hk("2025-03-11 19:00")
	paused := p.Elapsed("P3", hk("2025-03-11 20:00"), hk("2025-03-12 10:00")) // 1h + 1h
	// Unpaused deadline is Wed 11:00 (2h Tue evening + 2h Wed); +2h pause.
	checkLadder(t, p.Ladder("P3", start, paused),
		ladder{"2025-03-12 12:12", "2025-03-12 13:00", "2025-03-12 15:00"})
}

func BenchmarkLadderBusiness(b *testing.B) {
	p := DefaultPolicy()
	start := hk("2025-12-24 23:00")
	for b.Loop() {
		p.Ladder("P4", start, time.Hour)
	}
}

func BenchmarkLadderWall(b *testing.B) {
	p := DefaultPolicy()
	start := hk("2025-12-24 23:00")
	for b.Loop() {
		p.Ladder("P1", start, time.Minute)
	}
}

func BenchmarkElapsedBusinessWeek(b *testing.B) {
	p := DefaultPolicy()
	from, to := hk("2025-03-10 12:00"), hk("2025-03-17 12:00")
	for b.Loop() {
		p.Elapsed("P3", from, to)
	}
}
