package hkcal

import (
	"time"

	// Embed the IANA database so HK works on hosts without system tzdata
	// (scratch containers, minimal CI images).
	_ "time/tzdata"
)

// HK is Asia/Hong_Kong (UTC+8 all year; Hong Kong has not observed daylight
// saving time since 1979).
var HK = mustLoad("Asia/Hong_Kong")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		// Unreachable: time/tzdata is embedded above.
		panic("hkcal: load " + name + ": " + err.Error())
	}
	return loc
}

// localDate returns the calendar date of t in Hong Kong.
func localDate(t time.Time) (y int, m time.Month, d int) {
	return t.In(HK).Date()
}

// midnight returns 00:00 Hong Kong time of the day containing t.
func midnight(t time.Time) time.Time {
	y, m, d := localDate(t)
	return time.Date(y, m, d, 0, 0, 0, 0, HK)
}
