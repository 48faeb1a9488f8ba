package auth

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lestrrat-go/jwx/v2/jwa"
	"github.com/lestrrat-go/jwx/v2/jwk"
	"github.com/lestrrat-go/jwx/v2/jws"
	"github.com/lestrrat-go/jwx/v2/jwt"
	"github.com/openkyc/kyc/pkg/accounts"
)

// memKeys is an in-memory KeyStore.
type memKeys struct {
	mu      sync.Mutex
	keys    map[string]accounts.SigningKey
	current string
	now     func() time.Time
}

func (m *memKeys) SigningKeys(context.Context) ([]accounts.SigningKey, string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []accounts.SigningKey
	for _, k := range m.keys {
		out = append(out, k)
	}
	return out, m.current, nil
}

func (m *memKeys) RotateSigningKey(_ context.Context, c accounts.SigningKey, maxAge, keep time.Duration) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if cur, ok := m.keys[m.current]; ok && m.now().Sub(cur.CreatedAt) < maxAge {
		return m.current, nil
	}
	c.CreatedAt = m.now()
	m.keys[c.ID], m.current = c, c.ID
	for id, k := range m.keys {
		if m.now().Sub(k.CreatedAt) > keep {
			delete(m.keys, id)
		}
	}
	return c.ID, nil
}

// memTokens is an in-memory Tokens store with one active token id.
type memTokens struct{ active map[string]bool }

func (m memTokens) LookupToken(context.Context, string) (accounts.Token, error) {
	return accounts.Token{}, accounts.ErrNotFound
}

func (m memTokens) TokenActive(_ context.Context, _, id string) (bool, error) {
	return m.active[id], nil
}

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func b64(v any) string {
	b, _ := json.Marshal(v)
	return base64.RawURLEncoding.EncodeToString(b)
}

func TestVerify(t *testing.T) {
	ctx := context.Background()
	clk := &clock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	store := &memKeys{keys: map[string]accounts.SigningKey{}, now: clk.now}
	ring := NewKeyRing(store, time.Hour, 48*time.Hour, clk.now)
	signer := NewSigner(ring, "openkyc", clk.now)
	authn := NewAuthenticator(memTokens{active: map[string]bool{"tok-1": true}}, signer, nil)
	parent := Principal{Account: "acme", Kind: KindPermanent, TokenID: "tok-1"}

	good, _, err := authn.MintTemporary(ctx, parent, "schema-1", "user-1", 10*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	orphan, _, _ := authn.MintTemporary(ctx, Principal{Account: "acme", Kind: KindPermanent, TokenID: "revoked"}, "", "", 10*time.Minute)
	operator, _, _ := authn.MintOperator(ctx, "acme", "owner@acme.test", time.Hour)
	parts := strings.Split(good, ".")
	msg, _ := jws.Parse([]byte(good))
	kid := msg.Signatures()[0].ProtectedHeaders().KeyID()

	// Tokens signed by hand.
	claims := func(mut func(map[string]any)) map[string]any {
		c := map[string]any{"iss": "openkyc", "aud": []string{AudienceWidget}, "sub": "tok-1", "acct": "acme",
			"iat": clk.t.Unix(), "nbf": clk.t.Unix(), "exp": clk.t.Add(5 * time.Minute).Unix(), "perm": []string{"process"}}
		if mut != nil {
			mut(c)
		}
		return c
	}
	signES := func(c map[string]any, k any, kid string) string {
		tok := jwt.New()
		for name, v := range c {
			if err := tok.Set(name, v); err != nil {
				t.Fatal(err)
			}
		}
		hdr := jws.NewHeaders()
		_ = hdr.Set(jws.KeyIDKey, kid)
		b, err := jwt.Sign(tok, jwt.WithKey(jwa.ES256, k, jws.WithProtectedHeaders(hdr)))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	stored, _, _ := store.SigningKeys(ctx)
	priv, err := jwk.ParseKey(stored[0].JWK)
	if err != nil {
		t.Fatal(err)
	}
	foreign, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	pubSet, _ := ring.PublicSet(ctx)
	pubJSON, _ := json.Marshal(pubSet)
	pubKey, _ := pubSet.Key(0)
	pubKeyJSON, _ := json.Marshal(pubKey)
	hs256 := func(secret []byte) string {
		input := b64(map[string]string{"alg": "HS256", "kid": kid, "typ": "JWT"}) + "." + parts[1]
		mac := hmac.New(sha256.New, secret)
		mac.Write([]byte(input))
		return input + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
	}
	var rawPriv ecdsa.PrivateKey
	if err := priv.Raw(&rawPriv); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name     string
		tok      string
		audience string
		advance  time.Duration
		ok       bool
	}{
		{name: "valid", tok: good, audience: AudienceWidget, ok: true},
		{name: "valid operator", tok: operator, audience: AudienceOperator, ok: true},
		{name: "alg none", tok: b64(map[string]string{"alg": "none", "kid": kid}) + "." + parts[1] + ".", audience: AudienceWidget},
		{name: "alg none no kid", tok: b64(map[string]string{"alg": "none"}) + "." + parts[1] + ".", audience: AudienceWidget},
		{name: "HS256 with the public JWK", tok: hs256(pubKeyJSON), audience: AudienceWidget},
		{name: "HS256 with the JWKS", tok: hs256(pubJSON), audience: AudienceWidget},
		{name: "expired", tok: good, audience: AudienceWidget, advance: 11 * time.Minute},
		{name: "not yet valid", tok: signES(claims(func(c map[string]any) { c["nbf"] = clk.t.Add(time.Minute).Unix() }), priv, kid), audience: AudienceWidget},
		{name: "no exp", tok: signES(claims(func(c map[string]any) { delete(c, "exp") }), priv, kid), audience: AudienceWidget},
		{name: "no nbf", tok: signES(claims(func(c map[string]any) { delete(c, "nbf") }), priv, kid), audience: AudienceWidget},
		{name: "hand-signed valid", tok: signES(claims(nil), priv, kid), audience: AudienceWidget, ok: true},
		{name: "other issuer", tok: signES(claims(func(c map[string]any) { c["iss"] = "evil" }), priv, kid), audience: AudienceWidget},
		{name: "other audience", tok: signES(claims(func(c map[string]any) { c["aud"] = []string{"someone-else"} }), priv, kid), audience: AudienceWidget},
		{name: "operator token for the widget", tok: operator, audience: AudienceWidget},
		{name: "widget token for operators", tok: good, audience: AudienceOperator},
		{name: "foreign key, known kid", tok: signES(claims(nil), foreign, kid)},
		{name: "own key without kid", tok: signES(claims(nil), &rawPriv, ""), audience: AudienceWidget},
		{name: "unknown kid", tok: signES(claims(nil), &rawPriv, "nope"), audience: AudienceWidget},
		{name: "tampered payload", tok: parts[0] + "." + b64(claims(func(c map[string]any) { c["acct"] = "other" })) + "." + parts[2], audience: AudienceWidget},
		{name: "parent token revoked", tok: orphan, audience: AudienceWidget},
		{name: "garbage", tok: "a.b.c", audience: AudienceWidget},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			saved := clk.t
			clk.t = clk.t.Add(tt.advance)
			defer func() { clk.t = saved }()
			p, err := authn.Authenticate(ctx, tt.tok, tt.audience)
			if tt.ok {
				if err != nil || p.Account != "acme" {
					t.Fatalf("Authenticate = %+v, %v", p, err)
				}
				return
			}
			if !errors.Is(err, ErrDenied) {
				t.Fatalf("Authenticate = %+v, %v; want ErrDenied", p, err)
			}
		})
	}
	p, err := authn.Authenticate(ctx, good, AudienceWidget)
	if err != nil || p.Kind != KindTemporary || p.SchemaID != "schema-1" || p.ClientKey != "user-1" || p.TokenID != "tok-1" || !p.Can("process") || p.Can("tokens") {
		t.Fatalf("temporary principal %+v, %v", p, err)
	}
}

func TestKeyRotation(t *testing.T) {
	ctx := context.Background()
	clk := &clock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	store := &memKeys{keys: map[string]accounts.SigningKey{}, now: clk.now}
	// Two gateways sharing one store.
	ring1 := NewKeyRing(store, time.Hour, 3*time.Hour, clk.now)
	ring2 := NewKeyRing(store, time.Hour, 3*time.Hour, clk.now)
	s1, s2 := NewSigner(ring1, "openkyc", clk.now), NewSigner(ring2, "openkyc", clk.now)
	mint := func() string {
		tok, err := s1.Mint(ctx, Claims{Audience: AudienceWidget, Account: "acme", Expires: clk.t.Add(5 * time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	kidOf := func(tok string) string {
		m, _ := jws.Parse([]byte(tok))
		return m.Signatures()[0].ProtectedHeaders().KeyID()
	}
	old := mint()
	clk.t = clk.t.Add(90 * time.Minute)
	fresh := mint()
	if kidOf(old) == kidOf(fresh) {
		t.Fatal("the key did not rotate")
	}
	for _, tok := range []string{old, fresh} {
		if _, err := s2.Verify(ctx, tok, AudienceWidget); err != nil {
			t.Fatalf("the other gateway cannot verify kid %s: %v", kidOf(tok), err)
		}
	}
	set, _ := ring2.PublicSet(ctx)
	if set.Len() != 2 {
		t.Fatalf("JWKS holds %d keys, want 2", set.Len())
	}
	// Past keep, the old key is gone from the store: its tokens fail.
	clk.t = clk.t.Add(3 * time.Hour)
	mint()
	if _, err := s2.Verify(ctx, old, AudienceWidget); !errors.Is(err, ErrDenied) {
		t.Fatalf("token of a dropped key: %v", err)
	}
}
