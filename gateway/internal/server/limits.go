package server

import (
	"errors"
	"io"

	"github.com/labstack/echo/v4"
)

// errLimit is returned by a limitedReader past its limit.
var errLimit = errors.New("size limit exceeded")

// limitedReader fails with errLimit once more than n bytes were read, and
// remembers that it did, so the cause survives whatever wraps the error.
type limitedReader struct {
	r        io.Reader
	n        int64
	exceeded bool
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.n < 0 {
		l.exceeded = true
		return 0, errLimit
	}
	if int64(len(p)) > l.n+1 {
		p = p[:l.n+1]
	}
	k, err := l.r.Read(p)
	l.n -= int64(k)
	if l.n < 0 {
		l.exceeded = true
		return k, errLimit
	}
	return k, err
}

// bodyKey is the context key of the request's limited body.
const bodyKey = "kyc.body"

// limitBody refuses a body declared larger than the limit at once and
// wraps the body so that reading past the limit fails.
func (s *Server) limitBody(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if r.ContentLength > s.cfg.MaxBodyBytes {
			return errBodyTooLarge
		}
		lr := &limitedReader{r: r.Body, n: s.cfg.MaxBodyBytes}
		r.Body = struct {
			io.Reader
			io.Closer
		}{lr, r.Body}
		c.Set(bodyKey, lr)
		err := next(c)
		if lr.exceeded {
			// Drain nothing more: the connection closes after the answer.
			c.Response().Header().Set("Connection", "close")
			return errBodyTooLarge
		}
		return err
	}
}

// bodyExceeded reports whether the request's body passed its limit.
func bodyExceeded(c echo.Context) bool {
	lr, ok := c.Get(bodyKey).(*limitedReader)
	return ok && lr.exceeded
}
