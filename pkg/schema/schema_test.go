package schema

import (
	"github.com/openkyc/kyc/pkg/kyc"
	"os"
	"path/filepath"
	"testing"
)

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name    string
		path    string
		ids     []string
		missing string
		wantErr bool
	}{
		{name: "no file", path: "", ids: []string{"default", ""}, missing: "schema-001"},
		{name: "file", path: write("a.json", `[{"id":"schema-001","faceMatchThreshold":0.5}]`), ids: []string{"default", "schema-001"}, missing: "x"},
		{name: "malformed", path: write("b.json", `{`), wantErr: true},
		{name: "no id", path: write("c.json", `[{}]`), wantErr: true},
		{name: "bad threshold", path: write("d.json", `[{"id":"x","faceMatchThreshold":7}]`), wantErr: true},
		{name: "missing file", path: filepath.Join(dir, "none.json"), wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Load(tt.path)
			if tt.wantErr {
				if err == nil {
					t.Fatal("no error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for _, id := range tt.ids {
				if _, ok := r.Get(id); !ok {
					t.Errorf("schema %q missing", id)
				}
			}
			if _, ok := r.Get(tt.missing); ok {
				t.Errorf("schema %q found", tt.missing)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	ok := Schema{ID: "s-1", Steps: []string{StepDocument, StepSelfie}, DocumentKinds: []string{"passport"},
		CallbackURL: "https://example.com/hook", CallbackSecret: "0123456789abcdef", MaxFailedAttempts: 3}
	tests := []struct {
		name   string
		mutate func(*Schema)
		ok     bool
	}{
		{"valid", func(*Schema) {}, true},
		{"bad id", func(s *Schema) { s.ID = "a b" }, false},
		{"unknown step", func(s *Schema) { s.Steps = []string{"dance"} }, false},
		{"unknown kind", func(s *Schema) { s.DocumentKinds = []string{"library_card"} }, false},
		{"ftp callback", func(s *Schema) { s.CallbackURL = "ftp://x/y" }, false},
		{"short secret", func(s *Schema) { s.CallbackSecret = "short" }, false},
		{"negative attempts", func(s *Schema) { s.MaxFailedAttempts = -1 }, false},
		{"bad captcha", func(s *Schema) { s.Captcha = "sometimes" }, false},
		{"short retention", func(s *Schema) { s.RetentionSeconds = 5 }, false},
		{"bad fraud threshold", func(s *Schema) { s.FraudThresholds = map[string]float64{"isEdited": 3} }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := ok
			tt.mutate(&s)
			if err := s.Validate(); (err == nil) != tt.ok {
				t.Fatalf("Validate = %v, want ok %v", err, tt.ok)
			}
		})
	}
}

func TestMissingSteps(t *testing.T) {
	passport := kyc.Result{Type: "passport"}
	idCard := kyc.Result{Type: "id_card"}
	selfie := kyc.Result{Type: kyc.TypeSelfie}
	held := kyc.Result{Type: kyc.TypeSelfie, WithDoc: "passport"}
	all := Schema{Steps: []string{StepDocument, StepSelfie, StepSelfieWithDocument}}
	tests := []struct {
		name    string
		schema  Schema
		results []kyc.Result
		want    string
	}{
		{"no steps", Schema{}, nil, ""},
		{"all present", all, []kyc.Result{passport, selfie, held}, ""},
		{"selfie missing", Schema{Steps: []string{StepDocument, StepSelfie}}, []kyc.Result{passport, held}, "[general] schema steps not satisfied: selfie"},
		{"nothing", all, []kyc.Result{{Type: kyc.TypeUnknown}}, "[general] schema steps not satisfied: document, selfie, selfie_with_document"},
		{"wrong kind", Schema{Steps: []string{StepDocument}, DocumentKinds: []string{"passport"}}, []kyc.Result{idCard}, "[general] schema steps not satisfied: document"},
		{"right kind", Schema{Steps: []string{StepDocument}, DocumentKinds: []string{"id_card"}}, []kyc.Result{idCard}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := StepsError(tt.schema.MissingSteps(tt.results)); got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}
