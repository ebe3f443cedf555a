package kb

import (
	"sync"

	"github.com/longbridgeapp/opencc"
)

// Script conversion uses OpenCC's dictionaries (phrase-aware, maintained
// upstream) rather than a hand-made character table.
var (
	ccOnce       sync.Once
	ccT2S, ccS2T *opencc.OpenCC
	ccErr        error
)

func converters() (t2s, s2t *opencc.OpenCC, err error) {
	ccOnce.Do(func() {
		if ccT2S, ccErr = opencc.New("t2s"); ccErr != nil {
			return
		}
		// s2hk: Hong Kong standard forms for the Traditional side.
		ccS2T, ccErr = opencc.New("s2hk")
	})
	return ccT2S, ccS2T, ccErr
}

// ToSimplified converts Traditional Chinese text to Simplified; text without
// Han characters comes back unchanged.
func ToSimplified(s string) (string, error) {
	t2s, _, err := converters()
	if err != nil {
		return "", err
	}
	return t2s.Convert(s)
}

// ToTraditional converts Simplified Chinese text to Hong Kong Traditional.
func ToTraditional(s string) (string, error) {
	_, s2t, err := converters()
	if err != nil {
		return "", err
	}
	return s2t.Convert(s)
}

// FillHans sets each article's zh-Hans version to the OpenCC t2s conversion
// of its zh-Hant version (articles without zh-Hant are left alone).
func FillHans(arts []Article) error {
	for i := range arts {
		v, ok := arts[i].Versions[LocaleZhHant]
		if !ok {
			continue
		}
		title, err := ToSimplified(v.Title)
		if err != nil {
			return err
		}
		body, err := ToSimplified(v.Body)
		if err != nil {
			return err
		}
		arts[i].Versions[LocaleZhHans] = Version{Title: title, Body: body}
	}
	return nil
}
