package nlu

import "strings"

// englishShorthand maps HK chat spellings and abbreviations to the word they
// stand for, so "pls chk my appt" shares features with "please check my
// appointment". Only general txt-speak belongs here, never whole phrases.
var englishShorthand = map[string]string{
	"u": "you", "ur": "your", "urs": "yours", "r": "are", "y": "why", "pls": "please", "plz": "please",
	"plx": "please", "thx": "thanks", "thks": "thanks", "tks": "thanks", "tq": "thanks", "ty": "thanks",
	"thankyou": "thanks", "thank": "thanks", "appt": "appointment", "appts": "appointment", "acct": "account",
	"pw": "password", "pwd": "password", "msg": "message", "msgs": "message", "tmr": "tomorrow",
	"tmrw": "tomorrow", "2day": "today", "tdy": "today", "wk": "week", "wks": "week", "hr": "hour", "hrs": "hour",
	"min": "minute", "mins": "minute", "info": "information", "pic": "photo", "pics": "photo", "ppl": "people",
	"cuz": "because", "coz": "because", "bc": "because", "b4": "before", "abt": "about", "chk": "check",
	"whr": "where", "wat": "what", "wut": "what", "wht": "what", "hv": "have", "dun": "dont", "cant": "cannot",
	"wont": "will not", "didnt": "did not", "doesnt": "does not", "isnt": "is not", "wasnt": "was not",
	"havent": "have not", "hasnt": "has not", "arent": "are not", "aint": "is not", "gonna": "going to",
	"wanna": "want to", "gotta": "have to", "im": "i am", "ive": "i have", "ill": "i will", "id": "i would",
	"youre": "you are", "whats": "what is", "wheres": "where is", "hows": "how is", "thats": "that is",
	"its": "it is", "pkg": "package", "parcel": "package", "deliv": "delivery", "refunded": "refund",
	"cust": "customer", "svc": "service", "cs": "customer service", "aircon": "air conditioner",
	"ok": "okay", "okok": "okay", "k": "okay", "kk": "okay", "okie": "okay", "hi": "hello", "hey": "hello",
	"hiya": "hello", "yo": "hello", "dont": "do not",
}

// englishContractions expands a clitic ending into separate words.
var englishContractions = []struct{ suffix, repl string }{
	{"n't", " not"}, {"'re", " are"}, {"'ve", " have"}, {"'ll", " will"}, {"'m", " am"}, {"'d", " would"}, {"'s", ""},
}

// normalizeEnglishWord returns the words one written English word stands for:
// "can't" → "can not", "u" → "you", "don't" → "do not".
func normalizeEnglishWord(w string) string {
	switch w {
	case "can't", "cant", "cannot":
		return "can not"
	case "won't":
		return "will not"
	}
	if r, ok := englishShorthand[w]; ok {
		return r
	}
	for _, c := range englishContractions {
		if strings.HasSuffix(w, c.suffix) && len(w) > len(c.suffix) {
			base := w[:len(w)-len(c.suffix)]
			if r, ok := englishShorthand[base]; ok {
				base = r
			}
			return base + c.repl
		}
	}
	return strings.Trim(w, "'")
}

// stem strips the commonest English inflections (a light Porter step 1), so
// "charged", "charges" and "charging" share a feature. Hand-rolled: a full
// stemmer would be overkill for txt-speak and pulls in a dependency.
func stem(w string) string {
	n := len(w)
	switch {
	case n > 5 && strings.HasSuffix(w, "ing"):
		w = w[:n-3]
	case n > 4 && strings.HasSuffix(w, "ied"):
		return w[:n-3] + "y"
	case n > 4 && strings.HasSuffix(w, "ies"):
		return w[:n-3] + "y"
	case n > 4 && strings.HasSuffix(w, "ed"):
		w = w[:n-2]
	case n > 4 && strings.HasSuffix(w, "ly"):
		return w[:n-2]
	case n > 3 && strings.HasSuffix(w, "es") && strings.ContainsAny(w[n-3:n-2], "sxz"):
		return w[:n-2]
	case n > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us"):
		return w[:n-1]
	default:
		return w
	}
	// Undo a doubled final consonant (stopped → stopp → stop).
	if m := len(w); m > 3 && w[m-1] == w[m-2] && !strings.ContainsAny(w[m-1:], "aeiouls") {
		w = w[:m-1]
	}
	return w
}
