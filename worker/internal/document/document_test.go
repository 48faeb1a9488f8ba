package document

import (
	"image"
	"testing"
	"time"

	"github.com/openkyc/kyc/pkg/kyc"
	"github.com/openkyc/kyc/worker/internal/mrz"
	"github.com/openkyc/kyc/worker/internal/pipeline"
)

var now = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)

func TestKind(t *testing.T) {
	tests := []struct {
		code string
		f    mrz.Format
		want string
	}{
		{"P", mrz.TD3, KindPassport}, {"PD", mrz.TD3, KindPassport}, {"V", mrz.MRVA, KindVisa},
		{"VB", mrz.MRVB, KindVisa}, {"I", mrz.TD1, KindIDCard}, {"ID", mrz.TD1, KindIDCard},
		{"A", mrz.TD2, KindIDCard}, {"C", mrz.TD1, KindIDCard}, {"IR", mrz.TD1, KindResidencePermit},
		{"AR", mrz.TD1, KindResidencePermit}, {"RP", mrz.TD1, KindResidencePermit}, {"DL", mrz.TD1, KindDrivingLicence},
		{"X", mrz.TD1, KindDocument},
	}
	for _, tt := range tests {
		if got := Kind(tt.code, tt.f); got != tt.want {
			t.Errorf("Kind(%q, %s) = %s, want %s", tt.code, tt.f, got, tt.want)
		}
	}
}

func TestDate(t *testing.T) {
	tests := []struct {
		in     string
		expiry bool
		want   string
	}{
		{"850117", false, "1985-01-17"}, {"010203", false, "2001-02-03"}, {"261126", false, "1926-11-26"},
		{"300101", true, "2030-01-01"}, {"661231", true, "2066-12-31"}, {"951231", true, "1995-12-31"},
		{"990230", false, ""}, {"12345", false, ""}, {"1A0101", false, ""}, {"001301", true, ""}, {"000000", true, ""},
	}
	for _, tt := range tests {
		if got := Date(tt.in, now, tt.expiry); got != tt.want {
			t.Errorf("Date(%q, expiry=%v) = %q, want %q", tt.in, tt.expiry, got, tt.want)
		}
	}
}

func parse(t *testing.T, lines ...string) *mrz.MRZ {
	t.Helper()
	m, err := mrz.Parse(lines)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestFields(t *testing.T) {
	valid := parse(t, "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10")
	// The same zone with a wrong birth-date check digit (2 → 3).
	broken := parse(t, "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408123F1204159ZE184226B<<<<<10")
	tests := []struct {
		name  string
		m     *mrz.MRZ
		title string
		value string
		conf  string
	}{
		{"surname", valid, TitleSurname, "ERIKSSON", kyc.ConfHigh},
		{"given names", valid, TitleGivenNames, "ANNA MARIA", kyc.ConfHigh},
		{"number", valid, TitleDocumentNumber, "L898902C3", kyc.ConfHigh},
		{"birth", valid, TitleBirthDate, "1974-08-12", kyc.ConfHigh},
		{"expiry", valid, TitleExpiryDate, "2012-04-15", kyc.ConfHigh},
		{"sex", valid, TitleSex, "F", kyc.ConfHigh},
		{"personal number", valid, TitlePersonalNumber, "ZE184226B", kyc.ConfHigh},
		{"birth with its check failing", broken, TitleBirthDate, "1974-08-12", kyc.ConfLow},
		{"name uncovered, another check failing", broken, TitleSurname, "ERIKSSON", kyc.ConfMedium},
		{"number covered by the failing composite", broken, TitleDocumentNumber, "L898902C3", kyc.ConfLow},
	}
	for _, tt := range tests {
		var got *kyc.Field
		for _, f := range Fields(tt.m, now) {
			if f.Title == tt.title {
				got = &f
				break
			}
		}
		if got == nil || got.Value != tt.value || got.Conf != tt.conf {
			t.Errorf("%s: field %q = %+v, want %q %s", tt.name, tt.title, got, tt.value, tt.conf)
		}
	}
}

func TestCatalogueName(t *testing.T) {
	cat, err := LoadCatalogue()
	if err != nil {
		t.Fatal(err)
	}
	d := func(y int) time.Time { return time.Date(y, 6, 1, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		state, kind string
		expiry      time.Time
		have        bool
		want        string
	}{
		{"GBR", KindPassport, d(2017), true, "GBR — Passport (2006)"},
		{"GBR", KindPassport, d(2026), true, "GBR — Passport (2015)"},
		{"GBR", KindPassport, d(2010), true, "GBR — Passport"}, // issued before the first known series
		{"GBR", KindPassport, time.Time{}, false, "GBR — Passport"},
		{"LTU", KindPassport, d(2029), true, "LTU — Passport"},
		{"D", KindIDCard, d(2029), true, "D — Identity card"},
		{"", KindVisa, d(2029), true, "Visa"},
	}
	for _, tt := range tests {
		if got := cat.Name(tt.state, tt.kind, tt.expiry, tt.have); got != tt.want {
			t.Errorf("Name(%s, %s, %v) = %q, want %q", tt.state, tt.kind, tt.expiry.Year(), got, tt.want)
		}
	}
}

func TestClassify(t *testing.T) {
	face := func(x, y, size int) pipeline.DetectedFace {
		return pipeline.DetectedFace{Rect: image.Rect(x, y, x+size, y+size)}
	}
	band := image.Rect(20, 300, 420, 340) // 400 px wide
	vertical := image.Rect(300, 20, 340, 420)
	tests := []struct {
		name  string
		faces []pipeline.DetectedFace
		band  *image.Rectangle
		want  Decision
	}{
		{"nothing", nil, nil, Decision{ClassUnknown, -1, -1}},
		{"face only", []pipeline.DetectedFace{face(0, 0, 300)}, nil, Decision{ClassSelfie, 0, -1}},
		{"mrz only", nil, &band, Decision{ClassDocument, -1, -1}},
		{"document with portrait", []pipeline.DetectedFace{face(30, 100, 120)}, &band, Decision{ClassDocument, -1, 0}},
		{"rotated document", []pipeline.DetectedFace{face(30, 100, 120)}, &vertical, Decision{ClassDocument, -1, 0}},
		{"person holding it", []pipeline.DetectedFace{face(0, 0, 500), face(30, 100, 110)}, &band, Decision{ClassSelfieWithDocument, 0, 1}},
		{"person, portrait missed", []pipeline.DetectedFace{face(0, 0, 500)}, &band, Decision{ClassSelfieWithDocument, 0, -1}},
	}
	for _, tt := range tests {
		if got := Classify(tt.faces, tt.band, nil); got != tt.want {
			t.Errorf("%s: Classify = %+v, want %+v", tt.name, got, tt.want)
		}
	}
}

func TestDocumentChecks(t *testing.T) {
	valid := parse(t, "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10")
	broken := parse(t, "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408123F1204159ZE184226B<<<<<10")
	future := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	past := time.Date(2012, 4, 15, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name           string
		m              *mrz.MRZ
		expiry         time.Time
		have           bool
		digits, expSts kyc.Status
	}{
		{"valid, current", valid, future, true, kyc.StatusSuccess, kyc.StatusSuccess},
		{"valid, expired", valid, past, true, kyc.StatusSuccess, kyc.StatusExpired},
		{"bad digits", broken, future, true, kyc.StatusFailed, kyc.StatusSuccess},
		{"expiry unreadable", valid, time.Time{}, false, kyc.StatusSuccess, kyc.StatusFailed},
	}
	for _, tt := range tests {
		c := documentChecks(tt.m, tt.expiry, tt.have, now)
		if c.Caption != CheckCaption || len(c.Items) != 2 || c.Items[0].Status != tt.digits || c.Items[1].Status != tt.expSts {
			t.Errorf("%s: %+v", tt.name, c)
		}
	}
}
