package document

import (
	"strings"
	"testing"

	"github.com/openkyc/kyc/pkg/kyc"
)

// words turns a line of text into words of confidence conf.
func words(text string, conf float64) []VisualWord {
	var out []VisualWord
	for _, w := range strings.Fields(text) {
		out = append(out, VisualWord{Text: w, Conf: conf})
	}
	return out
}

func TestCompareVisual(t *testing.T) {
	td3 := parse(t, "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10")
	tests := []struct {
		name     string
		lines    []string
		conf     float64
		agree    []string
		disagree []string
		status   kyc.Status
	}{
		{"all agree", []string{"Surname Eriksson", "Given names ANNA MARIA", "Passport No. L898902C3",
			"Date of birth 12 AUG/AOUT 1974", "Date of expiry 15.04.2012"}, 90,
			[]string{TitleSurname, TitleGivenNames, TitleDocumentNumber, TitleBirthDate, TitleExpiryDate}, nil, kyc.StatusSuccess},
		{"OCR slips in name and number", []string{"ERIKSS0N ANNA", "L898902G3"}, 60,
			[]string{TitleSurname, TitleGivenNames, TitleDocumentNumber}, nil, kyc.StatusSuccess},
		{"two-digit years and slashes", []string{"Born 12/08/74 valid until 15-04-12"}, 70,
			[]string{TitleBirthDate, TitleExpiryDate}, nil, kyc.StatusSuccess},
		{"too little text", []string{"UTO", "P"}, 90, nil, nil, kyc.StatusIdle},
		{"unrelated text", []string{"REPUBLIC OF NOWHERE", "TRAVEL DOCUMENT"}, 90, nil, nil, kyc.StatusIdle},
		{"birth date altered", []string{"SMITH JOHN", "03.02.1981", "15.04.2002", "15.04.2012"}, 95,
			[]string{TitleExpiryDate}, []string{TitleBirthDate}, kyc.StatusFailed},
		{"altered but unsure", []string{"SMITH JOHN", "03.02.1981", "15.04.2002", "15.04.2012"}, 60,
			[]string{TitleExpiryDate}, nil, kyc.StatusSuccess},
		{"one digit off is an OCR slip", []string{"SMITH JOHN", "12.08.1971", "15.04.2002", "15.04.2012"}, 95,
			[]string{TitleExpiryDate}, nil, kyc.StatusSuccess},
		{"expiry altered", []string{"ERIKSSON ANNA", "12.08.1974", "15.04.2002", "20.09.2019"}, 95,
			[]string{TitleSurname, TitleGivenNames, TitleBirthDate}, []string{TitleExpiryDate}, kyc.StatusFailed},
		{"issue date only is no contradiction", []string{"ERIKSSON ANNA", "03.02.2002"}, 95,
			[]string{TitleSurname, TitleGivenNames}, nil, kyc.StatusSuccess},
	}
	for _, tt := range tests {
		var lines [][]VisualWord
		for _, l := range tt.lines {
			lines = append(lines, words(strings.ToUpper(l), tt.conf))
		}
		c := CompareVisual(td3, lines, now)
		if strings.Join(c.Agree, ",") != strings.Join(tt.agree, ",") || strings.Join(c.Disagree, ",") != strings.Join(tt.disagree, ",") {
			t.Errorf("%s: agree %v disagree %v, want %v %v", tt.name, c.Agree, c.Disagree, tt.agree, tt.disagree)
		}
		if it := c.Item(); it.Caption != ItemConsistency || it.Status != tt.status {
			t.Errorf("%s: item %+v, want status %s", tt.name, it, tt.status)
		}
	}
}

func TestConfirm(t *testing.T) {
	fields := []kyc.Field{
		{Title: TitleSurname, Conf: kyc.ConfMedium}, {Title: TitleBirthDate, Conf: kyc.ConfLow},
		{Title: TitleExpiryDate, Conf: kyc.ConfHigh}, {Title: TitleDocumentNumber, Conf: kyc.ConfLow},
	}
	Consistency{Agree: []string{TitleSurname, TitleBirthDate, TitleExpiryDate}}.Confirm(fields)
	want := []string{kyc.ConfHigh, kyc.ConfMedium, kyc.ConfHigh, kyc.ConfLow}
	for i, f := range fields {
		if f.Conf != want[i] {
			t.Errorf("%s: conf %s, want %s", f.Title, f.Conf, want[i])
		}
	}
}

func TestSubstringDistance(t *testing.T) {
	tests := []struct {
		p, t string
		want int
	}{
		{"ERIKSSON", "SURNAMEERIKSSONGIVEN", 0}, {"ERIKSSON", "ERIKSS0N", 1}, {"ERIKSSON", "ERIKSON", 1},
		{"ABC", "", 3}, {"", "XYZ", 0}, {"L898902C3", "NOL898902G3X", 1},
	}
	for _, tt := range tests {
		if got := substringDistance(tt.p, tt.t); got != tt.want {
			t.Errorf("substringDistance(%q, %q) = %d, want %d", tt.p, tt.t, got, tt.want)
		}
	}
}

func TestFindDates(t *testing.T) {
	tests := []struct {
		text string
		want []visualDate
	}{
		{"17 JAN 1985", []visualDate{{y: 1985, m: 1, d: 17}}},
		{"12 AUG/AOUT 74", []visualDate{{y: 74, m: 8, d: 12}}},
		{"20 MAR/MAR 2006", []visualDate{{y: 2006, m: 3, d: 20}}},
		{"17.01.1985", []visualDate{{y: 1985, m: 1, d: 17}}},
		{"05/02/85", []visualDate{{y: 85, m: 2, d: 5, alt: true}}},
		{"1985-01-17", []visualDate{{y: 1985, m: 1, d: 17}}},
		{"31 FOO 1985", nil},
		{"32.01.1985", nil},
	}
	for _, tt := range tests {
		got := findDates(tt.text, words(tt.text, 90))
		if len(got) != len(tt.want) {
			t.Errorf("findDates(%q) = %+v, want %+v", tt.text, got, tt.want)
			continue
		}
		for i := range got {
			got[i].conf = 0
			if got[i] != tt.want[i] {
				t.Errorf("findDates(%q)[%d] = %+v, want %+v", tt.text, i, got[i], tt.want[i])
			}
		}
	}
}
