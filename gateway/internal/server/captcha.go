package server

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/openkyc/kyc/gateway/internal/auth"
	"github.com/openkyc/kyc/gateway/internal/captcha"
	"github.com/openkyc/kyc/pkg/accounts"
	"github.com/openkyc/kyc/pkg/guard"
	"github.com/openkyc/kyc/pkg/kyc"
	"github.com/openkyc/kyc/pkg/schema"
	"github.com/openkyc/kyc/pkg/sessions"
)

// captchaTTL is how long a challenge can be answered.
const captchaTTL = 5 * time.Minute

var (
	errCaptchaRequired = fail(http.StatusBadRequest, kyc.MsgCaptchaRequired)
	errCaptchaInvalid  = fail(http.StatusBadRequest, kyc.MsgCaptchaInvalid)
)

// captchaAnswer is the answer of GET /v1/captcha.
type captchaAnswer struct {
	ID string `json:"id"`
	// Image is the challenge as a data: URL of a PNG.
	Image string `json:"image"`
	// Expires is when the challenge stops being accepted.
	Expires kyc.Timestamp `json:"expires"`
}

// newCaptcha implements GET /v1/captcha: a challenge for the caller's
// account, answered in /v1/kyc/process's captcha field as "id:answer".
func (s *Server) newCaptcha(c echo.Context) error {
	pr, err := s.authorize(c, c.QueryParam("token"), accounts.PermProcess, auth.AudienceWidget)
	if err != nil {
		return err
	}
	ch, err := captcha.New()
	if err != nil {
		return internal(err)
	}
	if err := s.deps.Guard.PutCaptcha(c.Request().Context(), pr.Account, ch.ID, ch.Answer, captchaTTL); err != nil {
		return unavailable(err)
	}
	return c.JSON(http.StatusOK, captchaAnswer{ID: ch.ID, Image: "data:image/png;base64," + base64.StdEncoding.EncodeToString(ch.PNG),
		Expires: kyc.Timestamp(s.now().Add(captchaTTL))})
}

// checkCaptcha demands and checks the captcha field when the schema wants
// one for this request: always, or once the clientKey (or, without one,
// the address) has reached the schema's limit of failed sessions.
func (s *Server) checkCaptcha(ctx context.Context, p processParams, field string) error {
	need := p.schema.Captcha == schema.CaptchaAlways
	if !need && p.schema.Captcha == schema.CaptchaAfterFailures && p.schema.MaxFailedAttempts > 0 {
		subject := (&sessions.Session{ClientKey: p.clientKey, Addr: p.addr}).FailureSubject()
		n, err := s.deps.Sessions.Failures(ctx, p.account, subject)
		if err != nil {
			return unavailable(err)
		}
		need = n >= p.schema.MaxFailedAttempts
	}
	if !need {
		return nil
	}
	if field == "" {
		return errCaptchaRequired
	}
	id, answer, found := strings.Cut(field, ":")
	if !found {
		return errCaptchaInvalid
	}
	err := s.deps.Guard.SolveCaptcha(ctx, p.account, id, answer)
	if errors.Is(err, guard.ErrCaptcha) {
		return errCaptchaInvalid
	}
	if err != nil {
		return unavailable(err)
	}
	return nil
}
