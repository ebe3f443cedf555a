// Package desk is the front door of the contact desk: it turns a customer
// message from any channel into a signal to the contact's durable workflow
// (SignalWithStart), and agents' actions into Updates on it. HTTP handlers
// and channel webhooks call it; it knows Temporal and the store, not HTTP.
package desk

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/harbordesk/harbordesk/internal/config"
	"github.com/harbordesk/harbordesk/internal/contact"
	"github.com/harbordesk/harbordesk/internal/hkcal"
	"github.com/harbordesk/harbordesk/internal/store"
	"github.com/harbordesk/harbordesk/internal/store/contacts"
	"github.com/harbordesk/harbordesk/internal/store/handoffs"
)

// Errors the API maps to status codes.
var (
	ErrNotFound    = errors.New("not found")
	ErrConflict    = errors.New("conflict")
	ErrInvalid     = errors.New("invalid")
	ErrUnavailable = errors.New("dependency unavailable")
	// ErrForbidden is an action the caller's role or ownership does not
	// allow (an agent transferring someone else's handoff).
	ErrForbidden = errors.New("forbidden")
)

// AudioSealer keeps voice notes encrypted until the workflow transcribes them.
type AudioSealer interface {
	Put(ctx context.Context, contactID, mime string, data []byte) (ref string, err error)
}

// Desk holds what intake and agent actions need.
type Desk struct {
	Temporal    client.Client
	Store       *store.Store
	Audio       AudioSealer
	TaskQueue   string
	SLA         string
	AIPercent   int
	IdleTimeout time.Duration
	// AssignTimeout is an assignee's time to claim (HARBORDESK_ASSIGN_TIMEOUT).
	AssignTimeout time.Duration
	Log           *slog.Logger
	// ContactKey keys contact IDs (contact.KeyedID); derive it from the
	// data key so IDs stay the same across restarts and API processes.
	ContactKey []byte
}

// ContactID is the ID a new contact for this channel conversation gets.
func (d *Desk) ContactID(channel, conversationID string) string {
	return contact.KeyedID(d.ContactKey, contact.WorkflowID(channel, conversationID))
}

// Message is one inbound customer message from any channel.
type Message struct {
	Channel, CustomerID, ConversationID, MessageID string
	Text                                           string
	Audio                                          []byte
	AudioMIME                                      string
	ReplyTo                                        contact.ReplyTo
	ReceivedAt                                     time.Time
	// Media is an attachment the workflow fetches from the channel.
	Media *contact.Media
}

// Accepted names the contact a message went to.
type Accepted struct {
	ContactID  string `json:"contact_id"`
	WorkflowID string `json:"workflow_id"`
}

// Receive records the contact and signals (or starts) its workflow. Once it
// returns, the message is durable in Temporal: a crash after this point
// loses nothing, and the same message ID delivered again is answered once.
func (d *Desk) Receive(ctx context.Context, m Message) (Accepted, error) {
	wfID := contact.WorkflowID(m.Channel, m.ConversationID)
	// A contact recorded before keyed IDs keeps the ID it has.
	id, arm, err := d.contactStore().EnsureContact(ctx, contacts.NewContact{ID: d.ContactID(m.Channel, m.ConversationID), WorkflowID: wfID, Channel: m.Channel,
		ConversationID: m.ConversationID, CustomerID: m.CustomerID, Arm: contact.Arm(m.CustomerID, d.AIPercent),
		ReceivedAt: m.ReceivedAt, AfterHours: !hkcal.ServiceDesk.IsOpen(m.ReceivedAt)})
	if err != nil {
		return Accepted{}, d.storeErr(err)
	}
	in := contact.Inbound{MessageID: m.MessageID, Kind: "text", Text: m.Text, ReceivedAt: m.ReceivedAt, ReplyTo: m.ReplyTo, Media: m.Media}
	if len(m.Audio) > 0 {
		ref, err := d.Audio.Put(ctx, id, m.AudioMIME, m.Audio)
		if err != nil {
			return Accepted{}, d.storeErr(err)
		}
		in.Kind, in.Text, in.AudioRef, in.AudioMIME = "voice", "", ref, m.AudioMIME
	}
	params := contact.Params{ContactID: id, Channel: m.Channel, ConversationID: m.ConversationID,
		CustomerID: m.CustomerID, Arm: arm, SLA: d.SLA, IdleTimeout: d.IdleTimeout, AssignTimeout: d.AssignTimeout,
		Rev: contact.RevCurrent}
	_, err = d.Temporal.SignalWithStartWorkflow(ctx, wfID, contact.SignalMessage, in, client.StartWorkflowOptions{
		ID: wfID, TaskQueue: d.TaskQueue,
	}, contact.WorkflowName, params)
	if err != nil {
		d.Log.Error("signal-with-start failed", "workflow_id", wfID, "err", err.Error())
		return Accepted{}, ErrUnavailable
	}
	return Accepted{ContactID: id, WorkflowID: wfID}, nil
}

// FollowUp adds a message from the API to an existing contact. Contacts of
// webhook-only channels (WhatsApp, DingTalk) take none: their customer
// speaks through the signed webhook.
func (d *Desk) FollowUp(ctx context.Context, contactID string, m Message) (Accepted, error) {
	ref, err := d.contactStore().ContactRef(ctx, contactID)
	if err != nil {
		return Accepted{}, d.storeErr(err)
	}
	if contact.WebhookOnly(ref.Channel) {
		return Accepted{}, fmt.Errorf("%w: a %s contact takes customer messages only through its signed webhook", ErrInvalid, ref.Channel)
	}
	m.Channel, m.ConversationID, m.CustomerID = ref.Channel, ref.ConversationID, ref.CustomerID
	return d.Receive(ctx, m)
}

// StartBaseline starts one bare benchmark workflow (see workflows.BaselineWorkflow).
func (d *Desk) StartBaseline(ctx context.Context, id string, at time.Time) error {
	wfID := "baseline/" + id
	_, err := d.Temporal.SignalWithStartWorkflow(ctx, wfID, contact.SignalMessage,
		contact.Inbound{MessageID: id, ReceivedAt: at}, client.StartWorkflowOptions{ID: wfID, TaskQueue: d.TaskQueue},
		"BaselineWorkflow", contact.Params{ContactID: id, IdleTimeout: d.IdleTimeout})
	if err != nil {
		return ErrUnavailable
	}
	return nil
}

// Agent identifies who acts.
type Agent struct {
	Identity string
	Role     string
}

// Claim makes agent the owner of a handoff: the first claimer wins, everyone
// after gets ErrConflict.
func (d *Desk) Claim(ctx context.Context, handoffID string, ag Agent) (handoffs.HandoffView, error) {
	h, err := d.openHandoff(ctx, handoffID)
	if err != nil {
		return h, err
	}
	var out contact.Handoff
	if err := d.update(ctx, h.WorkflowID, contact.UpdateClaim, contact.ClaimRequest{HandoffID: handoffID, Agent: ag.Identity}, &out); err != nil {
		return h, err
	}
	h.State, h.Agent = out.State, out.Agent
	return h, nil
}

// Reply sends an agent's message to the customer.
func (d *Desk) Reply(ctx context.Context, handoffID string, ag Agent, text, messageID string) error {
	return d.AgentReply(ctx, handoffID, ag, AgentMessage{Text: text, MessageID: messageID})
}

// AgentMessage is an agent's reply. AwaitCustomer says the agent asked the
// customer something: the SLA clock pauses until the customer answers.
type AgentMessage struct {
	Text, MessageID string
	AwaitCustomer   bool
}

// AgentReply sends an agent's message to the customer.
func (d *Desk) AgentReply(ctx context.Context, handoffID string, ag Agent, m AgentMessage) error {
	h, err := d.openHandoff(ctx, handoffID)
	if err != nil {
		return err
	}
	return d.update(ctx, h.WorkflowID, contact.UpdateReply, contact.ReplyRequest{
		AgentReply:    contact.AgentReply{HandoffID: handoffID, Agent: ag.Identity, Text: m.Text, MessageID: m.MessageID},
		AwaitCustomer: m.AwaitCustomer}, nil)
}

// Transfer hands a handoff to the agent identified by to. A supervisor (or
// admin) may transfer any handoff, an agent only the one they hold.
func (d *Desk) Transfer(ctx context.Context, handoffID string, ag Agent, to string) (handoffs.HandoffView, error) {
	h, err := d.openHandoff(ctx, handoffID)
	if err != nil {
		return h, err
	}
	sup := config.Role(ag.Role).Allows(config.RoleSupervisor)
	var out contact.Handoff
	if err := d.update(ctx, h.WorkflowID, contact.UpdateTransfer, contact.TransferRequest{
		HandoffID: handoffID, Agent: ag.Identity, To: to, Supervisor: sup}, &out); err != nil {
		return h, err
	}
	h.State, h.Agent = out.State, out.Agent
	return h, nil
}

// Release puts a claimed handoff back in the queue.
func (d *Desk) Release(ctx context.Context, handoffID string, ag Agent) error {
	h, err := d.openHandoff(ctx, handoffID)
	if err != nil {
		return err
	}
	if err := d.update(ctx, h.WorkflowID, contact.UpdateRelease, contact.ClaimRequest{HandoffID: handoffID, Agent: ag.Identity}, nil); err != nil {
		return err
	}
	d.CapacityFreed(ctx, ag.Identity)
	return nil
}

// Resolve closes a handoff with a resolution; the survey goes out. The
// claiming agent or a supervisor may close a claimed handoff; one nobody
// has claimed only a supervisor (checked here and again by the workflow's
// Update validator, which sees the live state).
func (d *Desk) Resolve(ctx context.Context, handoffID string, ag Agent, resolution, code string) error {
	h, err := d.openHandoff(ctx, handoffID)
	if err != nil {
		return err
	}
	sup := config.Role(ag.Role).Allows(config.RoleSupervisor)
	if (h.State == contact.HandoffOpen || h.State == contact.HandoffAssigned) && !sup {
		return fmt.Errorf("%w: closing a handoff nobody has claimed needs a supervisor", ErrForbidden)
	}
	if err := d.update(ctx, h.WorkflowID, contact.UpdateResolve, contact.ResolveRequest{HandoffID: handoffID, Agent: ag.Identity,
		Resolution: resolution, Code: code, Supervisor: sup}, nil); err != nil {
		return err
	}
	if h.Agent != "" {
		d.CapacityFreed(ctx, h.Agent)
	}
	return nil
}

// waitingWake bounds how many queued contacts hear that an agent came online.
const waitingWake = 200

// PresenceChanged tells the contacts routing concerns that an agent's
// presence changed: those whose handoff is assigned to the agent when they
// leave (so it moves on at once), the ones waiting in the open queue when
// they come online. Routing itself decides, in each workflow.
func (d *Desk) PresenceChanged(ctx context.Context, login, status string) error {
	var ids []string
	var err error
	if status == contact.PresenceOnline || status == contact.PresenceCapacity {
		ids, err = d.handoffStore().WorkflowsWaiting(ctx, waitingWake)
	} else {
		ids, err = d.handoffStore().WorkflowsAssignedTo(ctx, login)
	}
	if err != nil {
		return d.storeErr(err)
	}
	sig := contact.PresenceChange{Agent: login, Status: status}
	var failed error
	for _, id := range ids {
		err := d.Temporal.SignalWorkflow(ctx, id, "", contact.SignalPresence, sig)
		var nf *serviceerror.NotFound
		if err != nil && !errors.As(err, &nf) { // a closed contact has nothing to route
			failed = ErrUnavailable
		}
	}
	return failed
}

// CapacityFreed tells waiting contacts, in the background, that agent has
// room for another handoff (after a resolve or release); best effort,
// logged: the periodic look in each workflow catches a lost signal.
func (d *Desk) CapacityFreed(ctx context.Context, agent string) {
	bg, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	go func() {
		defer cancel()
		if err := d.PresenceChanged(bg, agent, contact.PresenceCapacity); err != nil {
			d.Log.Warn("routing not told of freed capacity", "err", err.Error())
		}
	}()
}

// handoffStore is the handoffs store on the desk's pool.
func (d *Desk) handoffStore() *handoffs.Store { return handoffs.New(d.Store.Pool) }

// contactStore is the contacts store on the desk's pool.
func (d *Desk) contactStore() *contacts.Store { return contacts.New(d.Store.Pool) }

func (d *Desk) openHandoff(ctx context.Context, id string) (handoffs.HandoffView, error) {
	h, err := d.handoffStore().Handoff(ctx, id)
	if err != nil {
		return h, d.storeErr(err)
	}
	if h.State == contact.HandoffResolved {
		return h, fmt.Errorf("%w: handoff is resolved", ErrConflict)
	}
	return h, nil
}

func (d *Desk) update(ctx context.Context, workflowID, name string, arg, result any) error {
	var err error
	for wait := 100 * time.Millisecond; ; wait *= 2 {
		err = d.updateOnce(ctx, workflowID, name, arg, result)
		// Every caller found the handoff in the store first; a validator
		// that does not know it yet is a workflow that has not applied the
		// turn that opened it (the store commits inside that turn's
		// activity). Give it a moment rather than answer 404.
		var appErr *temporal.ApplicationError
		if !errors.As(err, &appErr) || appErr.Type() != "not_found" || wait > 1600*time.Millisecond {
			break
		}
		select {
		case <-ctx.Done():
			return ErrUnavailable
		case <-time.After(wait):
		}
	}
	return d.updateErr(workflowID, name, err)
}

func (d *Desk) updateOnce(ctx context.Context, workflowID, name string, arg, result any) error {
	handle, err := d.Temporal.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		WorkflowID: workflowID, UpdateName: name, Args: []any{arg},
		WaitForStage: client.WorkflowUpdateStageCompleted,
	})
	if err == nil {
		err = handle.Get(ctx, result)
	}
	return err
}

// updateErr maps an Update's outcome to the desk's errors.
func (d *Desk) updateErr(workflowID, name string, err error) error {
	if err == nil {
		return nil
	}
	var appErr *temporal.ApplicationError
	var nf *serviceerror.NotFound
	switch {
	case errors.As(err, &appErr) && appErr.Type() == "conflict":
		return fmt.Errorf("%w: %s", ErrConflict, appErr.Message())
	case errors.As(err, &appErr) && appErr.Type() == "not_found":
		return ErrNotFound
	case errors.As(err, &appErr) && appErr.Type() == "forbidden":
		return fmt.Errorf("%w: %s", ErrForbidden, appErr.Message())
	case errors.As(err, &appErr) && appErr.Type() == "invalid":
		return fmt.Errorf("%w: %s", ErrInvalid, appErr.Message())
	case errors.As(err, &appErr) && appErr.Type() == "refused":
		// activities.ErrRefused: the database refused the text for what it
		// says (e.g. a character it cannot store); retrying cannot help.
		return fmt.Errorf("%w: the text cannot be stored", ErrInvalid)
	case errors.As(err, &nf):
		return fmt.Errorf("%w: contact is closed", ErrConflict)
	}
	d.Log.Error("update failed", "workflow_id", workflowID, "update", name, "err", err.Error())
	return ErrUnavailable
}

func (d *Desk) storeErr(err error) error {
	switch {
	case errors.Is(err, store.ErrNotFound):
		return ErrNotFound
	case errors.Is(err, store.ErrConflict):
		return ErrConflict
	}
	d.Log.Error("store failed", "err", err.Error())
	return ErrUnavailable
}
