package document

import (
	"fmt"
	"strconv"
	"time"

	"github.com/openkyc/kyc/pkg/kyc"
	"github.com/openkyc/kyc/worker/internal/mrz"
)

// Field titles of the OCR result.
const (
	TitleSurname        = "Surname"
	TitleGivenNames     = "Given names"
	TitleDocumentNumber = "Document number"
	TitleNationality    = "Nationality"
	TitleBirthDate      = "Date of birth"
	TitleSex            = "Sex"
	TitleExpiryDate     = "Date of expiry"
	TitleIssuingState   = "Issuing state"
	TitlePersonalNumber = "Personal number"
)

// Fields returns the OCR fields of an MRZ. A field's confidence is low when
// a check digit covering it fails, high when every check digit of the MRZ
// holds, medium otherwise (it is covered by none and another one fails).
func Fields(m *mrz.MRZ, now time.Time) []kyc.Field {
	valid := map[string]bool{}
	for _, c := range m.Checks {
		valid[c.Name] = c.Valid
	}
	all := m.Valid()
	conf := func(checks ...string) string {
		for _, c := range checks {
			if v, ok := valid[c]; ok && !v {
				return kyc.ConfLow
			}
		}
		if all {
			return kyc.ConfHigh
		}
		return kyc.ConfMedium
	}
	add := func(out []kyc.Field, title, value string, checks ...string) []kyc.Field {
		if value == "" {
			return out
		}
		return append(out, kyc.Field{Title: title, Value: value, Conf: conf(checks...)})
	}
	var out []kyc.Field
	out = add(out, TitleSurname, m.Surname)
	out = add(out, TitleGivenNames, m.GivenNames)
	out = add(out, TitleDocumentNumber, m.DocumentNumber, "document_number", "composite")
	out = add(out, TitleNationality, m.Nationality)
	out = add(out, TitleBirthDate, Date(m.BirthDate, now, false), "birth_date", "composite")
	out = add(out, TitleSex, sex(m.Sex))
	out = add(out, TitleExpiryDate, Date(m.ExpiryDate, now, true), "expiry_date", "composite")
	out = add(out, TitleIssuingState, m.IssuingState)
	if m.Format == mrz.TD3 {
		out = add(out, TitlePersonalNumber, m.OptionalData, "optional_data", "composite")
	}
	return out
}

func sex(s string) string {
	switch s {
	case "M", "F":
		return s
	case "<", "X":
		return "X"
	}
	return ""
}

// Date turns an MRZ date YYMMDD into YYYY-MM-DD. The century is chosen so
// that a birth date is not in the future and an expiry date lies at most 50
// years ahead. It returns "" for a date that does not exist.
func Date(yymmdd string, now time.Time, expiry bool) string {
	t, ok := parseDate(yymmdd, now, expiry)
	if !ok {
		return ""
	}
	return t.Format("2006-01-02")
}

func parseDate(yymmdd string, now time.Time, expiry bool) (time.Time, bool) {
	if len(yymmdd) != 6 {
		return time.Time{}, false
	}
	n, err := strconv.Atoi(yymmdd)
	if err != nil || n < 0 {
		return time.Time{}, false
	}
	yy, mm, dd := n/10000, n/100%100, n%100
	t := time.Date(2000+yy, time.Month(mm), dd, 0, 0, 0, 0, time.UTC)
	if t.Month() != time.Month(mm) || t.Day() != dd || mm == 0 {
		return time.Time{}, false
	}
	if (expiry && t.After(now.AddDate(50, 0, 0))) || (!expiry && t.After(now)) {
		t = t.AddDate(-100, 0, 0)
	}
	return t, true
}

// ExpiryDate returns the MRZ's expiry date, if it reads as one.
func ExpiryDate(m *mrz.MRZ, now time.Time) (time.Time, bool) {
	return parseDate(m.ExpiryDate, now, true)
}

// describeFailed names the failed check digits, for a check's value.
func describeFailed(m *mrz.MRZ) string {
	var s string
	for i, c := range m.FailedChecks() {
		if i > 0 {
			s += ", "
		}
		s += c.Name
	}
	return fmt.Sprintf("failed: %s", s)
}
