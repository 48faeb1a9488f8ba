package mrz

import (
	"reflect"
	"strings"
	"testing"
)

func TestCheckDigit(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"D23145890", 7},      // ICAO 9303-5 TD1 document number
		{"740812", 2},         // ICAO birth date
		{"120415", 9},         // ICAO expiry date
		{"L898902C3", 6},      // ICAO 9303-4 TD3 document number
		{"ZE184226B<<<<<", 1}, // TD3 personal number
		{"<<<<<<<<<", 0},
		{"", 0},
		{"AB2134<<<", 5},
		{"a", -1},
		{"12 3", -1},
	}
	for _, tc := range tests {
		if got := CheckDigit(tc.in); got != tc.want {
			t.Errorf("CheckDigit(%q) = %d, want %d", tc.in, got, tc.want)
		}
	}
}

type fieldWant struct {
	code, state, surname, given, number, nat, birth, sex, expiry, opt, opt2 string
}

func TestParse(t *testing.T) {
	tests := []struct {
		name    string
		lines   []string
		format  Format
		fields  fieldWant
		valid   bool
		failing []string
	}{
		{
			name: "ICAO TD1",
			lines: []string{
				"I<UTOD231458907<<<<<<<<<<<<<<<",
				"7408122F1204159UTO<<<<<<<<<<<6",
				"ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
			},
			format: TD1,
			fields: fieldWant{"I", "UTO", "ERIKSSON", "ANNA MARIA", "D23145890", "UTO", "740812", "F", "120415", "", ""},
			valid:  true,
		},
		{
			name: "ICAO TD1 long document number",
			lines: []string{
				"I<UTOD23145890<7349<<<<<<<<<<<",
				"3407127M9507122UTO<<<<<<<<<<<2",
				"STEVENSON<<PETER<JOHN<<<<<<<<<",
			},
			format: TD1,
			fields: fieldWant{"I", "UTO", "STEVENSON", "PETER JOHN", "D23145890734", "UTO", "340712", "M", "950712", "", ""},
			valid:  true,
		},
		{
			name: "TD1 with optional data (Latvia)",
			lines: []string{
				"I<LVAPA99929216121282<88882<<<",
				"8212122M1703054LVA<<<<<<<<<<<0",
				"PARAUDZINS<<ANDRIS<<<<<<<<<<<<",
			},
			format: TD1,
			fields: fieldWant{"I", "LVA", "PARAUDZINS", "ANDRIS", "PA9992921", "LVA", "821212", "M", "170305", "121282<88882", ""},
			valid:  true,
		},
		{
			name: "TD1 bad birth check digit",
			lines: []string{
				"I<UTOD231458907<<<<<<<<<<<<<<<",
				"7408123F1204159UTO<<<<<<<<<<<6",
				"ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
			},
			format:  TD1,
			fields:  fieldWant{"I", "UTO", "ERIKSSON", "ANNA MARIA", "D23145890", "UTO", "740812", "F", "120415", "", ""},
			failing: []string{"birth_date", "composite"},
		},
		{
			name: "TD1 specimen with bad document number (Malta)",
			lines: []string{
				"IDMLT9999999<<3<9999999M<999<<",
				"7309258F0810245MLTD310240<<<<5",
				"SPITERI<<MANDY<<<<<<<<<<<<<<<<",
			},
			format:  TD1,
			fields:  fieldWant{"ID", "MLT", "SPITERI", "MANDY", "9999999", "MLT", "730925", "F", "081024", "<9999999M<999", "D310240"},
			failing: []string{"document_number", "birth_date"},
		},
		{
			name: "ICAO TD2",
			lines: []string{
				"I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
				"D231458907UTO7408122F1204159<<<<<<<6",
			},
			format: TD2,
			fields: fieldWant{"I", "UTO", "ERIKSSON", "ANNA MARIA", "D23145890", "UTO", "740812", "F", "120415", "", ""},
			valid:  true,
		},
		{
			name: "TD2 bad expiry and composite",
			lines: []string{
				"I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
				"D231458907UTO7408122F1204169<<<<<<<6",
			},
			format:  TD2,
			fields:  fieldWant{"I", "UTO", "ERIKSSON", "ANNA MARIA", "D23145890", "UTO", "740812", "F", "120416", "", ""},
			failing: []string{"expiry_date", "composite"},
		},
		{
			name: "non-ICAO French ID parsed as TD2 fails",
			lines: []string{
				"IDFRABERTHIER<<<<<<<<<<<<<<<<<<<<<<<",
				"9409923102854CORINNE<<<<<<<6512068F4",
			},
			format:  TD2,
			fields:  fieldWant{"ID", "FRA", "BERTHIER", "", "940992310", "854", "CORINN", "<", "<<<<<<", "512068F", ""},
			failing: []string{"document_number", "birth_date", "expiry_date", "composite"},
		},
		{
			name: "ICAO TD3",
			lines: []string{
				"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
				"L898902C36UTO7408122F1204159ZE184226B<<<<<10",
			},
			format: TD3,
			fields: fieldWant{"P", "UTO", "ERIKSSON", "ANNA MARIA", "L898902C3", "UTO", "740812", "F", "120415", "ZE184226B", ""},
			valid:  true,
		},
		{
			name: "TD3 empty personal number with filler check",
			lines: []string{
				"P<BDRMUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<",
				"CA000000<4D<<6408125F1802212<<<<<<<<<<<<<<<6",
			},
			format: TD3,
			fields: fieldWant{"P", "BDR", "MUSTERMANN", "ERIKA", "CA000000", "D", "640812", "F", "180221", "", ""},
			valid:  true,
		},
		{
			name: "TD3 OCR error in document number",
			lines: []string{
				"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
				"L898902CS6UTO7408122F1204159ZE184226B<<<<<10",
			},
			format:  TD3,
			fields:  fieldWant{"P", "UTO", "ERIKSSON", "ANNA MARIA", "L898902CS", "UTO", "740812", "F", "120415", "ZE184226B", ""},
			failing: []string{"document_number", "composite"},
		},
		{
			name: "TD3 bad personal number check",
			lines: []string{
				"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
				"L898902C36UTO7408122F1204159ZE184226B<<<<<20",
			},
			format:  TD3,
			fields:  fieldWant{"P", "UTO", "ERIKSSON", "ANNA MARIA", "L898902C3", "UTO", "740812", "F", "120415", "ZE184226B", ""},
			failing: []string{"optional_data", "composite"},
		},
		{
			name: "ICAO MRV-A",
			lines: []string{
				"V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
				"L8988901C4XXX4009078F96121096ZE184226B<<<<<<",
			},
			format: MRVA,
			fields: fieldWant{"V", "UTO", "ERIKSSON", "ANNA MARIA", "L8988901C", "XXX", "400907", "F", "961210", "6ZE184226B", ""},
			valid:  true,
		},
		{
			name: "MRV-A bad document number check",
			lines: []string{
				"V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
				"L8988901C5XXX4009078F96121096ZE184226B<<<<<<",
			},
			format:  MRVA,
			fields:  fieldWant{"V", "UTO", "ERIKSSON", "ANNA MARIA", "L8988901C", "XXX", "400907", "F", "961210", "6ZE184226B", ""},
			failing: []string{"document_number"},
		},
		{
			name: "ICAO MRV-B",
			lines: []string{
				"V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
				"L8988901C4XXX4009078F9612109<<<<<<<<",
			},
			format: MRVB,
			fields: fieldWant{"V", "UTO", "ERIKSSON", "ANNA MARIA", "L8988901C", "XXX", "400907", "F", "961210", "", ""},
			valid:  true,
		},
		{
			name: "MRV-B bad birth check",
			lines: []string{
				"V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
				"L8988901C4XXX4009071F9612109<<<<<<<<",
			},
			format:  MRVB,
			fields:  fieldWant{"V", "UTO", "ERIKSSON", "ANNA MARIA", "L8988901C", "XXX", "400907", "F", "961210", "", ""},
			failing: []string{"birth_date"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := Parse(tc.lines)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if m.Format != tc.format {
				t.Errorf("format %s, want %s", m.Format, tc.format)
			}
			got := fieldWant{m.DocumentCode, m.IssuingState, m.Surname, m.GivenNames, m.DocumentNumber, m.Nationality, m.BirthDate, m.Sex, m.ExpiryDate, m.OptionalData, m.OptionalData2}
			if got != tc.fields {
				t.Errorf("fields\n got %+v\nwant %+v", got, tc.fields)
			}
			if m.Valid() != tc.valid {
				t.Errorf("Valid() = %v, want %v", m.Valid(), tc.valid)
			}
			var failing []string
			for _, c := range m.FailedChecks() {
				failing = append(failing, c.Name)
			}
			if !reflect.DeepEqual(failing, tc.failing) {
				t.Errorf("failing checks %v, want %v", failing, tc.failing)
			}
			// Every check position must point at its printed character.
			for _, c := range m.Checks {
				if m.Lines[c.Line][c.Pos] != c.Printed {
					t.Errorf("check %s position mismatch", c.Name)
				}
			}
			if len(m.Fields()) == 0 {
				t.Error("no fields")
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name  string
		lines []string
	}{
		{"empty", nil},
		{"one line", []string{strings.Repeat("<", 44)}},
		{"ragged", []string{strings.Repeat("<", 44), strings.Repeat("<", 43)}},
		{"three long lines", []string{strings.Repeat("<", 44), strings.Repeat("<", 44), strings.Repeat("<", 44)}},
		{"bad character", []string{"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<#", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"}},
	}
	for _, tc := range tests {
		if _, err := Parse(tc.lines); err == nil {
			t.Errorf("%s: expected error", tc.name)
		}
	}
}

func TestDetectFormat(t *testing.T) {
	tests := []struct {
		lines []string
		want  Format
	}{
		{[]string{strings.Repeat("<", 30), strings.Repeat("<", 30), strings.Repeat("<", 30)}, TD1},
		{[]string{"I" + strings.Repeat("<", 35), strings.Repeat("<", 36)}, TD2},
		{[]string{"V" + strings.Repeat("<", 35), strings.Repeat("<", 36)}, MRVB},
		{[]string{"P" + strings.Repeat("<", 43), strings.Repeat("<", 44)}, TD3},
		{[]string{"V" + strings.Repeat("<", 43), strings.Repeat("<", 44)}, MRVA},
	}
	for _, tc := range tests {
		got, err := DetectFormat(tc.lines)
		if err != nil || got != tc.want {
			t.Errorf("DetectFormat(%v) = %v, %v; want %v", tc.lines, got, err, tc.want)
		}
	}
}

func TestLayout(t *testing.T) {
	for _, f := range []Format{TD1, TD2, TD3, MRVA, MRVB} {
		n, l := Shape(f)
		lay := Layout(f)
		if len(lay) != n {
			t.Fatalf("%s: %d lines, want %d", f, len(lay), n)
		}
		for i, s := range lay {
			if len(s) != l {
				t.Errorf("%s line %d: length %d, want %d", f, i, len(s), l)
			}
		}
	}
}

func TestCorrect(t *testing.T) {
	tests := []struct {
		name    string
		in      []string
		want    []string
		changes int
	}{
		{
			name: "O for 0 in dates and check digit",
			in: []string{
				"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
				"L898902C36UTO74O8122F12O4159ZE184226B<<<<<1O",
			},
			want: []string{
				"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
				"L898902C36UTO7408122F1204159ZE184226B<<<<<1O",
			},
			changes: 2, // the composite is never changed
		},
		{
			name: "B for 8 in document number is ambiguous with D for 0: unchanged",
			in: []string{
				"I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
				"D23145B907UTO7408122F1204159<<<<<<<6",
			},
			want: []string{
				"I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
				"D23145B907UTO7408122F1204159<<<<<<<6",
			},
		},
		{
			name: "O for 0 in document number resolved by check digit",
			in: []string{
				"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
				"L8989O2C36UTO7408122F1204159ZE184226B<<<<<10",
			},
			want: []string{
				"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
				"L898902C36UTO7408122F1204159ZE184226B<<<<<10",
			},
			changes: 1,
		},
		{
			name: "O for 0 in TD1 dates",
			in: []string{
				"I<UTOD231458907<<<<<<<<<<<<<<<",
				"74O8122F12O4159UTO<<<<<<<<<<<6",
				"ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
			},
			want: []string{
				"I<UTOD231458907<<<<<<<<<<<<<<<",
				"7408122F1204159UTO<<<<<<<<<<<6",
				"ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
			},
			changes: 2,
		},
		{
			name: "wrong printed digit is not corrected",
			in: []string{
				"I<UTOD231458907<<<<<<<<<<<<<<<",
				"7408123F1204159UTO<<<<<<<<<<<6",
				"ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
			},
			want: []string{
				"I<UTOD231458907<<<<<<<<<<<<<<<",
				"7408123F1204159UTO<<<<<<<<<<<6",
				"ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
			},
		},
		{
			name: "letter map that does not satisfy check digit is undone",
			in: []string{
				"V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
				"L8988901C4XXX4OO9O71F9612109<<<<<<<<",
			},
			want: []string{
				"V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
				"L8988901C4XXX4OO9O71F9612109<<<<<<<<",
			},
		},
		{
			name: "valid MRZ untouched",
			in: []string{
				"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
				"L898902C36UTO7408122F1204159ZE184226B<<<<<10",
			},
			want: []string{
				"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
				"L898902C36UTO7408122F1204159ZE184226B<<<<<10",
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ch := Correct(tc.in)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
			if len(ch) != tc.changes {
				t.Errorf("%d changes (%v), want %d", len(ch), ch, tc.changes)
			}
		})
	}
}
