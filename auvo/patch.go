package auvo

import (
	"strings"
)

// Attribute names for Patch paths, as Auvo's CustomerPatch spells them
// (including the misspelt "adressComplement").
const (
	FieldExternalID         = "externalId"
	FieldName               = "name"
	FieldDocument           = "cpfCnpj"
	FieldPhoneNumber        = "phoneNumber"
	FieldEmail              = "email"
	FieldManager            = "manager"
	FieldManagerJobPosition = "managerJobPosition"
	FieldNote               = "note"
	FieldAddress            = "address"
	FieldAddressComplement  = "adressComplement"
	FieldLatitude           = "latitude"
	FieldLongitude          = "longitude"
	FieldMaximumVisitTime   = "maximumVisitTime"
	FieldUnitMaximumTime    = "unitMaximumTime"
	FieldGroupIDs           = "groupsId"
	FieldManagerTeamIDs     = "managerTeamsId"
	FieldManagerIDs         = "managersId"
	FieldSegmentID          = "segmentId"
	FieldActive             = "active"
)

// PatchOp is one JSON Patch operation.
type PatchOp struct {
	Op    string `json:"op"`
	Path  string `json:"path"`
	Value any    `json:"value,omitempty"`
}

// Replace sets field (a Field constant) to value. The path is sent without
// a leading slash, as in Auvo's own example; "/name" is accepted too.
func Replace(field string, value any) PatchOp {
	return PatchOp{Op: "replace", Path: patchPath(field), Value: value}
}

// Remove clears field.
func Remove(field string) PatchOp {
	return PatchOp{Op: "remove", Path: patchPath(field)}
}

func patchPath(field string) string {
	return strings.TrimPrefix(strings.TrimSpace(field), "/")
}

func (op PatchOp) validate(i int) error {
	switch op.Op {
	case "replace", "add", "remove":
	default:
		return errorf("patch operation %d: op %q is not one of add, replace, remove", i, op.Op)
	}
	if patchPath(op.Path) == "" {
		return errorf("patch operation %d: empty path", i)
	}
	if op.Op != "remove" && op.Value == nil {
		return errorf("patch operation %d (%s %s): missing value", i, op.Op, op.Path)
	}
	return nil
}
