package auth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/openkyc/kyc/pkg/accounts"
)

// Tokens is the store of permanent tokens; *accounts.Store implements it.
type Tokens interface {
	LookupToken(ctx context.Context, secret string) (accounts.Token, error)
	TokenActive(ctx context.Context, account, id string) (bool, error)
}

// Authenticator turns a token into a Principal.
type Authenticator struct {
	tokens Tokens
	signer *Signer
	// configured are the tokens of the configuration (KYC_TOKENS,
	// KYC_DEV_TOKEN) by their SHA-256: permanent tokens with every
	// permission, that only the configuration revokes.
	configured map[[32]byte]string
}

// NewAuthenticator returns an Authenticator; configured maps the
// configuration's tokens to their accounts.
func NewAuthenticator(tokens Tokens, signer *Signer, configured map[string]string) *Authenticator {
	a := &Authenticator{tokens: tokens, signer: signer, configured: map[[32]byte]string{}}
	for tok, acct := range configured {
		a.configured[sha256.Sum256([]byte(tok))] = acct
	}
	return a
}

// ConfiguredTokenID is the id under which a configured token is listed and
// rate-limited: "config-" and the first 12 hex digits of its SHA-256.
func ConfiguredTokenID(sum [32]byte) string { return "config-" + hex.EncodeToString(sum[:6]) }

// ConfiguredTokens lists the ids of account's configured tokens.
func (a *Authenticator) ConfiguredTokens(account string) []string {
	var ids []string
	for sum, acct := range a.configured {
		if acct == account {
			ids = append(ids, ConfiguredTokenID(sum))
		}
	}
	return ids
}

// Authenticate returns the principal of tok. A JWT is accepted only for
// audience ("" accepts none); a permanent token always. Failures are
// ErrDenied; other errors are the stores' failures.
func (a *Authenticator) Authenticate(ctx context.Context, tok, audience string) (Principal, error) {
	if tok == "" {
		return Principal{}, ErrDenied
	}
	if LooksLikeJWT(tok) {
		if audience == "" {
			return Principal{}, ErrDenied
		}
		return a.jwt(ctx, tok, audience)
	}
	sum := sha256.Sum256([]byte(tok))
	if acct, ok := a.configured[sum]; ok {
		return Principal{Account: acct, Kind: KindPermanent, TokenID: ConfiguredTokenID(sum),
			Permissions: accounts.AllPermissions()}, nil
	}
	t, err := a.tokens.LookupToken(ctx, tok)
	if errors.Is(err, accounts.ErrNotFound) {
		return Principal{}, ErrDenied
	}
	if err != nil {
		return Principal{}, err
	}
	return Principal{Account: t.Account, Kind: KindPermanent, TokenID: t.ID, Permissions: t.Permissions}, nil
}

func (a *Authenticator) jwt(ctx context.Context, tok, audience string) (Principal, error) {
	c, err := a.signer.Verify(ctx, tok, audience)
	if err != nil {
		return Principal{}, err
	}
	switch audience {
	case AudienceOperator:
		return Principal{Account: c.Account, Kind: KindOperator, TokenID: "user:" + c.Subject,
			Permissions: accounts.AllPermissions()}, nil
	case AudienceWidget:
		// A temporary token dies with the permanent token it came from.
		if !a.parentActive(ctx, c.Account, c.Subject) {
			return Principal{}, ErrDenied
		}
		return Principal{Account: c.Account, Kind: KindTemporary, TokenID: c.Subject,
			Permissions: []string{accounts.PermProcess}, SchemaID: c.SchemaID, ClientKey: c.ClientKey}, nil
	}
	return Principal{}, ErrDenied
}

func (a *Authenticator) parentActive(ctx context.Context, account, id string) bool {
	for sum, acct := range a.configured {
		if acct == account && ConfiguredTokenID(sum) == id {
			return true
		}
	}
	ok, err := a.tokens.TokenActive(ctx, account, id)
	return err == nil && ok
}

// MintTemporary mints a temporary token for the widget from permanent
// principal p, scoped to p's account and optionally to schemaID and
// clientKey, valid for ttl.
func (a *Authenticator) MintTemporary(ctx context.Context, p Principal, schemaID, clientKey string, ttl time.Duration) (string, time.Time, error) {
	if p.Kind != KindPermanent {
		return "", time.Time{}, ErrDenied
	}
	exp := a.signer.now().Add(ttl).Truncate(time.Second)
	tok, err := a.signer.Mint(ctx, Claims{Audience: AudienceWidget, Account: p.Account, Subject: p.TokenID,
		Permissions: []string{accounts.PermProcess}, SchemaID: schemaID, ClientKey: clientKey, Expires: exp})
	if err != nil {
		return "", time.Time{}, fmt.Errorf("auth: mint temporary token: %w", err)
	}
	return tok, exp, nil
}

// MintOperator mints an operator token for email of account, valid for ttl.
func (a *Authenticator) MintOperator(ctx context.Context, account, email string, ttl time.Duration) (string, time.Time, error) {
	exp := a.signer.now().Add(ttl).Truncate(time.Second)
	tok, err := a.signer.Mint(ctx, Claims{Audience: AudienceOperator, Account: account, Subject: email,
		Permissions: accounts.AllPermissions(), Expires: exp})
	if err != nil {
		return "", time.Time{}, fmt.Errorf("auth: mint operator token: %w", err)
	}
	return tok, exp, nil
}

// PublicKeys returns the JWKS document's key set.
func (a *Authenticator) PublicKeys(ctx context.Context) (any, error) {
	return a.signer.keys.PublicSet(ctx)
}
