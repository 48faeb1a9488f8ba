package auth

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/lestrrat-go/jwx/v2/jws"
	"github.com/lestrrat-go/jwx/v2/jwt"
)

// Claims are what the service's JWTs say besides iss, iat and jti.
type Claims struct {
	Audience string
	Account  string
	// Subject is the parent permanent token's id for a temporary token, the
	// operator's email for an operator token.
	Subject     string
	Permissions []string
	SchemaID    string
	ClientKey   string
	NotBefore   time.Time
	Expires     time.Time
}

// Private claim names.
const (
	claimAccount   = "acct"
	claimPerms     = "perm"
	claimSchemaID  = "schemaId"
	claimClientKey = "clientKey"
)

// Signer mints and verifies the service's JWTs.
type Signer struct {
	keys   *KeyRing
	issuer string
	now    func() time.Time
	// skew is the clock difference tolerated on exp and nbf.
	skew time.Duration
}

// NewSigner returns a Signer issuing as issuer with keys.
func NewSigner(keys *KeyRing, issuer string, now func() time.Time) *Signer {
	if now == nil {
		now = time.Now
	}
	return &Signer{keys: keys, issuer: issuer, now: now, skew: time.Second}
}

// Mint signs c with the current key.
func (s *Signer) Mint(ctx context.Context, c Claims) (string, error) {
	key, err := s.keys.signer(ctx)
	if err != nil {
		return "", err
	}
	now := s.now()
	nbf := c.NotBefore
	if nbf.IsZero() {
		nbf = now
	}
	b := jwt.NewBuilder().
		Issuer(s.issuer).Audience([]string{c.Audience}).Subject(c.Subject).
		IssuedAt(now).NotBefore(nbf).Expiration(c.Expires).JwtID(uuid.NewString()).
		Claim(claimAccount, c.Account).Claim(claimPerms, c.Permissions)
	if c.SchemaID != "" {
		b = b.Claim(claimSchemaID, c.SchemaID)
	}
	if c.ClientKey != "" {
		b = b.Claim(claimClientKey, c.ClientKey)
	}
	tok, err := b.Build()
	if err != nil {
		return "", fmt.Errorf("auth: build jwt: %w", err)
	}
	hdr := jws.NewHeaders()
	if err := hdr.Set(jws.KeyIDKey, key.KeyID()); err != nil {
		return "", fmt.Errorf("auth: jwt header: %w", err)
	}
	signed, err := jwt.Sign(tok, jwt.WithKey(Algorithm, key, jws.WithProtectedHeaders(hdr)))
	if err != nil {
		return "", fmt.Errorf("auth: sign jwt: %w", err)
	}
	return string(signed), nil
}

// LooksLikeJWT tells a compact JWS from a permanent token.
func LooksLikeJWT(tok string) bool { return strings.Count(tok, ".") == 2 }

// Verify checks a JWT for audience as RFC 8725 asks: exactly one
// signature, the algorithm pinned to ES256 whatever the header says (so
// "none" and HS256 signed with the public key fail), a known kid, then iss,
// aud, exp and nbf, all required. Any failure is ErrDenied.
func (s *Signer) Verify(ctx context.Context, raw, audience string) (Claims, error) {
	msg, err := jws.Parse([]byte(raw))
	if err != nil || len(msg.Signatures()) != 1 {
		return Claims{}, ErrDenied
	}
	hdr := msg.Signatures()[0].ProtectedHeaders()
	if hdr.Algorithm() != Algorithm || hdr.KeyID() == "" {
		return Claims{}, ErrDenied
	}
	pub, err := s.keys.public(ctx, hdr.KeyID())
	if err != nil {
		return Claims{}, fmt.Errorf("auth: keys: %w", err)
	}
	if pub == nil {
		return Claims{}, ErrDenied
	}
	tok, err := jwt.Parse([]byte(raw),
		jwt.WithKey(Algorithm, pub),
		jwt.WithValidate(true),
		jwt.WithIssuer(s.issuer),
		jwt.WithAudience(audience),
		jwt.WithRequiredClaim(jwt.ExpirationKey),
		jwt.WithRequiredClaim(jwt.NotBeforeKey),
		jwt.WithRequiredClaim(claimAccount),
		jwt.WithClock(jwt.ClockFunc(s.now)),
		jwt.WithAcceptableSkew(s.skew),
	)
	if err != nil {
		return Claims{}, ErrDenied
	}
	c := Claims{Audience: audience, Subject: tok.Subject(), NotBefore: tok.NotBefore(), Expires: tok.Expiration()}
	priv := tok.PrivateClaims()
	c.Account, _ = priv[claimAccount].(string)
	c.SchemaID, _ = priv[claimSchemaID].(string)
	c.ClientKey, _ = priv[claimClientKey].(string)
	if perms, ok := priv[claimPerms].([]any); ok {
		for _, p := range perms {
			if s, ok := p.(string); ok {
				c.Permissions = append(c.Permissions, s)
			}
		}
	}
	if c.Account == "" {
		return Claims{}, ErrDenied
	}
	return c, nil
}
