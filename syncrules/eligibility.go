package syncrules

import "errors"

// CheckEligibility applies R-ELIG-1..3 to a record about to enter a flow. It
// returns the normalised document and its kind when the record is eligible
// (skip is nil), or the skip outcome saying why not: inactive (R-ELIG-1), no
// document (R-ELIG-2), or a document that is present but invalid (R-ELIG-3,
// whose reason names the problem with the document masked).
func CheckEligibility(c Customer) (doc string, kind DocKind, skip *Outcome) {
	if !c.Active {
		o := Skip(RElig1, "inactive")
		return "", DocNone, &o
	}
	doc, kind, err := ValidateDocument(c.Document)
	if errors.Is(err, ErrNoDocument) {
		o := Skip(RElig2, "no document")
		return "", DocNone, &o
	}
	if err != nil {
		o := Skip(RElig3, "invalid document "+MaskDocument(c.Document)+": "+err.Error()+"; treated as no document")
		return "", DocNone, &o
	}
	return doc, kind, nil
}
