package workflows

import (
	"testing"
	"time"

	"github.com/harbordesk/harbordesk/activities"
	"github.com/harbordesk/harbordesk/internal/contact"
)

// A knowledge-base question is read, recorded, answered and delivered once,
// notice and answer together; a redelivered message_id changes nothing.
func TestKBQuestionAnsweredOnceWithNotice(t *testing.T) {
	d := newDesk(t)
	d.say(time.Second, "m1", hoursQuestion)
	d.say(2*time.Minute, "m1", hoursQuestion) // channel redelivery
	d.run(params())
	if err := d.env.GetWorkflowError(); err != nil {
		t.Fatalf("workflow error: %v", err)
	}

	if n := len(d.understands); n != 1 {
		t.Errorf("Understand called %d times, want 1", n)
	}
	if len(d.intakes) != 1 || d.intakes[0].MessageID != "m1" || d.intakes[0].Reading.Intent != "business_hours" {
		t.Errorf("Intake calls = %+v, want one for m1 with its reading", d.intakes)
	}
	if len(d.composes) != 1 || d.composes[0].Reading.Intent != "business_hours" || d.composes[0].ContactID != "ct_test" {
		t.Errorf("Compose calls = %+v, want one for the question", d.composes)
	}
	if len(d.delivers) != 1 {
		t.Fatalf("Deliver called %d times, want 1: %+v", len(d.delivers), d.delivers)
	}
	in := d.delivers[0]
	wantReplies(t, in,
		contact.Reply{Key: "notice", Author: contact.AuthorBot, Kind: contact.KindNotice, Text: noticeText},
		contact.Reply{Key: "bot/1/answer", Author: contact.AuthorBot, Kind: contact.KindAnswer, Text: answerText})
	if a := in.Replies[1]; a.ArticleID != "kb_hours" || a.Locale != "zh-HK" {
		t.Errorf("answer carries article %q locale %q, want kb_hours zh-HK", a.ArticleID, a.Locale)
	}
	if in.ReplyTo.To != "85291234567" || in.Params.ContactID != "ct_test" || in.Params.Carry != nil {
		t.Errorf("Deliver addressed %+v params %+v", in.ReplyTo, in.Params)
	}
	if len(d.handoffs) != 0 {
		t.Errorf("OpenHandoff called for a KB question: %+v", d.handoffs)
	}
	// Idle for IdleTimeout after the last message: a bot-settled contact is closed.
	if len(d.closes) != 1 {
		t.Errorf("CloseIdle called %d times, want 1", len(d.closes))
	}
}

// The full human path: handoff, exactly-one claim, bot silence, agent reply,
// resolution with survey and the CSAT answer.
func TestHandoffClaimReplyResolveCSAT(t *testing.T) {
	d := newDesk(t)
	p := params()
	hoID := contact.HandoffID(p.ContactID, 1)

	d.say(time.Second, "m1", wantHuman)
	var first, second *updateResult
	d.at(time.Minute, func() {
		// Two agents press "claim" at the same instant.
		first = &updateResult{}
		second = &updateResult{}
		d.env.UpdateWorkflow(contact.UpdateClaim, "claim-alice", callbacks(first), contact.ClaimRequest{HandoffID: hoID, Agent: "alice"})
		d.env.UpdateWorkflow(contact.UpdateClaim, "claim-bob", callbacks(second), contact.ClaimRequest{HandoffID: hoID, Agent: "bob"})
	})
	d.say(2*time.Minute, "m2", anyoneThere)
	reply := d.update(3*time.Minute, contact.UpdateReply, "reply-1",
		contact.AgentReply{HandoffID: hoID, Agent: "alice", Text: "你好，我係Alice", MessageID: "am1"})
	bobReply := d.update(4*time.Minute, contact.UpdateReply, "reply-bob",
		contact.AgentReply{HandoffID: hoID, Agent: "bob", Text: "hi"})
	resolve := d.update(5*time.Minute, contact.UpdateResolve, "resolve-1",
		contact.ResolveRequest{HandoffID: hoID, Agent: "alice", Resolution: "explained", Code: "answered"})
	d.say(6*time.Minute, "m3", "5")
	d.run(p)
	if err := d.env.GetWorkflowError(); err != nil {
		t.Fatalf("workflow error: %v", err)
	}

	// Handoff opened with the bot's handoff reply: Compose (the playbook)
	// decides the hand-off, no KB answer goes out.
	if len(d.composes) == 0 || d.composes[0].Want != activities.WantDecide || d.composes[0].Reading.Intent != "human_agent" {
		t.Errorf("Compose calls %+v, want the human request decided", d.composes)
	}
	if len(d.handoffs) != 1 {
		t.Fatalf("OpenHandoff called %d times, want 1", len(d.handoffs))
	}
	h := d.handoffs[0]
	if h.Handoff.ID != hoID || h.Handoff.State != contact.HandoffOpen || h.Handoff.Reason != "intent_human_agent" || h.Handoff.Priority != "P2" {
		t.Errorf("OpenHandoff got %+v", h.Handoff)
	}
	if h.Language != "yue" {
		t.Errorf("OpenHandoff language %q, want yue", h.Language)
	}

	// Claims: first wins, second gets "conflict" from the validator.
	if first == nil || !first.accepted || !first.done || first.err != nil {
		t.Errorf("alice's claim: %+v, want accepted and completed", first)
	}
	if got, ok := first.value.(contact.Handoff); !ok || got.Agent != "alice" || got.State != contact.HandoffClaimed {
		t.Errorf("alice's claim returned %#v", first.value)
	}
	if second == nil || second.accepted || errType(second.rejected) != "conflict" {
		t.Errorf("bob's claim: %+v, want rejected with type conflict", second)
	}
	if len(d.claims) != 1 || d.claims[0].Agent != "alice" || d.claims[0].HandoffID != hoID {
		t.Errorf("RecordClaim calls %+v, want one for alice", d.claims)
	}

	// Replies in order: handoff (with notice), agent answer, survey, CSAT thanks.
	if len(d.delivers) != 4 {
		t.Fatalf("Deliver called %d times, want 4: %+v", len(d.delivers), d.delivers)
	}
	wantReplies(t, d.delivers[0],
		contact.Reply{Key: "notice", Author: contact.AuthorBot, Kind: contact.KindNotice, Text: noticeText},
		contact.Reply{Key: "bot/1/handoff", Author: contact.AuthorBot, Kind: contact.KindHandoff, Text: handoffText})
	wantReplies(t, d.delivers[1],
		contact.Reply{Key: "agent/am1", Author: contact.AuthorAgent, Agent: "alice", Kind: contact.KindAnswer, Text: "你好，我係Alice"})
	wantReplies(t, d.delivers[2],
		contact.Reply{Author: contact.AuthorBot, Kind: contact.KindSurvey, Text: surveyText})
	wantReplies(t, d.delivers[3],
		contact.Reply{Author: contact.AuthorBot, Kind: contact.KindSurvey, Text: thanksText})
	if d.delivers[1].ReplyTo.To != "85291234567" {
		t.Errorf("agent reply addressed to %+v, want the customer's channel id", d.delivers[1].ReplyTo)
	}
	if !reply.accepted || !reply.done || reply.err != nil {
		t.Errorf("agent reply update: %+v", reply)
	}
	if bobReply.accepted || errType(bobReply.rejected) != "conflict" {
		t.Errorf("reply by a non-owner: %+v, want rejected conflict", bobReply)
	}

	// The message after the claim was recorded but got no bot reply.
	if len(d.intakes) != 3 || d.intakes[1].MessageID != "m2" {
		t.Fatalf("Intake calls %+v, want m1, m2, m3", d.intakes)
	}

	// Resolution and survey answer.
	if !resolve.accepted || resolve.err != nil {
		t.Errorf("resolve update: %+v", resolve)
	}
	if len(d.resolves) != 1 || d.resolves[0].HandoffID != hoID || d.resolves[0].Agent != "alice" ||
		d.resolves[0].Code != "answered" || d.resolves[0].Language != "yue" {
		t.Errorf("Resolve calls %+v", d.resolves)
	}
	if in := d.intakes[2]; in.MessageID != "m3" || in.CSAT != 5 {
		t.Errorf("survey answer intake = %+v, want CSAT 5", in)
	}
	// A resolved contact is not closed again as idle.
	if len(d.closes) != 0 {
		t.Errorf("CloseIdle called after a resolution: %+v", d.closes)
	}
}

// After a claim, every customer message is recorded and none gets a bot reply.
func TestClaimedContactBotStaysSilent(t *testing.T) {
	d := newDesk(t)
	p := params()
	hoID := contact.HandoffID(p.ContactID, 1)
	d.say(time.Second, "m1", wantHuman)
	claim := d.update(time.Minute, contact.UpdateClaim, "c1", contact.ClaimRequest{HandoffID: hoID, Agent: "alice"})
	d.say(2*time.Minute, "m2", hoursQuestion) // a KB question the bot could answer
	d.say(3*time.Minute, "m3", complaintText) // and a P1 complaint
	d.at(10*time.Minute, d.env.CancelWorkflow)
	d.run(p)

	if !claim.accepted {
		t.Fatalf("claim rejected: %v", claim.rejected)
	}
	if len(d.intakes) != 3 {
		t.Errorf("Intake called %d times, want 3", len(d.intakes))
	}
	if b := d.botDelivers(); len(b) != 1 {
		t.Errorf("bot delivered %d times, want only the handoff reply: %+v", len(b), b)
	}
	for i, c := range d.composes {
		if c.State.HandoffOpen != (i > 0) {
			t.Errorf("Compose %d decided with handoff open %v", i, c.State.HandoffOpen)
		}
	}
	if len(d.handoffs) != 1 {
		t.Errorf("OpenHandoff called %d times, want 1", len(d.handoffs))
	}
}

// Validators reject malformed and out-of-place Updates with typed errors.
func TestUpdateValidators(t *testing.T) {
	d := newDesk(t)
	p := params()
	hoID := contact.HandoffID(p.ContactID, 1)
	early := d.update(time.Second/2, contact.UpdateClaim, "early", contact.ClaimRequest{HandoffID: hoID, Agent: "alice"})
	d.say(time.Second, "m1", wantHuman)
	wrongID := d.update(time.Minute, contact.UpdateClaim, "wrong", contact.ClaimRequest{HandoffID: "ho_nope", Agent: "alice"})
	noAgent := d.update(2*time.Minute, contact.UpdateClaim, "anon", contact.ClaimRequest{HandoffID: hoID})
	replyUnclaimed := d.update(3*time.Minute, contact.UpdateReply, "r0", contact.AgentReply{HandoffID: hoID, Agent: "alice", Text: "hi"})
	releaseUnclaimed := d.update(3*time.Minute, contact.UpdateRelease, "rel0", contact.ClaimRequest{HandoffID: hoID, Agent: "alice"})
	claim := d.update(4*time.Minute, contact.UpdateClaim, "c1", contact.ClaimRequest{HandoffID: hoID, Agent: "alice"})
	empty := d.update(5*time.Minute, contact.UpdateReply, "r1", contact.AgentReply{HandoffID: hoID, Agent: "alice"})
	resolveOther := d.update(6*time.Minute, contact.UpdateResolve, "res-bob", contact.ResolveRequest{HandoffID: hoID, Agent: "bob"})
	resolve := d.update(7*time.Minute, contact.UpdateResolve, "res", contact.ResolveRequest{HandoffID: hoID, Agent: "alice"})
	again := d.update(8*time.Minute, contact.UpdateClaim, "c2", contact.ClaimRequest{HandoffID: hoID, Agent: "bob"})
	replyResolved := d.update(9*time.Minute, contact.UpdateReply, "r2", contact.AgentReply{HandoffID: hoID, Agent: "alice", Text: "hi"})
	d.run(p)

	for _, tt := range []struct {
		name string
		res  *updateResult
		want string
	}{
		{"claim before any handoff", early, "not_found"},
		{"claim of unknown handoff", wrongID, "not_found"},
		{"claim without agent", noAgent, "invalid"},
		{"reply to unclaimed handoff", replyUnclaimed, "conflict"},
		{"release of unclaimed handoff", releaseUnclaimed, "conflict"},
		{"empty reply", empty, "invalid"},
		{"resolve by non-owner", resolveOther, "conflict"},
		{"claim after resolve", again, "conflict"},
		{"reply after resolve", replyResolved, "conflict"},
	} {
		if tt.res.accepted || errType(tt.res.rejected) != tt.want {
			t.Errorf("%s: accepted=%v rejected=%v, want rejected %q", tt.name, tt.res.accepted, tt.res.rejected, tt.want)
		}
	}
	if !claim.accepted || !resolve.accepted {
		t.Errorf("valid claim/resolve rejected: %v / %v", claim.rejected, resolve.rejected)
	}
	if len(d.claims) != 1 || len(d.resolves) != 1 {
		t.Errorf("RecordClaim %d, Resolve %d, want 1 and 1", len(d.claims), len(d.resolves))
	}
}

func callbacks(res *updateResult) *testsuiteCallback {
	return &testsuiteCallback{res: res}
}

// testsuiteCallback adapts updateResult to testsuite's UpdateCallbacks.
type testsuiteCallback struct{ res *updateResult }

func (c *testsuiteCallback) Accept()          { c.res.accepted = true }
func (c *testsuiteCallback) Reject(err error) { c.res.rejected = err }
func (c *testsuiteCallback) Complete(v any, err error) {
	c.res.done, c.res.value, c.res.err = true, v, err
}

// The survey goes out at resolution and its answer counts for csatWindow,
// not just the idle timeout: a customer who rates two hours later is heard.
func TestSurveyAnswerAcceptedWithinCSATWindow(t *testing.T) {
	d := newDesk(t)
	p := params()
	hoID := contact.HandoffID(p.ContactID, 1)
	d.say(time.Second, "m1", wantHuman)
	d.update(time.Minute, contact.UpdateClaim, "c1", contact.ClaimRequest{HandoffID: hoID, Agent: "alice"})
	d.update(2*time.Minute, contact.UpdateResolve, "r1", contact.ResolveRequest{HandoffID: hoID, Agent: "alice", Code: "answered"})
	d.say(2*time.Minute+2*time.Hour, "m2", "５")
	d.run(p)

	if len(d.intakes) != 2 || d.intakes[1].CSAT != 5 {
		t.Fatalf("intakes %+v, want the survey answer recorded with CSAT 5 (IdleTimeout is %v, csatWindow %v)", d.intakes, p.IdleTimeout, csatWindow)
	}
	last := d.delivers[len(d.delivers)-1]
	wantReplies(t, last, contact.Reply{Author: contact.AuthorBot, Kind: contact.KindSurvey, Text: thanksText})
}
