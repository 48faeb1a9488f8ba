package server

import (
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/openkyc/kyc/gateway/api"
)

// routes lists every route of the gateway.
func (s *Server) routes() *echo.Echo {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	// The peer's address, not a header a client could forge; a gateway
	// behind a proxy needs an extractor that trusts that proxy.
	e.IPExtractor = echo.ExtractIPDirect()
	e.HTTPErrorHandler = s.handleError
	e.Use(middleware.RequestID())
	e.Use(s.observe)
	e.Use(middleware.Recover())

	v1 := e.Group("/v1")
	v1.POST("/kyc/process", s.process, s.limitBody)
	v1.POST("/kyc/session/status", s.sessionStatus, s.limitBody)
	v1.POST("/kyc/sessions/filter", s.filterSessions, s.limitBody)
	v1.POST("/kyc/session/delete", s.deleteSession, s.limitBody)
	v1.GET("/captcha", s.newCaptcha)

	v1.POST("/token/create", s.createToken, s.limitBody)
	v1.POST("/tokens", s.listTokens, s.limitBody)
	v1.POST("/token/update", s.updateToken, s.limitBody)
	v1.POST("/token/delete", s.deleteToken, s.limitBody)
	v1.POST("/token/temporary", s.temporaryToken, s.limitBody)
	v1.POST("/user/login", s.login, s.limitBody)

	v1.POST("/schemas", s.listSchemas, s.limitBody)
	v1.POST("/schema/save", s.saveSchema, s.limitBody)
	v1.POST("/schema/delete", s.deleteSchema, s.limitBody)

	e.GET("/.well-known/jwks.json", s.jwks)

	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	e.GET("/metrics", s.metrics.handler())
	e.GET("/openapi.yaml", func(c echo.Context) error {
		return c.Blob(200, "application/yaml", api.Spec)
	})
	return e
}
