package auvo

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/auvosync/auvosync/internal/lenient"
)

// Customer is an Auvo customer.
//
// Reading absorbs Auvo's inconsistencies: the id arrives as "id" or
// "customerId"; the name as "name" (POST and PATCH answers) or "description"
// (GET, list and PUT answers); the complement as "adressComplement" or
// "AdressComplement"; phones and e-mails as arrays (a lone string is
// accepted); latitude and longitude as numbers or numeric strings;
// timestamps without zone, in São Paulo time.
//
// Writing sends what each endpoint documents: POST gets "name"; PUT gets
// "description" (required there by the Blueprint) and also "name" (what
// live integrations send on PUT); PATCH paths use "name". Phones, e-mails and
// the text fields are always sent, so an empty value clears the field;
// reference ids (segment, groups, managers) are sent only when set, since
// they must exist in Auvo.
type Customer struct {
	ID                 int64
	ExternalID         string
	Name               string
	Document           string
	PhoneNumbers       []string
	Emails             []string
	Manager            string
	ManagerJobPosition string
	Note               string
	Address            string
	AddressComplement  string
	// Active is always sent on writes: the zero value creates an inactive
	// customer.
	Active bool
	// Latitude and Longitude are sent only when one of them is non-zero.
	Latitude, Longitude float64
	MaximumVisitTime    int
	UnitMaximumTime     int
	SegmentID           int64
	GroupIDs            []int64
	ManagerTeamIDs      []int64
	ManagerIDs          []int64
	Contacts            []Contact
	// AttachmentURLs are the "uriAnexos" Auvo returns; read-only.
	AttachmentURLs []string
	// CreationDate and DateLastUpdate are set by Auvo; read-only.
	CreationDate   time.Time
	DateLastUpdate time.Time
}

// Contact is a person attached to a customer. On Upsert an item with an ID
// updates that contact and one without is created.
type Contact struct {
	ID          int64  `json:"id,omitempty"`
	Name        string `json:"name"`
	JobPosition string `json:"jobPosition"`
	Email       string `json:"email"`
	Phone       string `json:"phone"`
}

// customerIn is the read shape, every spelling Auvo uses.
type customerIn struct {
	ID                 flexInt    `json:"id"`
	CustomerID         flexInt    `json:"customerId"`
	ExternalID         flexString `json:"externalId"`
	Name               string     `json:"name"`
	Description        string     `json:"description"`
	Document           flexString `json:"cpfCnpj"`
	PhoneNumber        stringList `json:"phoneNumber"`
	Email              stringList `json:"email"`
	Manager            string     `json:"manager"`
	ManagerJobPosition string     `json:"managerJobPosition"`
	Note               string     `json:"note"`
	Address            string     `json:"address"`
	AdressComplement   string     `json:"adressComplement"`
	AdressComplementUp string     `json:"AdressComplement"`
	Latitude           flexFloat  `json:"latitude"`
	Longitude          flexFloat  `json:"longitude"`
	MaximumVisitTime   flexInt    `json:"maximumVisitTime"`
	UnitMaximumTime    flexInt    `json:"unitMaximumTime"`
	SegmentID          flexInt    `json:"segmentId"`
	GroupsID           []int64    `json:"groupsId"`
	ManagerTeamsID     []int64    `json:"managerTeamsId"`
	ManagersID         []int64    `json:"managersId"`
	Active             *bool      `json:"active"`
	Contacts           []Contact  `json:"contacts"`
	URIAnexos          []string   `json:"uriAnexos"`
	CreationDate       auvoTime   `json:"creationDate"`
	DateLastUpdate     auvoTime   `json:"dateLastUpdate"`
}

// UnmarshalJSON reads a customer in any of the shapes Auvo answers with.
func (c *Customer) UnmarshalJSON(data []byte) error {
	var in customerIn
	if err := json.Unmarshal(data, &in); err != nil {
		return fmt.Errorf("auvo: decoding customer: %w", err)
	}
	*c = Customer{
		ID:                 int64(in.ID),
		ExternalID:         string(in.ExternalID),
		Name:               firstNonEmpty(in.Name, in.Description),
		Document:           string(in.Document),
		PhoneNumbers:       in.PhoneNumber,
		Emails:             in.Email,
		Manager:            in.Manager,
		ManagerJobPosition: in.ManagerJobPosition,
		Note:               in.Note,
		Address:            in.Address,
		AddressComplement:  firstNonEmpty(in.AdressComplement, in.AdressComplementUp),
		Active:             in.Active != nil && *in.Active,
		Latitude:           float64(in.Latitude),
		Longitude:          float64(in.Longitude),
		MaximumVisitTime:   int(in.MaximumVisitTime),
		UnitMaximumTime:    int(in.UnitMaximumTime),
		SegmentID:          int64(in.SegmentID),
		GroupIDs:           in.GroupsID,
		ManagerTeamIDs:     in.ManagerTeamsID,
		ManagerIDs:         in.ManagersID,
		Contacts:           in.Contacts,
		AttachmentURLs:     in.URIAnexos,
		CreationDate:       time.Time(in.CreationDate),
		DateLastUpdate:     time.Time(in.DateLastUpdate),
	}
	if c.ID == 0 {
		c.ID = int64(in.CustomerID)
	}
	return nil
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}

// customerOut is the write shape. nameKey decides which name keys go out.
type customerOut struct {
	ID                 int64     `json:"id,omitempty"`
	ExternalID         string    `json:"externalId"`
	Name               string    `json:"name,omitempty"`
	Description        string    `json:"description,omitempty"`
	Document           string    `json:"cpfCnpj"`
	PhoneNumber        []string  `json:"phoneNumber"`
	Email              []string  `json:"email"`
	Manager            string    `json:"manager,omitempty"`
	ManagerJobPosition string    `json:"managerJobPosition,omitempty"`
	Note               string    `json:"note"`
	Address            string    `json:"address"`
	AdressComplement   string    `json:"adressComplement"`
	Latitude           *float64  `json:"latitude,omitempty"`
	Longitude          *float64  `json:"longitude,omitempty"`
	MaximumVisitTime   int       `json:"maximumVisitTime,omitempty"`
	UnitMaximumTime    int       `json:"unitMaximumTime,omitempty"`
	SegmentID          int64     `json:"segmentId,omitempty"`
	GroupsID           []int64   `json:"groupsId,omitempty"`
	ManagerTeamsID     []int64   `json:"managerTeamsId,omitempty"`
	ManagersID         []int64   `json:"managersId,omitempty"`
	Active             bool      `json:"active"`
	Contacts           []Contact `json:"contacts,omitempty"`
	URIAnexos          []string  `json:"uriAnexos,omitempty"`
	CreationDate       string    `json:"creationDate,omitempty"`
	DateLastUpdate     string    `json:"dateLastUpdate,omitempty"`
}

type nameKeys int

const (
	nameOnly           nameKeys = iota + 1 // POST
	nameAndDescription                     // PUT, and MarshalJSON
)

func (c Customer) out(keys nameKeys) customerOut {
	o := customerOut{
		ID:                 c.ID,
		ExternalID:         c.ExternalID,
		Name:               c.Name,
		Document:           c.Document,
		PhoneNumber:        nonNil(c.PhoneNumbers),
		Email:              nonNil(c.Emails),
		Manager:            c.Manager,
		ManagerJobPosition: c.ManagerJobPosition,
		Note:               c.Note,
		Address:            c.Address,
		AdressComplement:   c.AddressComplement,
		MaximumVisitTime:   c.MaximumVisitTime,
		UnitMaximumTime:    c.UnitMaximumTime,
		SegmentID:          c.SegmentID,
		GroupsID:           c.GroupIDs,
		ManagerTeamsID:     c.ManagerTeamIDs,
		ManagersID:         c.ManagerIDs,
		Active:             c.Active,
		Contacts:           c.Contacts,
	}
	if keys == nameAndDescription {
		o.Description = c.Name
	}
	if c.Latitude != 0 || c.Longitude != 0 {
		lat, lng := c.Latitude, c.Longitude
		o.Latitude, o.Longitude = &lat, &lng
	}
	return o
}

func nonNil(list []string) []string {
	if list == nil {
		return []string{}
	}
	return list
}

// MarshalJSON writes the customer in Auvo's spelling, with the name under
// both "name" and "description" and the read-only fields included, so that
// UnmarshalJSON reads it back unchanged.
func (c Customer) MarshalJSON() ([]byte, error) {
	o := c.out(nameAndDescription)
	o.URIAnexos = c.AttachmentURLs
	o.CreationDate = FormatTime(c.CreationDate)
	o.DateLastUpdate = FormatTime(c.DateLastUpdate)
	return json.Marshal(o)
}

// stringList reads an array of strings, a lone string or null.
type stringList []string

func (l *stringList) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	switch {
	case string(data) == "null":
		*l = nil
		return nil
	case len(data) > 0 && data[0] == '"':
		var v string
		if err := json.Unmarshal(data, &v); err != nil {
			return err
		}
		if strings.TrimSpace(v) == "" {
			*l = nil
		} else {
			*l = stringList{v}
		}
		return nil
	}
	var v []string
	if err := json.Unmarshal(data, &v); err != nil {
		return fmt.Errorf("not a list of strings: %s", data)
	}
	*l = v
	return nil
}

// auvoTime reads Auvo's zone-less São Paulo timestamps.
type auvoTime time.Time

func (t *auvoTime) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if string(data) == "null" {
		*t = auvoTime{}
		return nil
	}
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return fmt.Errorf("not a timestamp: %s", data)
	}
	parsed, err := ParseTime(s)
	if err != nil {
		return err
	}
	*t = auvoTime(parsed)
	return nil
}

// The vendor sends these fields in more than one JSON shape.
type flexInt = lenient.Int
type flexFloat = lenient.Float
type flexString = lenient.String
