package document

import (
	"strings"

	"github.com/openkyc/kyc/worker/internal/mrz"
)

// Document kinds, as the API names them in a result's type.
const (
	KindPassport        = "passport"
	KindIDCard          = "id_card"
	KindVisa            = "visa"
	KindResidencePermit = "residence_permit"
	KindDrivingLicence  = "driving_licence"
	KindDocument        = "document"
)

// Kind returns the document kind of an MRZ document code (ICAO 9303: P for
// passports, V for visas, I, A and C for identity cards; the second letter
// is at the issuer's discretion, and several issuers mark residence permits
// with IR, AR or R).
func Kind(code string, f mrz.Format) string {
	code = strings.TrimRight(strings.ToUpper(code), "<")
	switch {
	case f == mrz.MRVA || f == mrz.MRVB || strings.HasPrefix(code, "V"):
		return KindVisa
	case strings.HasPrefix(code, "P"):
		return KindPassport
	case code == "IR" || code == "AR" || strings.HasPrefix(code, "R"):
		return KindResidencePermit
	case strings.HasPrefix(code, "D"):
		return KindDrivingLicence
	case strings.HasPrefix(code, "I"), strings.HasPrefix(code, "A"), strings.HasPrefix(code, "C"):
		return KindIDCard
	}
	return KindDocument
}

// KindLabel is the kind as written in a docName: "Passport", "Identity card".
func KindLabel(kind string) string {
	switch kind {
	case KindPassport:
		return "Passport"
	case KindIDCard:
		return "Identity card"
	case KindVisa:
		return "Visa"
	case KindResidencePermit:
		return "Residence permit"
	case KindDrivingLicence:
		return "Driving licence"
	}
	return "Document"
}
