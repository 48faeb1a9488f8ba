package server

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/openkyc/kyc/pkg/accounts"
	"github.com/openkyc/kyc/pkg/kyc"
)

// loginRequest is the body of POST /v1/user/login.
type loginRequest struct {
	Email     string `json:"email"`
	Password  string `json:"password"`
	ValidDays int    `json:"valid_days"`
}

// maxValidDays bounds an operator token's lifetime.
const maxValidDays = 30

// login implements POST /v1/user/login: an operator's email and password
// for a JWT of the management endpoints, valid for valid_days (1 by
// default, at most 30). Logins count against a rate limit per email.
func (s *Server) login(c echo.Context) error {
	var req loginRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if req.ValidDays == 0 {
		req.ValidDays = 1
	}
	if req.ValidDays < 0 || req.ValidDays > maxValidDays {
		return invalid("valid_days must be between 1 and 30")
	}
	if req.Email == "" || req.Password == "" {
		return invalid("email and password are required")
	}
	ctx := c.Request().Context()
	email := strings.ToLower(strings.TrimSpace(req.Email))
	allowed, retry, err := s.deps.Guard.Allow(ctx, "login:"+email, s.cfg.RateLimit, s.cfg.RateWindow)
	if err != nil {
		return unavailable(err)
	}
	if !allowed {
		c.Response().Header().Set("Retry-After", strconv.Itoa(int(retry.Seconds())+1))
		return errTooManyRequests
	}
	acct, err := s.deps.Accounts.Login(ctx, email, req.Password)
	if errors.Is(err, accounts.ErrBadCredentials) {
		return errAccessDenied
	}
	if err != nil {
		return unavailable(err)
	}
	tok, exp, err := s.deps.Auth.MintOperator(ctx, acct, email, time.Duration(req.ValidDays)*24*time.Hour)
	if err != nil {
		return unavailable(err)
	}
	return c.JSON(http.StatusOK, jwtAnswer{Status: "success", Token: tok, Expires: kyc.Timestamp(exp)})
}
