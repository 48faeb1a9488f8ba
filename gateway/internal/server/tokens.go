package server

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/openkyc/kyc/gateway/internal/auth"
	"github.com/openkyc/kyc/pkg/accounts"
	"github.com/openkyc/kyc/pkg/config"
	"github.com/openkyc/kyc/pkg/kyc"
)

// tokenInfo is a permanent token as the API shows it: never its secret,
// except in the answer of its creation.
type tokenInfo struct {
	Status      string         `json:"status,omitempty"`
	Token       string         `json:"token,omitempty"`
	TokenID     string         `json:"tokenId"`
	Name        string         `json:"name,omitempty"`
	Permissions []string       `json:"permissions"`
	CreatedAt   *kyc.Timestamp `json:"createdAt,omitempty"`
	Expires     *kyc.Timestamp `json:"expires,omitempty"`
	// Configured marks a token of the configuration (KYC_TOKENS,
	// KYC_DEV_TOKEN), which the API cannot change.
	Configured bool `json:"configured,omitempty"`
}

func infoOf(t accounts.Token) tokenInfo {
	created := kyc.Timestamp(t.CreatedAt)
	ti := tokenInfo{TokenID: t.ID, Name: t.Name, Permissions: t.Permissions, CreatedAt: &created}
	if !t.Expires.IsZero() {
		exp := kyc.Timestamp(t.Expires)
		ti.Expires = &exp
	}
	return ti
}

// tokenRequest is the body of the token management calls.
type tokenRequest struct {
	Token       string         `json:"token"`
	TokenID     string         `json:"token_id"`
	Name        string         `json:"name"`
	Expires     *kyc.Timestamp `json:"expires"`
	Permissions []string       `json:"permissions"`
}

// checkGrant refuses permissions unknown or beyond the caller's own, and
// expiries in the past.
func (s *Server) checkGrant(pr auth.Principal, req tokenRequest) error {
	if !accounts.ValidPermissions(req.Permissions) {
		return invalid("permissions must be among " + strings.Join(accounts.AllPermissions(), ", "))
	}
	for _, p := range req.Permissions {
		if !pr.Can(p) {
			return invalid("cannot grant a permission the caller lacks: " + p)
		}
	}
	if req.Expires != nil && !req.Expires.Time().After(s.now()) {
		return invalid("expires must be in the future")
	}
	if len(req.Name) > 100 {
		return invalid("name too long")
	}
	return nil
}

func expiry(t *kyc.Timestamp) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.Time()
}

// createToken implements POST /v1/token/create.
func (s *Server) createToken(c echo.Context) error {
	var req tokenRequest
	pr, err := s.managementCall(c, &req, accounts.PermTokens)
	if err != nil {
		return err
	}
	if err := s.checkGrant(pr, req); err != nil {
		return err
	}
	perms := req.Permissions
	if perms == nil {
		perms = accounts.DefaultPermissions()
		perms = slices.DeleteFunc(perms, func(p string) bool { return !pr.Can(p) })
	}
	secret, t, err := s.deps.Accounts.CreateToken(c.Request().Context(), pr.Account, req.Name, perms, expiry(req.Expires))
	if err != nil {
		return unavailable(err)
	}
	ti := infoOf(t)
	ti.Status, ti.Token = "success", secret
	return c.JSON(http.StatusOK, ti)
}

// tokenList is the answer of POST /v1/tokens.
type tokenList struct {
	Status string      `json:"status"`
	Tokens []tokenInfo `json:"tokens"`
}

// listTokens implements POST /v1/tokens: the account's tokens, the
// configured ones first.
func (s *Server) listTokens(c echo.Context) error {
	var req tokenRequest
	pr, err := s.managementCall(c, &req, accounts.PermTokens)
	if err != nil {
		return err
	}
	out := tokenList{Status: "success", Tokens: []tokenInfo{}}
	ids := s.deps.Auth.ConfiguredTokens(pr.Account)
	slices.Sort(ids)
	for _, id := range ids {
		out.Tokens = append(out.Tokens, tokenInfo{TokenID: id, Permissions: accounts.AllPermissions(), Configured: true})
	}
	ts, err := s.deps.Accounts.Tokens(c.Request().Context(), pr.Account)
	if err != nil {
		return unavailable(err)
	}
	for _, t := range ts {
		out.Tokens = append(out.Tokens, infoOf(t))
	}
	return c.JSON(http.StatusOK, out)
}

// updateToken implements POST /v1/token/update: a new expiry (none when
// absent) and, when given, new permissions.
func (s *Server) updateToken(c echo.Context) error {
	var req tokenRequest
	pr, err := s.managementCall(c, &req, accounts.PermTokens)
	if err != nil {
		return err
	}
	if req.TokenID == "" {
		return invalid("token_id is required")
	}
	if err := s.checkGrant(pr, req); err != nil {
		return err
	}
	t, err := s.deps.Accounts.UpdateToken(c.Request().Context(), pr.Account, req.TokenID, req.Permissions, expiry(req.Expires))
	if errors.Is(err, accounts.ErrNotFound) {
		return errNotFound
	}
	if err != nil {
		return unavailable(err)
	}
	ti := infoOf(t)
	ti.Status = "success"
	return c.JSON(http.StatusOK, ti)
}

// deleteToken implements POST /v1/token/delete: the token stops working
// at once, and so do the temporary tokens minted from it.
func (s *Server) deleteToken(c echo.Context) error {
	var req tokenRequest
	pr, err := s.managementCall(c, &req, accounts.PermTokens)
	if err != nil {
		return err
	}
	if req.TokenID == "" {
		return invalid("token_id is required")
	}
	err = s.deps.Accounts.DeleteToken(c.Request().Context(), pr.Account, req.TokenID)
	if errors.Is(err, accounts.ErrNotFound) {
		return errNotFound
	}
	if err != nil {
		return unavailable(err)
	}
	return c.JSON(http.StatusOK, succeeded())
}

// temporaryRequest is the body of POST /v1/token/temporary.
type temporaryRequest struct {
	Token     string `json:"token"`
	SchemaID  string `json:"schemaId"`
	ClientKey string `json:"clientKey"`
	// ExpiresIn is the lifetime in seconds (KYC_TEMP_TOKEN_TTL when 0).
	ExpiresIn int `json:"expiresIn"`
}

// jwtAnswer is the answer of the calls that mint a JWT.
type jwtAnswer struct {
	Status  string        `json:"status"`
	Token   string        `json:"token"`
	Expires kyc.Timestamp `json:"expires"`
}

// temporaryToken implements POST /v1/token/temporary: a short-lived JWT
// for a browser widget, minted from a permanent token with the process
// permission and scoped to its account and optionally a schema and client.
func (s *Server) temporaryToken(c echo.Context) error {
	var req temporaryRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	pr, err := s.authorize(c, req.Token, accounts.PermProcess, "")
	if err != nil {
		return err
	}
	ttl := s.cfg.TempTokenTTL
	if req.ExpiresIn != 0 {
		ttl = time.Duration(req.ExpiresIn) * time.Second
	}
	if ttl <= 0 || ttl > config.MaxTempTokenTTL {
		return invalid("expiresIn must be between 1 and 3600 seconds")
	}
	if req.ClientKey != "" && !validClientKey(req.ClientKey) {
		return invalid("clientKey must be 1 to 36 printable characters")
	}
	if req.SchemaID != "" {
		_, found, err := s.deps.Accounts.Schema(c.Request().Context(), pr.Account, req.SchemaID)
		if err != nil {
			return unavailable(err)
		}
		if !found {
			return errInvalidSchema
		}
	}
	tok, exp, err := s.deps.Auth.MintTemporary(c.Request().Context(), pr, req.SchemaID, req.ClientKey, ttl)
	if errors.Is(err, auth.ErrDenied) {
		return errAccessDenied
	}
	if err != nil {
		return unavailable(err)
	}
	return c.JSON(http.StatusOK, jwtAnswer{Status: "success", Token: tok, Expires: kyc.Timestamp(exp)})
}

// jwks implements GET /.well-known/jwks.json.
func (s *Server) jwks(c echo.Context) error {
	set, err := s.deps.Auth.PublicKeys(c.Request().Context())
	if err != nil {
		return unavailable(err)
	}
	c.Response().Header().Set("Cache-Control", "public, max-age=60")
	return c.JSON(http.StatusOK, set)
}

// bodyToken is the token a management request may carry in its body.
func (r *tokenRequest) bodyToken() string { return r.Token }
