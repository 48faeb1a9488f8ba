// Package auth authenticates the gateway's callers: permanent API tokens
// (configured, or created through the API and stored hashed), temporary
// JWTs minted from a permanent token for a browser widget, and operators'
// JWTs from /v1/user/login. JWTs are ES256, signed with keys shared by all
// gateways through Redis and rotated by kid.
package auth

import (
	"errors"
	"slices"
)

// ErrDenied is every authentication failure: a missing, unknown, expired,
// revoked or ill-signed token, or one of the wrong audience or scope. The
// API answers it 401 "access denied" without saying which.
var ErrDenied = errors.New("auth: access denied")

// Kinds of principals.
const (
	KindPermanent = "permanent"
	KindTemporary = "temporary"
	KindOperator  = "operator"
)

// JWT audiences: a temporary token is for the widget's calls, an operator
// token for the management endpoints; neither is accepted for the other.
const (
	AudienceWidget   = "kyc-widget"
	AudienceOperator = "kyc-operator"
)

// Principal is an authenticated caller.
type Principal struct {
	Account string
	Kind    string
	// TokenID identifies the caller for rate limits and revocation: the
	// permanent token's id (also for the temporary tokens minted from it),
	// or "user:<email>" for an operator.
	TokenID     string
	Permissions []string
	// SchemaID and ClientKey, when set, restrict a temporary token to
	// requests of that schema and client.
	SchemaID  string
	ClientKey string
}

// Can reports whether p carries permission perm.
func (p Principal) Can(perm string) bool { return slices.Contains(p.Permissions, perm) }
