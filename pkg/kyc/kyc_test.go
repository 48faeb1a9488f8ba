package kyc

import (
	"encoding/json"
	"testing"
	"time"
)

func TestCombine(t *testing.T) {
	tests := []struct {
		in   []Status
		want Status
	}{
		{nil, StatusSuccess},
		{[]Status{StatusSuccess, StatusSuccess}, StatusSuccess},
		{[]Status{StatusSuccess, StatusSuspicious}, StatusSuspicious},
		{[]Status{StatusSuspicious, StatusFailed}, StatusFailed},
		{[]Status{StatusFailed, StatusException, StatusSuccess}, StatusException},
		{[]Status{StatusSuccess, StatusProcessing}, StatusProcessing},
	}
	for _, tt := range tests {
		if got := Combine(tt.in...); got != tt.want {
			t.Errorf("Combine(%v) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestJSONForms(t *testing.T) {
	tests := []struct {
		v    any
		want string
	}{
		{Seconds(1.23456), `1.235`},
		{SecondsOf(136945 * time.Millisecond), `136.945`},
		{Seconds(0), `0`},
		{Timestamp(time.Date(2025, 5, 21, 8, 15, 46, 972e6, time.UTC)), `"2025-05-21T08:15:46.972Z"`},
		{Timestamp(time.Date(2025, 5, 21, 10, 15, 46, 0, time.FixedZone("x", 7200))), `"2025-05-21T08:15:46.000Z"`},
		{NewErrorBody(MsgInvalidSchema), `{"message":"invalid schema","status":"error"}`},
	}
	for _, tt := range tests {
		b, err := json.Marshal(tt.v)
		if err != nil || string(b) != tt.want {
			t.Errorf("Marshal(%v) = %s, %v; want %s", tt.v, b, err, tt.want)
		}
	}
	var ts Timestamp
	if err := json.Unmarshal([]byte(`"2025-05-21T08:15:46.972Z"`), &ts); err != nil || ts.Time().Nanosecond() != 972e6 {
		t.Errorf("Unmarshal = %v, %v", ts.Time(), err)
	}
}

func TestMapImages(t *testing.T) {
	r := Result{Image: "a", ImageFull: "b", FaceSelfie: "c", Checks: []Check{{Items: []CheckItem{{Images: []string{"d", "e"}}}}}}
	r.MapImages(func(s string) string { return "u/" + s })
	if r.Image != "u/a" || r.ImageFull != "u/b" || r.FaceSelfie != "u/c" || r.FaceDoc != "" || r.Checks[0].Items[0].Images[1] != "u/e" {
		t.Fatalf("MapImages = %+v", r)
	}
}
