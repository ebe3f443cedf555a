package nlu

import (
	"slices"
	"strings"
)

// The reading's intent and negative flag come from the models, then from
// these pure decisions, so that the urgent signal follows the contract
// whatever the wording, and out-of-scope text is not forced into a class.

// clearlyNegative is the sentiment at or below which a message is urgent on
// tone alone (CONTRACT.md: "clearly negative sentiment").
const clearlyNegative = -0.5

// outOfScopeConfidence is the intent probability below which the reading is
// "other": the models do not know what the customer wants, so a person
// should look (Priority routes "other" to the queue). Chosen so the own
// held-out intent accuracy stays ≥ 0.92 while out-of-scope public queries
// (clinc150, banking77) mostly read as other.
const outOfScopeConfidence = 0.45

// urgentIntentFloor is the least negative-model probability with which an
// urgent intent makes the reading negative: below it the model sees no
// urgency at all (praise mentioning a past problem), and the intent is the
// weaker evidence.
const urgentIntentFloor = 0.2

// urgentIntents are the intents whose reading is negative unless the text
// is plainly a neutral question about the policy or a process.
var urgentIntents = []string{"refund_request", "damaged_item", "complaint"}

// decideNegative is the negative-signal rule:
//   - a threat (Consumer Council, media, police, lawyer) or anger/profanity
//     signal from the lexicon is always urgent;
//   - so is the negative-signal model's probability at or above its threshold,
//   - and clearly negative sentiment;
//   - a refund_request, damaged_item or complaint reading is urgent unless
//     the text is a neutral question (isNeutralQuestion), so the flag never
//     contradicts the intent.
func decideNegative(intent string, p, sentiment float64, signals []string, folded string) bool {
	switch {
	case slices.Contains(signals, "threat") || slices.Contains(signals, "anger"):
		return true
	case p >= negativeThreshold, sentiment <= clearlyNegative:
		return true
	case slices.Contains(urgentIntents, intent) && p >= urgentIntentFloor:
		return !isNeutralQuestion(folded, sentiment)
	}
	return false
}

// neutralQuestionCues mark a question about rules, times or procedure, a
// hypothetical, or a suggestion (folded spellings).
var neutralQuestionCues = []string{
	"?", "请问", "想问", "问下", "如果", "假如", "万一", "几时", "几耐", "几多", "多久", "多少", "点样", "点做", "怎么", "怎样", "如何",
	"可唔可以", "可不可以", "能不能", "能否", "可否", "是否", "系咪", "使唔使", "要唔要", "需唔需要", "需不需要", "会唔会", "会不会", "政策", "流程", "手续", "规定",
	"建议", "意见", "提议", "吗", "呢", "咩", "嘛",
	"how ", "what ", "when ", "where ", "which ", "can i", "could i", "do i", "do you", "does ", "is it", "is there", "will ", "should i", "would ",
	"what if", "if ", "policy", "process", "suggest", "feedback", "procedure",
}

// isNeutralQuestion reports a plainly neutral question: question form or a
// policy/procedure/suggestion cue, and no negative tone.
func isNeutralQuestion(folded string, sentiment float64) bool {
	if sentiment < -0.2 {
		return false
	}
	s := folded + " "
	for _, c := range neutralQuestionCues {
		if strings.Contains(s, c) {
			return true
		}
	}
	return false
}

// decideIntent turns a low-confidence reading into "other" (out of scope,
// to a person) unless the message is urgent: an urgent message the model
// cannot place is still a complaint to handle, not an unknown.
func decideIntent(best string, confidence float64, negative bool) string {
	if negative && best == "smalltalk" {
		return "complaint" // urgent small talk is sarcasm or urging ("thanks for nothing", 唔該快啲)
	}
	if confidence >= outOfScopeConfidence || best == "other" {
		return best
	}
	if negative {
		if best == "smalltalk" || best == "place_order" || best == "business_hours" || best == "return_policy" {
			return "complaint"
		}
		return best
	}
	return "other"
}
