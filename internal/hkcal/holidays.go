package hkcal

import "time"

// Hong Kong general holidays ("bank holidays"), 17 a year, as gazetted under
// the General Holidays Ordinance (Cap. 149) and published by the HKSAR
// Government at https://www.gov.hk/en/about/abouthk/holiday/ .
//
// 2025 and 2026 are the gazetted lists. 2027 and 2028 follow the same
// Ordinance rules (lunar dates checked against the lunar-go almanac; a
// holiday falling on a Sunday moves to the next weekday; the 4th day of Lunar
// New Year replaces a Sunday among the first three) and must be re-checked
// against the Gazette when it is published.
//
// Sundays are not listed: they are rest days, not general holidays, and each
// Schedule says its own Sunday hours.
//
// A table rather than a lunar-calendar computation: the Government's list is
// the authority (it settles clashes such as Ching Ming on Easter Sunday 2026
// by hand), so we encode the list, not a rule engine.
var holidays = map[dateKey]string{
	// 2025
	{2025, 1, 1}:   "The first day of January",
	{2025, 1, 29}:  "Lunar New Year's Day",
	{2025, 1, 30}:  "The second day of Lunar New Year",
	{2025, 1, 31}:  "The third day of Lunar New Year",
	{2025, 4, 4}:   "Ching Ming Festival",
	{2025, 4, 18}:  "Good Friday",
	{2025, 4, 19}:  "The day following Good Friday",
	{2025, 4, 21}:  "Easter Monday",
	{2025, 5, 1}:   "Labour Day",
	{2025, 5, 5}:   "The Birthday of the Buddha",
	{2025, 5, 31}:  "Tuen Ng Festival",
	{2025, 7, 1}:   "Hong Kong Special Administrative Region Establishment Day",
	{2025, 10, 1}:  "National Day",
	{2025, 10, 7}:  "The day following the Chinese Mid-Autumn Festival",
	{2025, 10, 29}: "Chung Yeung Festival",
	{2025, 12, 25}: "Christmas Day",
	{2025, 12, 26}: "The first weekday after Christmas Day",

	// 2026
	{2026, 1, 1}:   "The first day of January",
	{2026, 2, 17}:  "Lunar New Year's Day",
	{2026, 2, 18}:  "The second day of Lunar New Year",
	{2026, 2, 19}:  "The third day of Lunar New Year",
	{2026, 4, 3}:   "Good Friday",
	{2026, 4, 4}:   "The day following Good Friday",
	{2026, 4, 6}:   "The day following Ching Ming Festival",
	{2026, 4, 7}:   "The day following Easter Monday",
	{2026, 5, 1}:   "Labour Day",
	{2026, 5, 25}:  "The day following the Birthday of the Buddha",
	{2026, 6, 19}:  "Tuen Ng Festival",
	{2026, 7, 1}:   "Hong Kong Special Administrative Region Establishment Day",
	{2026, 9, 26}:  "The day following the Chinese Mid-Autumn Festival",
	{2026, 10, 1}:  "National Day",
	{2026, 10, 19}: "The day following Chung Yeung Festival",
	{2026, 12, 25}: "Christmas Day",
	{2026, 12, 26}: "The first weekday after Christmas Day",

	// 2027
	{2027, 1, 1}:   "The first day of January",
	{2027, 2, 6}:   "Lunar New Year's Day",
	{2027, 2, 8}:   "The third day of Lunar New Year",
	{2027, 2, 9}:   "The fourth day of Lunar New Year",
	{2027, 3, 26}:  "Good Friday",
	{2027, 3, 27}:  "The day following Good Friday",
	{2027, 3, 29}:  "Easter Monday",
	{2027, 4, 5}:   "Ching Ming Festival",
	{2027, 5, 1}:   "Labour Day",
	{2027, 5, 13}:  "The Birthday of the Buddha",
	{2027, 6, 9}:   "Tuen Ng Festival",
	{2027, 7, 1}:   "Hong Kong Special Administrative Region Establishment Day",
	{2027, 9, 16}:  "The day following the Chinese Mid-Autumn Festival",
	{2027, 10, 1}:  "National Day",
	{2027, 10, 8}:  "Chung Yeung Festival",
	{2027, 12, 25}: "Christmas Day",
	{2027, 12, 27}: "The first weekday after Christmas Day",

	// 2028
	{2028, 1, 1}:   "The first day of January",
	{2028, 1, 26}:  "Lunar New Year's Day",
	{2028, 1, 27}:  "The second day of Lunar New Year",
	{2028, 1, 28}:  "The third day of Lunar New Year",
	{2028, 4, 4}:   "Ching Ming Festival",
	{2028, 4, 14}:  "Good Friday",
	{2028, 4, 15}:  "The day following Good Friday",
	{2028, 4, 17}:  "Easter Monday",
	{2028, 5, 1}:   "Labour Day",
	{2028, 5, 2}:   "The Birthday of the Buddha",
	{2028, 5, 29}:  "The day following Tuen Ng Festival",
	{2028, 7, 1}:   "Hong Kong Special Administrative Region Establishment Day",
	{2028, 10, 2}:  "The day following National Day",
	{2028, 10, 4}:  "The day following the Chinese Mid-Autumn Festival",
	{2028, 10, 26}: "Chung Yeung Festival",
	{2028, 12, 25}: "Christmas Day",
	{2028, 12, 26}: "The first weekday after Christmas Day",
}

type dateKey struct {
	y int
	m time.Month
	d int
}

// Holiday reports whether the Hong Kong calendar day containing t is a
// general holiday, and its gazetted English name. Days outside 2025-2028 are
// never holidays.
func Holiday(t time.Time) (name string, ok bool) {
	y, m, d := localDate(t)
	name, ok = holidays[dateKey{y, m, d}]
	return name, ok
}
