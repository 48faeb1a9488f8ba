package server

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/openkyc/kyc/pkg/kyc"
)

// apiError is an error answered as {"message": ..., "status": "error"}.
type apiError struct {
	code int
	msg  string
	// err is the cause, logged but never shown to the client.
	err error
}

func (e *apiError) Error() string {
	if e.err != nil {
		return e.msg + ": " + e.err.Error()
	}
	return e.msg
}

func (e *apiError) Unwrap() error { return e.err }

func fail(code int, msg string) *apiError { return &apiError{code: code, msg: msg} }

func internal(err error) *apiError {
	return &apiError{code: http.StatusInternalServerError, msg: kyc.MsgInternal, err: err}
}

var (
	errAccessDenied  = fail(http.StatusUnauthorized, kyc.MsgAccessDenied)
	errInvalidSchema = fail(http.StatusBadRequest, kyc.MsgInvalidSchema)
	errNotFound      = fail(http.StatusNotFound, kyc.MsgNotFound)
	errBodyTooLarge  = fail(http.StatusRequestEntityTooLarge, kyc.MsgBodyTooLarge)
)

func invalid(what string) *apiError {
	return fail(http.StatusBadRequest, kyc.MsgInvalidRequest+": "+what)
}

// handleError answers every error in the API's shape.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	var ae *apiError
	var he *echo.HTTPError
	switch {
	case errors.As(err, &ae):
	case errors.As(err, &he):
		ae = &apiError{code: he.Code, msg: http.StatusText(he.Code)}
		switch he.Code {
		case http.StatusNotFound:
			ae.msg = kyc.MsgRouteNotFound
		case http.StatusMethodNotAllowed:
			ae.msg = kyc.MsgMethodNotAllowed
		case http.StatusRequestEntityTooLarge:
			ae.msg = kyc.MsgBodyTooLarge
		}
		if he.Internal != nil {
			ae.err = he.Internal
		}
	default:
		ae = internal(err)
	}
	if ae.code >= 500 {
		s.log.ErrorContext(c.Request().Context(), "request failed", "request_id", requestID(c), "err", err)
	}
	s.metrics.failures.WithLabelValues(ae.msg).Inc()
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(ae.code)
		return
	}
	_ = c.JSON(ae.code, kyc.NewErrorBody(ae.msg))
}

func requestID(c echo.Context) string { return c.Response().Header().Get(echo.HeaderXRequestID) }
