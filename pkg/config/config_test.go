package config

import (
	"strings"
	"testing"
	"time"
)

func TestLoadFrom(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		check   func(Config) bool
		wantErr string
	}{
		{name: "defaults", env: nil, check: func(c Config) bool {
			return c.HTTPAddr == "127.0.0.1:8080" && c.TaskTimeout == 2*time.Minute && c.MaxImages == 10
		}},
		{name: "tokens", env: map[string]string{"KYC_TOKENS": "a=acme, b", "KYC_DEV_TOKEN": "d"}, check: func(c Config) bool {
			all := c.AllTokens()
			return all["a"] == "acme" && all["b"] == "default" && all["d"] == "dev" && len(all) == 3
		}},
		{name: "stages", env: map[string]string{"KYC_STAGES": " faces , document,"}, check: func(c Config) bool {
			return len(c.Stages) == 2 && c.Stages[0] == "faces" && c.Stages[1] == "document"
		}},
		{name: "no stages", env: map[string]string{"KYC_STAGES": "none"}, check: func(c Config) bool { return len(c.Stages) == 0 }},
		{name: "bad duration", env: map[string]string{"KYC_SYNC_TIMEOUT": "soon"}, wantErr: "KYC_SYNC_TIMEOUT"},
		{name: "bad int", env: map[string]string{"KYC_MAX_IMAGES": "x"}, wantErr: "KYC_MAX_IMAGES"},
		{name: "task timeout over 2m", env: map[string]string{"KYC_TASK_TIMEOUT": "3m"}, wantErr: "KYC_TASK_TIMEOUT"},
		{name: "zero limit", env: map[string]string{"KYC_MAX_PIXELS": "0"}, wantErr: "limits"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := LoadFrom(func(k string) string { return tt.env[k] })
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one naming %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !tt.check(c) {
				t.Fatalf("unexpected config %+v", c)
			}
		})
	}
}
