package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/openkyc/kyc/pkg/guard"
	"github.com/redis/go-redis/v9"
)

// The owner of account acct-a, seeded through KYC_ACCOUNTS_FILE.
const (
	ownerA    = "owner@acct-a.test"
	passwordA = "correct horse battery staple"
)

func writeAccounts(dir string) (string, error) {
	b, _ := json.Marshal([]map[string]string{{"id": "acct-a", "owner": ownerA, "password": passwordA}})
	p := filepath.Join(dir, "accounts.json")
	return p, os.WriteFile(p, b, 0o600)
}

// post sends body as JSON to path with token in the token header (none
// when empty) and validates the answer against the OpenAPI description.
func (s *stack) post(t testing.TB, path, token string, body any) answer {
	t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, s.base+path, bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("token", token)
	}
	return s.do(t, req)
}

// getJSON GETs path with token and validates the answer.
func (s *stack) getJSON(t testing.TB, path, token string) answer {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, s.base+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return s.do(t, req)
}

// wantError fails unless a is an error answer of code and message.
func wantError(t testing.TB, what string, a answer, code int, msg string) {
	t.Helper()
	if a.code != code {
		t.Fatalf("%s: %d %s, want %d %q", what, a.code, a.body, code, msg)
	}
	var e struct{ Message, Status string }
	mustJSON(t, a.body, &e)
	if e.Message != msg || e.Status != "error" {
		t.Fatalf("%s: body %s, want message %q", what, a.body, msg)
	}
}

// wantOK fails unless a is a 200 and decodes it into v (when not nil).
func wantOK(t testing.TB, what string, a answer, v any) {
	t.Helper()
	if a.code != http.StatusOK {
		t.Fatalf("%s: %d %s", what, a.code, a.body)
	}
	if v != nil {
		mustJSON(t, a.body, v)
	}
}

// redisOf is a client of the stack's Redis, for assertions about what
// it holds.
func (s *stack) redisOf(t testing.TB) *redis.Client {
	t.Helper()
	rdb := redis.NewClient(&redis.Options{Addr: s.redis.Addr})
	t.Cleanup(func() { rdb.Close() })
	return rdb
}

// captchaAnswer reads the answer of a challenge from the stack's Redis,
// as a person would read the image.
func (s *stack) captchaAnswer(t testing.TB, id string) string {
	t.Helper()
	a, err := guard.New(s.redisOf(t), nil).PeekCaptcha(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return a
}
