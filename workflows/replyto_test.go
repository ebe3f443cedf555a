package workflows

import (
	"testing"
	"time"

	"github.com/harbordesk/harbordesk/internal/contact"
)

// A message that carries no channel address (one posted through the API)
// never clears the address the channel's own messages gave the contact: the
// answers keep going to the customer's WhatsApp number.
func TestMessageWithoutAddressKeepsTheReplyAddress(t *testing.T) {
	d := newDesk(t)
	d.say(time.Second, "m1", hoursQuestion)
	d.at(time.Minute, func() {
		d.env.SignalWorkflow(contact.SignalMessage, contact.Inbound{MessageID: "api-1", Kind: "text", Text: hoursQuestion,
			ReceivedAt: d.env.Now()})
	})
	d.run(params())
	if err := d.env.GetWorkflowError(); err != nil {
		t.Fatalf("workflow error: %v", err)
	}
	if len(d.delivers) < 2 {
		t.Fatalf("Deliver called %d times, want an answer to each message", len(d.delivers))
	}
	for i, in := range d.delivers {
		if in.ReplyTo.To != "85291234567" {
			t.Errorf("delivery %d addressed to %+v, want the customer's channel address kept", i, in.ReplyTo)
		}
	}
}
