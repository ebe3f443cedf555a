package workflows

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/workflow"

	"github.com/harbordesk/harbordesk/internal/contact"
)

// A contact started under contact.RevCurrent has every gated change from
// its first event without asking GetVersion (no marker, no search-attribute
// upsert), even where a GetVersion would answer "old history".
func TestCurrentRevisionAsksNoVersion(t *testing.T) {
	for _, rev := range []int{0, contact.RevCurrent} {
		d := newDesk(t)
		asked := 0
		d.env.OnGetVersion(mock.Anything, workflow.DefaultVersion, 1).
			Run(func(mock.Arguments) { asked++ }).Return(workflow.DefaultVersion).Maybe()
		complaintHandoff(d)
		hoID := contact.HandoffID("ct_test", 1)
		d.update(2*time.Minute, contact.UpdateClaim, "c1", contact.ClaimRequest{HandoffID: hoID, Agent: "alice"})
		d.at(2*time.Hour, d.env.CancelWorkflow)
		p := params()
		p.Rev = rev
		d.run(p)

		switch rev {
		case 0: // as a history recorded before the changes: all of them off
			if asked == 0 || len(d.reopens) != 0 {
				t.Errorf("rev 0: GetVersion asked %d times, %d re-opens; want asked, none (legacy path)", asked, len(d.reopens))
			}
		default: // agent inactivity (a gated change) re-opens the silent claim
			if asked != 0 || len(d.reopens) != 1 {
				t.Errorf("rev %d: GetVersion asked %d times, %d re-opens; want 0 and 1", rev, asked, len(d.reopens))
			}
		}
	}
}

// From revision 3 the routing pick and the ERP lookup are local activities
// (no activity task, no extra history round trip); a contact started under
// revision 2 asks GetVersion and, as a history recorded before the change,
// keeps them as regular activities so it replays unchanged.
func TestLocalLookupsByRevision(t *testing.T) {
	scenarios := map[string]func(*desk){
		"AssignAgent": func(d *desk) { complaintHandoff(d) },
		"LookupOrder": func(d *desk) { d.say(time.Second, "m1", orderQuestion) },
	}
	for _, c := range []struct {
		rev   int
		local bool
	}{{2, false}, {contact.RevCurrent, true}} {
		for name, scenario := range scenarios {
			d := newDesk(t)
			d.env.OnGetVersion(mock.Anything, workflow.DefaultVersion, 1).Return(workflow.DefaultVersion).Maybe()
			local, regular := 0, 0
			d.env.SetOnLocalActivityStartedListener(func(info *activity.Info, _ context.Context, _ []interface{}) {
				if info.ActivityType.Name == name {
					local++
				}
			})
			d.env.SetOnActivityStartedListener(func(info *activity.Info, _ context.Context, _ converter.EncodedValues) {
				if info.ActivityType.Name == name {
					regular++
				}
			})
			scenario(d)
			d.at(time.Hour, d.env.CancelWorkflow)
			p := params()
			p.Rev = c.rev
			d.run(p)
			if local+regular == 0 || (local > 0 && regular > 0) || (local > 0) != c.local {
				t.Errorf("rev %d: %s ran %d times local, %d as an activity; want local=%v", c.rev, name, local, regular, c.local)
			}
		}
	}
}

// From revision 4 a P1 turn's supervisor push goes out with the turn
// (RecordTurn sends it after the reply) and the NotifySupervisor activity
// runs only when that push failed; a contact started under revision 3 asks
// GetVersion and, as a history recorded before the change, keeps the
// activity. Exactly one push reaches the supervisor either way.
func TestInlinePushByRevision(t *testing.T) {
	for _, c := range []struct {
		rev          int
		inlineFails  bool
		wantActivity int
	}{{3, false, 1}, {contact.RevCurrent, false, 0}, {contact.RevCurrent, true, 1}} {
		d := newDesk(t)
		d.env.OnGetVersion(mock.Anything, workflow.DefaultVersion, 1).Return(workflow.DefaultVersion).Maybe()
		d.inlinePushFails = c.inlineFails
		complaintHandoff(d)
		d.at(time.Hour, d.env.CancelWorkflow)
		p := params()
		p.Rev = c.rev
		d.run(p)
		sent := 0
		for _, in := range d.intakes {
			if in.Notify != nil {
				sent++
			}
		}
		if len(d.notifies) != 1 || d.notifies[0].Reason != "urgent" || d.notifies[0].Priority != "P1" || d.pushActivities != c.wantActivity ||
			(sent > 0) != (c.rev >= 4) {
			t.Errorf("rev %d, inline push fails=%v: %d pushes %+v, %d by the activity, %d turns carried one; want 1, %d, rev>=4",
				c.rev, c.inlineFails, len(d.notifies), d.notifies, d.pushActivities, sent, c.wantActivity)
		}
	}
}
