package syncrules

import (
	"time"

	"github.com/auvosync/auvosync/address"
)

// Customer is the canonical customer that flows translate vendor records into
// and out of. It holds plain values only; which of them a flow keeps in sync
// is given by Flow.Fields.
type Customer struct {
	// ID is the record's ID in its own system (Auvo or the partner).
	ID string
	// Name is the customer's (company or person) name.
	Name string
	// Document is the CPF/CNPJ as the source gave it, raw; see
	// ValidateDocument for the comparable form.
	Document string
	Phones   []Phone
	Emails   []string
	// Address is the structured address. Its Complement is not used: the
	// complement lives in Customer.Complement, because Auvo keeps it in a
	// field of its own.
	Address address.Address
	// AddressLine is Auvo's one free-text line when the record came from
	// Auvo, or the partner's address formatted as that line (R-ADDR-6).
	AddressLine string
	Complement  string
	Note        string
	Active      bool
	// ExternalCode is Auvo's externalId: the partner ID the customer is
	// linked to. Never a synced field (R-UPD-1).
	ExternalCode string
	// Tags are Omie's tags (R-TAG); Profiles are Conta Azul's profiles
	// (R-PROFILE), in either the list or the object spelling.
	Tags     []string
	Profiles []string
	// Modified is the vendor's last-modification time, used to let the most
	// recent change win when both sides changed (R-UPD-3).
	Modified time.Time
}
