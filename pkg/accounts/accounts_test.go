package accounts

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/openkyc/kyc/pkg/schema"
	"github.com/openkyc/kyc/pkg/testenv"
	"github.com/redis/go-redis/v9"
)

func TestPasswords(t *testing.T) {
	h, err := HashPassword("s3cret")
	if err != nil || !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %q, %v", h, err)
	}
	h2, _ := HashPassword("s3cret")
	if h == h2 {
		t.Fatal("two hashes of one password are equal: no salt")
	}
	tests := []struct {
		name, hash, password string
		ok                   bool
		bad                  bool
	}{
		{name: "right", hash: h, password: "s3cret", ok: true},
		{name: "wrong", hash: h, password: "s3cret!"},
		{name: "empty", hash: h, password: ""},
		{name: "not argon2id", hash: "$2a$10$abc", password: "s3cret", bad: true},
		{name: "truncated", hash: h[:20], password: "s3cret", bad: true},
		{name: "bad params", hash: strings.Replace(h, "m=19456", "m=x", 1), password: "s3cret", bad: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, err := CheckPassword(tt.hash, tt.password)
			if ok != tt.ok || (err != nil) != tt.bad {
				t.Fatalf("CheckPassword = %v, %v", ok, err)
			}
		})
	}
}

func TestTokensAndUsers(t *testing.T) {
	ctx := context.Background()
	rdb := redis.NewClient(&redis.Options{Addr: testenv.Redis(t)})
	defer rdb.Close()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	reg, _ := schema.NewRegistry(schema.Schema{ID: "seeded"})
	st := New(rdb, reg, func() time.Time { return now })

	secret, tok, err := st.CreateToken(ctx, "acme", "ci", nil, now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := rdb.Keys(ctx, "*"+secret+"*").Result(); len(got) != 0 {
		t.Fatal("the secret is stored in clear")
	}
	if got, err := st.LookupToken(ctx, secret); err != nil || got.ID != tok.ID || !got.Can(PermProcess) || got.Can(PermTokens) {
		t.Fatalf("LookupToken = %+v, %v", got, err)
	}
	if _, err := st.UpdateToken(ctx, "other", tok.ID, nil, time.Time{}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("another account updated it: %v", err)
	}
	now = now.Add(2 * time.Hour)
	if _, err := st.LookupToken(ctx, secret); !errors.Is(err, ErrNotFound) {
		t.Fatalf("expired token: %v", err)
	}
	if _, err := st.UpdateToken(ctx, "acme", tok.ID, []string{PermProcess, PermTokens}, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if got, err := st.LookupToken(ctx, secret); err != nil || !got.Can(PermTokens) {
		t.Fatalf("after update: %+v, %v", got, err)
	}
	if err := st.DeleteToken(ctx, "other", tok.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("another account deleted it: %v", err)
	}
	if err := st.DeleteToken(ctx, "acme", tok.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := st.LookupToken(ctx, secret); !errors.Is(err, ErrNotFound) {
		t.Fatalf("deleted token: %v", err)
	}

	if err := st.EnsureAccount(ctx, Seed{ID: "acme", Owner: "Boss@Acme.test", Password: "pw"}); err != nil {
		t.Fatal(err)
	}
	if acct, err := st.Login(ctx, "boss@acme.test", "pw"); err != nil || acct != "acme" {
		t.Fatalf("Login = %q, %v", acct, err)
	}
	for _, bad := range [][2]string{{"boss@acme.test", "PW"}, {"nobody@acme.test", "pw"}} {
		if _, err := st.Login(ctx, bad[0], bad[1]); !errors.Is(err, ErrBadCredentials) {
			t.Fatalf("Login(%q) = %v", bad[0], err)
		}
	}

	// Schemas: seeded for all, own ones per account.
	if err := st.PutSchema(ctx, "acme", schema.Schema{ID: "mine", MaxFailedAttempts: 2}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		acct, id string
		found    bool
	}{{"acme", "mine", true}, {"other", "mine", false}, {"other", "seeded", true}, {"other", "", true}} {
		if _, found, err := st.Schema(ctx, c.acct, c.id); err != nil || found != c.found {
			t.Errorf("Schema(%s, %q) found %v, %v", c.acct, c.id, found, err)
		}
	}
}
