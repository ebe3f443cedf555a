package nlu

import "testing"

func TestDecideNegative(t *testing.T) {
	cases := []struct {
		name    string
		intent  string
		p, sent float64
		signals []string
		text    string
		want    bool
	}{
		{"threat signal", "other", 0, 0.5, []string{"threat"}, "x", true},
		{"anger signal", "smalltalk", 0, 0, []string{"anger"}, "x", true},
		{"model above threshold", "order_status", 0.9, 0, nil, "x", true},
		{"clearly negative tone", "order_status", 0, -0.6, nil, "x", true},
		{"refund demand", "refund_request", 0.25, 0, nil, "refund me now", true},
		{"refund policy question", "refund_request", 0.25, 0, nil, "how long does a refund take?", false},
		{"hypothetical damage", "damaged_item", 0.25, 0, nil, "what if it arrives damaged", false},
		{"Cantonese procedure question", "refund_request", 0.25, 0, nil, fold("退款要幾耐？"), false},
		{"angry question stays urgent", "complaint", 0.25, -0.4, nil, "why is nobody answering?", true},
		{"no urgency evidence at all", "complaint", 0.05, 0.3, nil, "great staff, thanks", false},
		{"neutral intent", "business_hours", 0.1, 0, nil, "open sunday", false},
	}
	for _, c := range cases {
		if got := decideNegative(c.intent, c.p, c.sent, c.signals, c.text); got != c.want {
			t.Errorf("%s: decideNegative = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestDecideIntent(t *testing.T) {
	cases := []struct {
		best string
		conf float64
		neg  bool
		want string
	}{
		{"place_order", 0.9, false, "place_order"},
		{"place_order", 0.3, false, "other"},
		{"place_order", 0.3, true, "complaint"},
		{"order_status", 0.3, true, "order_status"},
		{"other", 0.2, false, "other"},
		{"smalltalk", 0.9, true, "complaint"},
		{"smalltalk", 0.9, false, "smalltalk"},
	}
	for _, c := range cases {
		if got := decideIntent(c.best, c.conf, c.neg); got != c.want {
			t.Errorf("decideIntent(%s, %.1f, %v) = %s, want %s", c.best, c.conf, c.neg, got, c.want)
		}
	}
}

// TestUnderstandRealWorldShapes pins general behaviour named in issue 13:
// informal anger and non-delivery are urgent, out-of-scope text is other.
func TestUnderstandRealWorldShapes(t *testing.T) {
	c := Default()
	for _, text := range []string{"wtf where is my parcel", "never recieved my order, refund me", "垃圾服務，激氣", "搞錯呀，仲未到", "on9 公司"} {
		if r := c.Understand(text); !r.Negative {
			t.Errorf("%q: negative = false, want true (intent %s)", text, r.Intent)
		}
	}
	for _, text := range []string{"what's the weather like in Paris tomorrow", "how do I convert cups to grams"} {
		if r := c.Understand(text); r.Intent != "other" {
			t.Errorf("%q: intent = %s (%.2f), want other", text, r.Intent, r.Confidence)
		}
	}
}
