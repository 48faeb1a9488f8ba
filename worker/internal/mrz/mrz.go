// Package mrz parses and validates machine-readable zones (MRZ) of travel
// documents as specified by ICAO Doc 9303: TD1 (3 lines of 30 characters),
// TD2 (2x36), TD3 (2x44, passports), MRV-A (2x44 visas) and MRV-B (2x36 visas).
//
// The package is pure Go. It computes every check digit (weights 7-3-1,
// modulo 10) and reports which ones hold; it never changes a character on its
// own. Correct offers a conservative repair of OCR confusions that only
// applies where the field type is known and a check digit confirms it.
package mrz

import (
	"errors"
	"fmt"
	"strings"
)

// Format is an ICAO 9303 MRZ layout.
type Format string

// The MRZ formats known to the parser.
const (
	TD1  Format = "TD1"  // ID-1 size cards: 3 lines of 30 characters.
	TD2  Format = "TD2"  // ID-2 size cards: 2 lines of 36 characters.
	TD3  Format = "TD3"  // Passport booklets: 2 lines of 44 characters.
	MRVA Format = "MRVA" // Full-page visas (MRV-A): 2 lines of 44 characters.
	MRVB Format = "MRVB" // Smaller visas (MRV-B): 2 lines of 36 characters.
)

// Filler is the MRZ filler character.
const Filler = '<'

// ErrFormat is returned by Parse when the lines match no known layout.
var ErrFormat = errors.New("mrz: unknown format")

// Check is one check digit of an MRZ: the data it covers, the digit
// printed on the document and the digit computed from the data.
type Check struct {
	// Name identifies the check: "document_number", "birth_date",
	// "expiry_date", "optional_data" (TD3 personal number) or "composite".
	Name string
	// Data is the character sequence the check digit covers.
	Data string
	// Printed is the check character as read from the MRZ.
	Printed byte
	// Computed is the check digit computed from Data (0-9), or -1 when
	// Data holds characters outside the MRZ alphabet.
	Computed int
	// Valid tells whether Printed matches Computed.
	Valid bool
	// Line and Pos locate the printed check character (0-based).
	Line, Pos int
}

// MRZ is a parsed machine-readable zone.
type MRZ struct {
	// Format is the detected layout.
	Format Format
	// Lines are the MRZ lines exactly as given to Parse (upper-cased, trimmed).
	Lines []string
	// DocumentCode is the 1-2 character document code (e.g. "P", "I", "ID", "V"),
	// fillers removed.
	DocumentCode string
	// IssuingState is the 3-letter code of the issuing state or organisation,
	// fillers removed.
	IssuingState string
	// Surname is the primary identifier; fillers inside it become spaces.
	Surname string
	// GivenNames is the secondary identifier; fillers inside it become spaces.
	GivenNames string
	// DocumentNumber has fillers removed. For TD1 documents whose number is
	// longer than 9 characters it includes the overflow in the optional data.
	DocumentNumber string
	// Nationality is the 3-letter nationality code, fillers removed.
	Nationality string
	// BirthDate is YYMMDD as printed.
	BirthDate string
	// Sex is "M", "F" or "<" (unspecified) as printed.
	Sex string
	// ExpiryDate is YYMMDD as printed.
	ExpiryDate string
	// OptionalData is the first optional data field (TD3: personal number),
	// fillers trimmed from the right.
	OptionalData string
	// OptionalData2 is the second optional data field (TD1 line 2 only).
	OptionalData2 string
	// Checks lists every check digit of the format, in document order.
	Checks []Check
}

// Valid reports whether every check digit of the MRZ holds.
func (m *MRZ) Valid() bool {
	for _, c := range m.Checks {
		if !c.Valid {
			return false
		}
	}
	return true
}

// FailedChecks returns the check digits that do not hold.
func (m *MRZ) FailedChecks() []Check {
	var out []Check
	for _, c := range m.Checks {
		if !c.Valid {
			out = append(out, c)
		}
	}
	return out
}

// Field is one named field of an MRZ, as compared by evaluations.
type Field struct {
	Name  string
	Value string
}

// Fields returns every field of the MRZ, check digits included, in a stable
// order that depends only on the format. Two reads of the same document can be
// compared field by field.
func (m *MRZ) Fields() []Field {
	f := []Field{
		{"document_code", m.DocumentCode},
		{"issuing_state", m.IssuingState},
		{"surname", m.Surname},
		{"given_names", m.GivenNames},
		{"document_number", m.DocumentNumber},
		{"nationality", m.Nationality},
		{"birth_date", m.BirthDate},
		{"sex", m.Sex},
		{"expiry_date", m.ExpiryDate},
		{"optional_data", m.OptionalData},
	}
	if m.Format == TD1 {
		f = append(f, Field{"optional_data_2", m.OptionalData2})
	}
	for _, c := range m.Checks {
		f = append(f, Field{"check_" + c.Name, string(c.Printed)})
	}
	return f
}

// CharValue returns the ICAO 9303 numeric value of an MRZ character:
// digits are 0-9, letters A-Z are 10-35 and the filler '<' is 0. It returns
// -1 for any other character.
func CharValue(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'A' && c <= 'Z':
		return int(c-'A') + 10
	case c == Filler:
		return 0
	}
	return -1
}

// CheckDigit computes the ICAO 9303 check digit of s: each character value
// is weighted 7, 3, 1 in turn and the sum is taken modulo 10. It returns -1 if
// s contains a character outside the MRZ alphabet (A-Z, 0-9, '<').
func CheckDigit(s string) int {
	weights := [3]int{7, 3, 1}
	sum := 0
	for i := 0; i < len(s); i++ {
		v := CharValue(s[i])
		if v < 0 {
			return -1
		}
		sum += v * weights[i%3]
	}
	return sum % 10
}

// checkMatches tells whether the printed check character c holds for data.
// A filler check character is accepted for an all-filler field (ICAO allows
// it for the optional data of TD3) and otherwise counts as 0 only when
// allowFiller is set.
func checkMatches(data string, c byte, allowFillerZero bool) (int, bool) {
	computed := CheckDigit(data)
	if computed < 0 {
		return computed, false
	}
	if c == Filler {
		if strings.Trim(data, "<") == "" {
			return computed, true
		}
		return computed, allowFillerZero && computed == 0
	}
	if c < '0' || c > '9' {
		return computed, false
	}
	return computed, int(c-'0') == computed
}

// DetectFormat returns the format implied by the number and length of the
// lines, and by the document code for 2-line layouts ('V' marks a visa).
func DetectFormat(lines []string) (Format, error) {
	switch {
	case len(lines) == 3 && len(lines[0]) == 30 && len(lines[1]) == 30 && len(lines[2]) == 30:
		return TD1, nil
	case len(lines) == 2 && len(lines[0]) == 36 && len(lines[1]) == 36:
		if lines[0][0] == 'V' {
			return MRVB, nil
		}
		return TD2, nil
	case len(lines) == 2 && len(lines[0]) == 44 && len(lines[1]) == 44:
		if lines[0][0] == 'V' {
			return MRVA, nil
		}
		return TD3, nil
	}
	return "", ErrFormat
}

// Shape returns the number of lines and the line length of a format.
func Shape(f Format) (lines, length int) {
	switch f {
	case TD1:
		return 3, 30
	case TD2, MRVB:
		return 2, 36
	case TD3, MRVA:
		return 2, 44
	}
	return 0, 0
}

// Parse detects the format of lines and parses every field and check digit.
// Lines are upper-cased and stripped of surrounding white space first. Parse
// does not correct anything: a check digit that fails is reported in Checks.
// An error is returned only when the lines match no format or hold
// characters outside the MRZ alphabet.
func Parse(lines []string) (*MRZ, error) {
	ls := make([]string, len(lines))
	for i, l := range lines {
		ls[i] = strings.ToUpper(strings.TrimSpace(l))
		for j := 0; j < len(ls[i]); j++ {
			if CharValue(ls[i][j]) < 0 {
				return nil, fmt.Errorf("mrz: line %d position %d: invalid character %q", i+1, j+1, ls[i][j])
			}
		}
	}
	f, err := DetectFormat(ls)
	if err != nil {
		return nil, err
	}
	m := &MRZ{Format: f, Lines: ls}
	switch f {
	case TD1:
		parseTD1(m)
	default:
		parseTwoLine(m)
	}
	return m, nil
}

func clean(s string) string { return strings.Trim(s, "<") }

func trimRight(s string) string { return strings.TrimRight(s, "<") }

// splitName splits the name field into primary and secondary identifiers.
func splitName(s string) (surname, given string) {
	s = trimRight(s)
	p, g, _ := strings.Cut(s, "<<")
	surname = strings.TrimSpace(strings.ReplaceAll(p, "<", " "))
	given = strings.TrimSpace(strings.ReplaceAll(strings.Trim(g, "<"), "<", " "))
	return surname, given
}

func (m *MRZ) addCheck(name, data string, line, pos int, allowFillerZero bool) {
	c := m.Lines[line][pos]
	computed, ok := checkMatches(data, c, allowFillerZero)
	m.Checks = append(m.Checks, Check{Name: name, Data: data, Printed: c, Computed: computed, Valid: ok, Line: line, Pos: pos})
}

func parseTD1(m *MRZ) {
	l1, l2, l3 := m.Lines[0], m.Lines[1], m.Lines[2]
	m.DocumentCode = clean(l1[0:2])
	m.IssuingState = clean(l1[2:5])
	docNum := l1[5:14]
	opt1 := l1[15:30]
	if l1[14] == Filler && clean(opt1) != "" {
		// Long document number: the overflow runs into the optional data and
		// ends with its check digit, followed by a filler.
		ov := trimRight(opt1)
		// ov = overflow digits + check digit
		full := docNum + ov[:len(ov)-1]
		checkPos := 15 + len(ov) - 1
		m.DocumentNumber = strings.ReplaceAll(full, "<", "")
		c := l1[checkPos]
		computed, ok := checkMatches(full, c, false)
		m.Checks = append(m.Checks, Check{Name: "document_number", Data: full, Printed: c, Computed: computed, Valid: ok, Line: 0, Pos: checkPos})
		m.OptionalData = trimRight(l1[checkPos+1:])
		m.OptionalData = strings.TrimLeft(m.OptionalData, "<")
	} else {
		m.DocumentNumber = clean(docNum)
		m.addCheck("document_number", docNum, 0, 14, false)
		m.OptionalData = trimRight(opt1)
	}
	m.BirthDate = l2[0:6]
	m.addCheck("birth_date", l2[0:6], 1, 6, false)
	m.Sex = l2[7:8]
	m.ExpiryDate = l2[8:14]
	m.addCheck("expiry_date", l2[8:14], 1, 14, false)
	m.Nationality = clean(l2[15:18])
	m.OptionalData2 = trimRight(l2[18:29])
	m.addCheck("composite", l1[5:30]+l2[0:7]+l2[8:15]+l2[18:29], 1, 29, false)
	m.Surname, m.GivenNames = splitName(l3)
}

func parseTwoLine(m *MRZ) {
	l1, l2 := m.Lines[0], m.Lines[1]
	m.DocumentCode = clean(l1[0:2])
	m.IssuingState = clean(l1[2:5])
	m.Surname, m.GivenNames = splitName(l1[5:])
	m.DocumentNumber = clean(l2[0:9])
	m.addCheck("document_number", l2[0:9], 1, 9, false)
	m.Nationality = clean(l2[10:13])
	m.BirthDate = l2[13:19]
	m.addCheck("birth_date", l2[13:19], 1, 19, false)
	m.Sex = l2[20:21]
	m.ExpiryDate = l2[21:27]
	m.addCheck("expiry_date", l2[21:27], 1, 27, false)
	switch m.Format {
	case TD3:
		m.OptionalData = trimRight(l2[28:42])
		m.addCheck("optional_data", l2[28:42], 1, 42, true)
		m.addCheck("composite", l2[0:10]+l2[13:20]+l2[21:43], 1, 43, false)
	case TD2:
		if l2[9] == Filler && clean(l2[28:35]) != "" {
			// Long document number (ICAO 9303-6 note j): overflow in the
			// optional data, then its check digit.
			m.Checks = m.Checks[:0]
			ov := trimRight(l2[28:35])
			full := l2[0:9] + ov[:len(ov)-1]
			checkPos := 28 + len(ov) - 1
			m.DocumentNumber = strings.ReplaceAll(full, "<", "")
			c := l2[checkPos]
			computed, ok := checkMatches(full, c, false)
			m.Checks = append(m.Checks, Check{Name: "document_number", Data: full, Printed: c, Computed: computed, Valid: ok, Line: 1, Pos: checkPos})
			m.addCheck("birth_date", l2[13:19], 1, 19, false)
			m.addCheck("expiry_date", l2[21:27], 1, 27, false)
			m.OptionalData = strings.Trim(l2[checkPos+1:35], "<")
		} else {
			m.OptionalData = trimRight(l2[28:35])
		}
		m.addCheck("composite", l2[0:10]+l2[13:20]+l2[21:35], 1, 35, false)
	case MRVA:
		m.OptionalData = trimRight(l2[28:44])
	case MRVB:
		m.OptionalData = trimRight(l2[28:36])
	}
}
