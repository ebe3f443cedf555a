// Package priority is the urgency of a message, ticket or handoff: P1
// (urgent) … P4 (low), with their order and the VIP rule in one place.
package priority

// Level is one priority; the zero value means "none given".
type Level string

// The levels, most urgent first.
const (
	P1 Level = "P1"
	P2 Level = "P2"
	P3 Level = "P3"
	P4 Level = "P4"
)

// Levels lists every level, most urgent first.
var Levels = []Level{P1, P2, P3, P4}

// VIPCeiling is the least urgent priority a VIP customer gets.
const VIPCeiling = P2

// HandoffDefault is a handoff's priority when nothing set one.
const HandoffDefault = P3

// Valid reports whether l is one of Levels.
func (l Level) Valid() bool { return rank(l) > 0 }

func rank(l Level) int {
	for i, x := range Levels {
		if x == l {
			return i + 1
		}
	}
	return 0
}

// MoreUrgent reports whether l is more urgent than m; a missing level is
// less urgent than any.
func (l Level) MoreUrgent(m Level) bool {
	a, b := rank(l), rank(m)
	return a > 0 && (b == 0 || a < b)
}

// Max returns the most urgent of the levels given ("" if none is valid).
func Max(ls ...Level) Level {
	var out Level
	for _, l := range ls {
		if l.MoreUrgent(out) {
			out = l
		}
	}
	return out
}

// Floor returns l raised to at least floor (a floor of "" changes nothing).
func (l Level) Floor(floor Level) Level { return Max(l, floor) }

// ForVIP applies the VIP rule: a VIP customer waits no longer than
// VIPCeiling.
func (l Level) ForVIP(vip bool) Level {
	if vip {
		return l.Floor(VIPCeiling)
	}
	return l
}

// Or returns l, or def when l is not a valid level.
func (l Level) Or(def Level) Level {
	if l.Valid() {
		return l
	}
	return def
}
