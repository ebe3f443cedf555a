package hkcal

import (
	"testing"
	"time"
)

func hk(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, HK)
}

func TestHKIsUTCPlus8AllYear(t *testing.T) {
	for _, m := range []time.Month{time.January, time.April, time.July, time.October} {
		_, off := hk(2026, m, 15, 12, 0).Zone()
		if off != 8*3600 {
			t.Errorf("%v: offset %d, want +8h", m, off)
		}
	}
	if HK.String() != "Asia/Hong_Kong" {
		t.Errorf("HK = %q", HK)
	}
}

func TestHoliday(t *testing.T) {
	tests := []struct {
		at   time.Time
		want string
		ok   bool
	}{
		{hk(2025, 1, 29, 10, 0), "Lunar New Year's Day", true},
		{hk(2025, 10, 7, 0, 0), "The day following the Chinese Mid-Autumn Festival", true},
		{hk(2025, 10, 6, 23, 59), "", false}, // Mid-Autumn itself is not a holiday
		{hk(2025, 12, 26, 8, 0), "The first weekday after Christmas Day", true},
		// Ching Ming on Easter Sunday 2026: both shift.
		{hk(2026, 4, 5, 12, 0), "", false},
		{hk(2026, 4, 6, 12, 0), "The day following Ching Ming Festival", true},
		{hk(2026, 4, 7, 12, 0), "The day following Easter Monday", true},
		{hk(2026, 5, 25, 12, 0), "The day following the Birthday of the Buddha", true},
		{hk(2026, 10, 19, 12, 0), "The day following Chung Yeung Festival", true},
		{hk(2027, 2, 9, 12, 0), "The fourth day of Lunar New Year", true},
		{hk(2027, 2, 7, 12, 0), "", false},
		{hk(2027, 12, 27, 12, 0), "The first weekday after Christmas Day", true},
		{hk(2028, 10, 2, 12, 0), "The day following National Day", true},
		{hk(2028, 5, 29, 12, 0), "The day following Tuen Ng Festival", true},
		{hk(2026, 3, 10, 12, 0), "", false},
		{hk(2024, 12, 25, 12, 0), "", false}, // outside the table
		// 2025-12-31 17:00 UTC is already 1 Jan 2026 01:00 in Hong Kong.
		{time.Date(2025, 12, 31, 17, 0, 0, 0, time.UTC), "The first day of January", true},
		{time.Date(2025, 12, 31, 15, 59, 0, 0, time.UTC), "", false},
	}
	for _, tt := range tests {
		name, ok := Holiday(tt.at)
		if name != tt.want || ok != tt.ok {
			t.Errorf("Holiday(%v) = %q,%v want %q,%v", tt.at, name, ok, tt.want, tt.ok)
		}
	}
}

func TestSeventeenHolidaysAYearNoneOnSunday(t *testing.T) {
	count := map[int]int{}
	for k := range holidays {
		count[k.y]++
		if wd := time.Date(k.y, k.m, k.d, 0, 0, 0, 0, HK).Weekday(); wd == time.Sunday {
			t.Errorf("%v is a Sunday", k)
		}
	}
	for y := 2025; y <= 2028; y++ {
		if count[y] != 17 {
			t.Errorf("%d: %d general holidays, want 17", y, count[y])
		}
	}
}

func TestIsOpen(t *testing.T) {
	tests := []struct {
		at   time.Time
		want bool
	}{
		{hk(2026, 3, 10, 8, 59), false}, // Tue before opening
		{hk(2026, 3, 10, 9, 0), true},   // opening instant inclusive
		{hk(2026, 3, 10, 20, 59), true},
		{hk(2026, 3, 10, 21, 0), false}, // closing instant exclusive
		{hk(2026, 3, 8, 9, 30), false},  // Sunday opens 10:00
		{hk(2026, 3, 8, 17, 0), true},
		{hk(2026, 3, 8, 18, 0), false},
		{hk(2026, 2, 17, 9, 30), false}, // LNY (Tue) uses holiday hours
		{hk(2026, 2, 17, 10, 30), true},
		{hk(2026, 2, 17, 19, 0), false},
		{time.Date(2026, 3, 10, 1, 30, 0, 0, time.UTC), true}, // 09:30 HK
	}
	for _, tt := range tests {
		if got := ServiceDesk.IsOpen(tt.at); got != tt.want {
			t.Errorf("IsOpen(%v) = %v want %v", tt.at, got, tt.want)
		}
	}
}

func TestNextOpen(t *testing.T) {
	tests := []struct {
		name string
		s    Schedule
		at   time.Time
		want time.Time
	}{
		{"open now", ServiceDesk, hk(2026, 3, 10, 12, 0), hk(2026, 3, 10, 12, 0)},
		{"late night to next morning", ServiceDesk, hk(2026, 3, 10, 23, 0), hk(2026, 3, 11, 9, 0)},
		{"early morning same day", ServiceDesk, hk(2026, 3, 11, 2, 0), hk(2026, 3, 11, 9, 0)},
		{"Saturday night to Sunday 10", ServiceDesk, hk(2026, 3, 7, 22, 0), hk(2026, 3, 8, 10, 0)},
		{"eve of LNY to holiday hours", ServiceDesk, hk(2026, 2, 16, 22, 0), hk(2026, 2, 17, 10, 0)},
		{"closed on holidays skips to next day", Schedule{Days: ServiceDesk.Days}, hk(2026, 2, 16, 22, 0), hk(2026, 2, 20, 9, 0)},
		{"never open", Schedule{}, hk(2026, 1, 1, 0, 0), time.Time{}},
		{"invalid window is closed", Schedule{Days: [7]*Hours{time.Monday: {Open: 5 * time.Hour, Close: 4 * time.Hour}}}, hk(2026, 3, 9, 0, 0), time.Time{}},
		{"24h close", Schedule{Days: [7]*Hours{time.Monday: {Open: 22 * time.Hour, Close: 24 * time.Hour}}}, hk(2026, 3, 9, 23, 59), hk(2026, 3, 9, 23, 59)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.s.NextOpen(tt.at)
			if !got.Equal(tt.want) {
				t.Errorf("NextOpen = %v want %v", got, tt.want)
			}
		})
	}
}

func TestAddBusiness(t *testing.T) {
	tests := []struct {
		name string
		s    Schedule
		at   time.Time
		d    time.Duration
		want time.Time
	}{
		{"within the day", ServiceDesk, hk(2026, 3, 10, 10, 0), 2 * time.Hour, hk(2026, 3, 10, 12, 0)},
		{"exactly to closing", ServiceDesk, hk(2026, 3, 10, 20, 0), time.Hour, hk(2026, 3, 10, 21, 0)},
		{"across the night", ServiceDesk, hk(2026, 3, 10, 20, 30), time.Hour, hk(2026, 3, 11, 9, 30)},
		{"starts after hours", ServiceDesk, hk(2026, 3, 10, 23, 0), 30 * time.Minute, hk(2026, 3, 11, 9, 30)},
		// Mon 16 Feb 20:00 + 4h: 1h Mon, 3h on LNY Tue (10:00-13:00).
		{"into holiday hours", ServiceDesk, hk(2026, 2, 16, 20, 0), 4 * time.Hour, hk(2026, 2, 17, 13, 0)},
		// Closed on holidays: Mon 20:00 +2h → 1h Mon, skip 17-19 Feb, Fri 10:00.
		{"skips closed holidays", Schedule{Days: ServiceDesk.Days}, hk(2026, 2, 16, 20, 0), 2 * time.Hour, hk(2026, 2, 20, 10, 0)},
		// 24h of desk time from Sat 09:00: Sat 12h + Sun 8h + Mon 4h.
		{"multi-day", ServiceDesk, hk(2026, 3, 7, 9, 0), 24 * time.Hour, hk(2026, 3, 9, 13, 0)},
		{"zero duration is next open", ServiceDesk, hk(2026, 3, 10, 22, 0), 0, hk(2026, 3, 11, 9, 0)},
		{"never open", Schedule{}, hk(2026, 3, 10, 22, 0), time.Hour, time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.s.AddBusiness(tt.at, tt.d)
			if !got.Equal(tt.want) {
				t.Errorf("AddBusiness = %v want %v", got, tt.want)
			}
		})
	}
}

func TestHoursOn(t *testing.T) {
	if h := ServiceDesk.HoursOn(hk(2026, 12, 25, 0, 0)); h == nil || h.Open != 10*time.Hour {
		t.Errorf("Christmas hours = %+v", h)
	}
	if h := (Schedule{}).HoursOn(hk(2026, 12, 25, 0, 0)); h != nil {
		t.Errorf("empty schedule open: %+v", h)
	}
}

func BenchmarkAddBusiness(b *testing.B) {
	at := hk(2026, 2, 16, 20, 0)
	for b.Loop() {
		ServiceDesk.AddBusiness(at, 30*time.Hour)
	}
}
