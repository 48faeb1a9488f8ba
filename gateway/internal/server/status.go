package server

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/openkyc/kyc/gateway/internal/auth"
	"github.com/openkyc/kyc/pkg/accounts"
	"github.com/openkyc/kyc/pkg/sessions"
)

// statusRequest is the body of /v1/kyc/session/status.
type statusRequest struct {
	SessionID string `json:"sessionId"`
	ClientKey string `json:"clientKey"`
	Token     string `json:"token"`
}

// sessionStatus implements POST /v1/kyc/session/status: the session named
// by sessionId, or the latest session of clientKey (which wins when both
// are given).
func (s *Server) sessionStatus(c echo.Context) error {
	ctx := c.Request().Context()
	var req statusRequest
	dec := json.NewDecoder(c.Request().Body)
	if err := dec.Decode(&req); err != nil {
		if bodyExceeded(c) {
			return errBodyTooLarge
		}
		// A body may be empty when the token is in a header and nothing
		// else is given: that is answered below as a missing id.
		if !errors.Is(err, io.EOF) {
			return invalid("a JSON body is required")
		}
	}
	pr, err := s.authorize(c, req.Token, accounts.PermProcess, auth.AudienceWidget)
	if err != nil {
		return err
	}
	acct := pr.Account
	id := strings.TrimSpace(req.SessionID)
	key := strings.TrimSpace(req.ClientKey)
	if key != "" && pr.ClientKey != "" && key != pr.ClientKey {
		return errAccessDenied
	}
	if key == "" && id == "" {
		key = pr.ClientKey
	}
	if key != "" {
		latest, err := s.deps.Sessions.Latest(ctx, acct, key)
		if errors.Is(err, sessions.ErrNotFound) {
			return errNotFound
		}
		if err != nil {
			return unavailable(err)
		}
		id = latest
	}
	if id == "" {
		return invalid("sessionId or clientKey is required")
	}
	sess, err := s.deps.Sessions.Get(ctx, id)
	if errors.Is(err, sessions.ErrNotFound) || (err == nil && (sess.Account != acct || !scopeFits(pr, sess.SchemaID, sess.ClientKey))) {
		return errNotFound
	}
	if err != nil {
		return unavailable(err)
	}
	return c.JSON(http.StatusOK, s.sessionStatusResponse(ctx, sess))
}
