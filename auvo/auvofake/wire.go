package auvofake

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/auvosync/auvosync/internal/brtime"
)

// entityTime is the layout of entity timestamps and filter dates.
const entityTime = "2006-01-02T15:04:05"

// saoPaulo: Auvo's zone-less timestamps are São Paulo time, whatever the host's zone.
var saoPaulo = brtime.SaoPaulo

// FormatTime renders t as Auvo does: São Paulo wall time without a zone.
// The zero time renders as "".
func FormatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(saoPaulo).Format(entityTime)
}

// parseFilterTime reads a filter date: "yyyy-MM-ddTHH:mm:ss" (fractions and a
// date alone are tolerated) in São Paulo time.
func parseFilterTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{entityTime, "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, saoPaulo); err == nil {
			return t, nil
		}
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Time{}, errors.New("the date must be in the format yyyy-MM-ddTHH:mm:ss")
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		writeRaw(w, http.StatusInternalServerError, `{"message":"fake: encoding failed"}`)
		return
	}
	writeRaw(w, status, string(data))
}

func writeResult(w http.ResponseWriter, status int, v any) {
	writeJSON(w, status, map[string]any{"result": v})
}

func isJSON(r *http.Request) bool {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return err == nil && (mt == "application/json" || strings.HasSuffix(mt, "+json"))
}

// lowerQuery reads query parameters by lower-cased name: ASP.NET binds
// them without regard to case ("Page" and "page").
func lowerQuery(r *http.Request) map[string]string {
	out := map[string]string{}
	for k, vs := range r.URL.Query() {
		if len(vs) > 0 {
			out[strings.ToLower(k)] = vs[0]
		}
	}
	return out
}

const maxBody = 4 << 20

func readBody(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	data, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil || len(data) > maxBody {
		writeJSON(w, http.StatusBadRequest, map[string][]string{"": {"The request body could not be read."}})
		return nil, false
	}
	return data, true
}

// decodeObject reads a JSON object body with lower-cased keys, since
// ASP.NET matches property names without regard to case.
func decodeObject(w http.ResponseWriter, r *http.Request) (map[string]json.RawMessage, bool) {
	data, ok := readBody(w, r)
	if !ok {
		return nil, false
	}
	obj, err := lowerKeys(data)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string][]string{"": {"The input was not valid JSON: " + err.Error()}})
		return nil, false
	}
	return obj, true
}

func lowerKeys(data []byte) (map[string]json.RawMessage, error) {
	var raw map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&raw); err != nil {
		return nil, err
	}
	if raw == nil {
		return nil, errors.New("expected a JSON object")
	}
	out := make(map[string]json.RawMessage, len(raw))
	for k, v := range raw {
		out[strings.ToLower(k)] = v
	}
	return out, nil
}

func isNull(raw json.RawMessage) bool {
	return len(bytes.TrimSpace(raw)) == 0 || string(bytes.TrimSpace(raw)) == "null"
}

// shape is how one endpoint spells the two quirky fields in its answers.
type shape struct {
	nameKey           string // "description" or "name"
	capitalComplement bool   // "AdressComplement" instead of "adressComplement"
}

var (
	shapeRead   = shape{nameKey: "description"}                          // GET and list
	shapeCreate = shape{nameKey: "name"}                                 // POST
	shapeUpsert = shape{nameKey: "description", capitalComplement: true} // PUT
	shapePatch  = shape{nameKey: "name", capitalComplement: true}        // PATCH
)

type wireContact struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	JobPosition string `json:"jobPosition"`
	Email       string `json:"email"`
	Phone       string `json:"phone"`
}

// encodeCustomer builds an answer body in the field order of the Blueprint.
func encodeCustomer(c *Customer, sh shape) json.RawMessage {
	var b bytes.Buffer
	b.WriteByte('{')
	first := true
	put := func(key string, v any) {
		data, err := json.Marshal(v)
		if err != nil {
			data = []byte("null")
		}
		if !first {
			b.WriteByte(',')
		}
		first = false
		b.WriteString(strconv.Quote(key))
		b.WriteByte(':')
		b.Write(data)
	}
	put("id", c.ID)
	put("externalId", c.ExternalID)
	put(sh.nameKey, c.Name)
	put("cpfCnpj", c.CpfCnpj)
	put("phoneNumber", c.PhoneNumbers)
	put("email", c.Emails)
	put("manager", c.Manager)
	put("managerJobPosition", c.ManagerJobPosition)
	put("note", c.Note)
	put("address", c.Address)
	put("latitude", c.Latitude)
	put("longitude", c.Longitude)
	put("maximumVisitTime", c.MaximumVisitTime)
	put("unitMaximumTime", c.UnitMaximumTime)
	put("groupsId", c.GroupIDs)
	put("managerTeamsId", c.ManagerTeamIDs)
	put("managersId", c.ManagerIDs)
	put("segmentId", c.SegmentID)
	put("active", c.Active)
	if sh.capitalComplement {
		put("AdressComplement", c.AddressComplement)
	} else {
		put("adressComplement", c.AddressComplement)
	}
	put("creationDate", FormatTime(c.CreationDate))
	put("dateLastUpdate", FormatTime(c.DateLastUpdate))
	contacts := make([]wireContact, 0, len(c.Contacts))
	for _, ct := range c.Contacts {
		contacts = append(contacts, wireContact(ct))
	}
	put("contacts", contacts)
	put("uriAnexos", []string{})
	b.WriteByte('}')
	return b.Bytes()
}

// fieldError is a validation failure reported as {"field": ["message"]}.
type fieldError struct {
	field, msg string
}

func (e *fieldError) Error() string { return e.field + ": " + e.msg }

func notConvertible(field, typ string) error {
	return &fieldError{field: field, msg: "The JSON value could not be converted to " + typ + "."}
}

func decodeString(field string, raw json.RawMessage) (string, error) {
	if isNull(raw) {
		return "", nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", notConvertible(field, "System.String")
	}
	return s, nil
}

func decodeStrings(field string, raw json.RawMessage) ([]string, error) {
	if isNull(raw) {
		return nil, nil
	}
	var list []string
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, notConvertible(field, "System.Collections.Generic.List`1[System.String]")
	}
	return list, nil
}

func decodeInts(field string, raw json.RawMessage) ([]int64, error) {
	if isNull(raw) {
		return nil, nil
	}
	var list []int64
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, notConvertible(field, "System.Collections.Generic.List`1[System.Int32]")
	}
	return list, nil
}

func decodeInt(field string, raw json.RawMessage) (int64, error) {
	if isNull(raw) {
		return 0, nil
	}
	var n int64
	if err := json.Unmarshal(raw, &n); err != nil {
		return 0, notConvertible(field, "System.Int32")
	}
	return n, nil
}

// decodeFloat accepts a number or a numeric string: the Blueprint's
// attribute list calls latitude and longitude strings, its schema numbers.
func decodeFloat(field string, raw json.RawMessage) (float64, error) {
	if isNull(raw) {
		return 0, nil
	}
	var f float64
	if err := json.Unmarshal(raw, &f); err == nil {
		return f, nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		if f, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err == nil {
			return f, nil
		}
	}
	return 0, notConvertible(field, "System.Double")
}

func decodeBool(field string, raw json.RawMessage) (*bool, error) {
	if isNull(raw) {
		return nil, nil
	}
	var v bool
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, notConvertible(field, "System.Nullable`1[System.Boolean]")
	}
	return &v, nil
}

// setField applies one writable attribute (lower-cased name) to c. ok is
// false for a name that is not a writable customer attribute.
func setField(c *Customer, name string, raw json.RawMessage) (ok bool, err error) {
	display := fieldNames[name]
	str := func(dst *string) error {
		v, err := decodeString(display, raw)
		*dst = v
		return err
	}
	switch name {
	case "externalid":
		return true, str(&c.ExternalID)
	case "name", "description":
		return true, str(&c.Name)
	case "cpfcnpj":
		return true, str(&c.CpfCnpj)
	case "manager":
		return true, str(&c.Manager)
	case "managerjobposition":
		return true, str(&c.ManagerJobPosition)
	case "note":
		return true, str(&c.Note)
	case "address":
		return true, str(&c.Address)
	case "adresscomplement":
		return true, str(&c.AddressComplement)
	case "phonenumber":
		c.PhoneNumbers, err = decodeStrings(display, raw)
		return true, err
	case "email":
		c.Emails, err = decodeStrings(display, raw)
		return true, err
	case "latitude":
		c.Latitude, err = decodeFloat(display, raw)
		return true, err
	case "longitude":
		c.Longitude, err = decodeFloat(display, raw)
		return true, err
	case "maximumvisittime", "unitmaximumtime":
		var n int64
		n, err = decodeInt(display, raw)
		if name == "maximumvisittime" {
			c.MaximumVisitTime = int(n)
		} else {
			c.UnitMaximumTime = int(n)
		}
		return true, err
	case "segmentid":
		c.SegmentID, err = decodeInt(display, raw)
		return true, err
	case "groupsid":
		c.GroupIDs, err = decodeInts(display, raw)
		return true, err
	case "managerteamsid":
		c.ManagerTeamIDs, err = decodeInts(display, raw)
		return true, err
	case "managersid":
		c.ManagerIDs, err = decodeInts(display, raw)
		return true, err
	case "active":
		var b *bool
		b, err = decodeBool(display, raw)
		if b != nil {
			c.Active = *b
		}
		return true, err
	}
	return false, nil
}

// fieldNames spells attribute names as the Blueprint does, for messages.
var fieldNames = map[string]string{
	"externalid": "externalId", "name": "name", "description": "description", "cpfcnpj": "cpfCnpj",
	"phonenumber": "phoneNumber", "email": "email", "manager": "manager",
	"managerjobposition": "managerJobPosition", "note": "note", "address": "address",
	"adresscomplement": "adressComplement", "latitude": "latitude", "longitude": "longitude",
	"maximumvisittime": "maximumVisitTime", "unitmaximumtime": "unitMaximumTime",
	"segmentid": "segmentId", "groupsid": "groupsId", "managerteamsid": "managerTeamsId",
	"managersid": "managersId", "active": "active",
}

// writableFields lists the attributes POST and PUT replace, in a stable
// order (so a body with two bad fields reports the same one first).
var writableFields = []string{
	"externalid", "name", "description", "cpfcnpj", "phonenumber", "email", "manager",
	"managerjobposition", "note", "address", "adresscomplement", "latitude", "longitude",
	"maximumvisittime", "unitmaximumtime", "segmentid", "groupsid", "managerteamsid",
	"managersid", "active",
}
