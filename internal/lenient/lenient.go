// Package lenient decodes JSON values that vendors send in more than one
// shape (a code as a number or a string, a CEP as a number, null for empty),
// so that one odd field does not fail a whole page.
package lenient

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// String reads a string, a number or null ("").
type String string

func (s *String) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if len(data) == 0 || string(data) == "null" {
		*s = ""
		return nil
	}
	if data[0] == '"' {
		var v string
		if err := json.Unmarshal(data, &v); err != nil {
			return err
		}
		*s = String(v)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(data, &n); err != nil {
		return fmt.Errorf("expected a string, got %.20s", data)
	}
	*s = String(n.String())
	return nil
}

// Int reads an integer, a numeric string, a float with no fraction, or
// null / "" (0).
type Int int64

func (n *Int) UnmarshalJSON(data []byte) error {
	s := strings.TrimSpace(strings.Trim(string(bytes.TrimSpace(data)), `"`))
	if s == "" || s == "null" {
		*n = 0
		return nil
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		f, ferr := strconv.ParseFloat(s, 64)
		if ferr != nil || f != float64(int64(f)) {
			return fmt.Errorf("not an integer: %.20s", data)
		}
		v = int64(f)
	}
	*n = Int(v)
	return nil
}

// Float reads a number, a numeric string (with a decimal point or comma)
// or null (0).
type Float float64

func (f *Float) UnmarshalJSON(data []byte) error {
	s := strings.TrimSpace(strings.Trim(string(bytes.TrimSpace(data)), `"`))
	if s == "" || s == "null" {
		*f = 0
		return nil
	}
	v, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64)
	if err != nil {
		return fmt.Errorf("not a number: %.20s", data)
	}
	*f = Float(v)
	return nil
}
