package server

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/openkyc/kyc/gateway/internal/auth"
	"github.com/openkyc/kyc/pkg/kyc"
)

// headerToken returns the token of the `token` header or of
// `Authorization: Bearer`, or "" when the request carries neither.
func headerToken(r *http.Request) string {
	if t := strings.TrimSpace(r.Header.Get("token")); t != "" {
		return t
	}
	auth := r.Header.Get("Authorization")
	if scheme, tok, ok := strings.Cut(auth, " "); ok && strings.EqualFold(scheme, "Bearer") {
		return strings.TrimSpace(tok)
	}
	return ""
}

// principalKey is the context key of the request's authenticated caller.
const principalKey = "kyc.principal"

var errTooManyRequests = fail(http.StatusTooManyRequests, kyc.MsgTooManyRequests)

// authorize authenticates the request's token (a header's, else bodyTok),
// which must carry perm; a JWT must be of audience. It counts the request
// against the token's rate limit. A request authorised once (a header
// token checked before its body) is not counted again.
func (s *Server) authorize(c echo.Context, bodyTok, perm, audience string) (auth.Principal, error) {
	if p, ok := c.Get(principalKey).(auth.Principal); ok {
		return p, nil
	}
	tok := headerToken(c.Request())
	if tok == "" {
		tok = strings.TrimSpace(bodyTok)
	}
	ctx := c.Request().Context()
	p, err := s.deps.Auth.Authenticate(ctx, tok, audience)
	if errors.Is(err, auth.ErrDenied) {
		return p, errAccessDenied
	}
	if err != nil {
		return p, unavailable(err)
	}
	if !p.Can(perm) {
		return p, errAccessDenied
	}
	ok, retry, err := s.deps.Guard.Allow(ctx, "token:"+p.Account+":"+p.TokenID, s.cfg.RateLimit, s.cfg.RateWindow)
	if err != nil {
		return p, unavailable(err)
	}
	if !ok {
		c.Response().Header().Set("Retry-After", strconv.Itoa(int(retry.Seconds())+1))
		return p, errTooManyRequests
	}
	c.Set(principalKey, p)
	return p, nil
}

// scopeFits reports whether a temporary token's scope allows a request or
// session of schemaID and clientKey.
func scopeFits(p auth.Principal, schemaID, clientKey string) bool {
	return (p.SchemaID == "" || p.SchemaID == schemaID) && (p.ClientKey == "" || p.ClientKey == clientKey)
}

// managementRequest is the JSON body of a management call.
type managementRequest interface{ bodyToken() string }

// managementCall decodes a management call's JSON body into req and
// authorizes its caller (a permanent token or an operator) for perm.
func (s *Server) managementCall(c echo.Context, req managementRequest, perm string) (auth.Principal, error) {
	if err := decodeJSON(c, req); err != nil {
		return auth.Principal{}, err
	}
	return s.authorize(c, req.bodyToken(), perm, auth.AudienceOperator)
}
