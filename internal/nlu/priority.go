package nlu

// Priorities, most urgent first.
const (
	P1 = "P1"
	P2 = "P2"
	P3 = "P3"
	P4 = "P4"
)

// Priority ranks a contact from its intent and negativity; a VIP customer is
// raised one level (never above P1).
//
//   - P1: negative complaint, damaged_item or refund_request
//   - P2: any other negative message, and every request for a human agent
//   - P3: routine actionable intents (orders, appointments, accounts, billing …)
//   - P4: information and chat (business_hours, return_policy, smalltalk, other)
func Priority(intent string, negative bool, vip bool) string {
	p := basePriority(intent, negative)
	if vip && p != P1 {
		p = string([]byte{'P', p[1] - 1})
	}
	return p
}

func basePriority(intent string, negative bool) string {
	if negative {
		switch intent {
		case "complaint", "damaged_item", "refund_request":
			return P1
		}
		return P2
	}
	switch intent {
	case "human_agent":
		return P2
	case "business_hours", "return_policy", "smalltalk", "other", "":
		return P4
	}
	return P3
}

// priorityWithSignals is Priority plus the rule that threats and anger are
// always urgent, whatever the intent.
func priorityWithSignals(intent string, negative bool, signals []string) string {
	if negative {
		for _, s := range signals {
			if s == "threat" || s == "anger" {
				return P1
			}
		}
	}
	return Priority(intent, negative, false)
}
