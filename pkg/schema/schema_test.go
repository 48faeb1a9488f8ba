package schema

import (
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
