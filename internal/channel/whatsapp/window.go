package whatsapp

import "time"

// ServiceWindow is how long after a customer's last message the business may
// send free-form messages; after it only approved templates may be sent.
const ServiceWindow = 24 * time.Hour

// InServiceWindow reports whether free-form text may still be sent at now,
// given the time of the customer's last message. A zero lastCustomerMessage
// (no message known) is outside the window.
func InServiceWindow(lastCustomerMessage, now time.Time) bool {
	if lastCustomerMessage.IsZero() {
		return false
	}
	since := now.Sub(lastCustomerMessage)
	// A slightly future timestamp (clock skew) still counts as inside.
	return since < ServiceWindow
}
