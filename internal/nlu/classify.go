package nlu

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"unicode/utf8"
)

// MaxLineBytes is the longest input line RunClassify accepts.
const MaxLineBytes = 1 << 20

type lineError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

type errorLine struct {
	Error lineError `json:"error"`
}

// RunClassify implements `harbordesk classify`: it reads JSON lines
// {"text": "..."} from r and writes one JSON line per input line, in order,
// to w — the understanding Result, or {"error":{"code","message"}} for a line
// that is malformed, lacks text, or fails Validate. Blank lines are skipped.
// Only I/O errors on r or w stop the stream.
func RunClassify(r io.Reader, w io.Writer, c *Classifier) error {
	br := bufio.NewReaderSize(r, 64*1024)
	bw := bufio.NewWriterSize(w, 64*1024)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	for {
		line, tooLong, err := readLine(br)
		if err != nil && !errors.Is(err, io.EOF) {
			return err
		}
		if tooLong {
			if werr := enc.Encode(errorLine{lineError{"too_long", "input line is longer than 1 MB"}}); werr != nil {
				return werr
			}
		} else if t := bytes.TrimSpace(line); len(t) > 0 {
			if werr := enc.Encode(classifyLine(t, c)); werr != nil {
				return werr
			}
		}
		if errors.Is(err, io.EOF) {
			return bw.Flush()
		}
		if br.Buffered() == 0 { // caller may be waiting for an answer
			if ferr := bw.Flush(); ferr != nil {
				return ferr
			}
		}
	}
}

// readLine returns the next line without its newline. A line longer than
// MaxLineBytes is consumed and reported as tooLong.
func readLine(br *bufio.Reader) (line []byte, tooLong bool, err error) {
	var buf []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if len(buf)+len(chunk) > MaxLineBytes+1 {
			tooLong = true
		} else {
			buf = append(buf, chunk...)
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if tooLong {
			buf = nil
		}
		return bytes.TrimSuffix(buf, []byte("\n")), tooLong, err
	}
}

func classifyLine(line []byte, c *Classifier) any {
	if !utf8.Valid(line) {
		return errorLine{lineError{"not_utf8", "input line is not valid UTF-8"}}
	}
	var in struct {
		Text *string `json:"text"`
	}
	if err := json.Unmarshal(line, &in); err != nil {
		return errorLine{lineError{"malformed_json", "input line is not a JSON object with a text field"}}
	}
	if in.Text == nil {
		return errorLine{lineError{"malformed_json", "input object has no text field"}}
	}
	if err := Validate(*in.Text); err != nil {
		return errorLine{lineError{errorCode(err), err.Error()}}
	}
	return c.Understand(*in.Text)
}
