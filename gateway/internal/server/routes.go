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
	e.HTTPErrorHandler = s.handleError
	e.Use(middleware.RequestID())
	e.Use(s.observe)
	e.Use(middleware.Recover())

	v1 := e.Group("/v1")
	v1.POST("/kyc/process", s.process, s.limitBody)
	v1.POST("/kyc/session/status", s.sessionStatus, s.limitBody)

	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	e.GET("/metrics", s.metrics.handler())
	e.GET("/openapi.yaml", func(c echo.Context) error {
		return c.Blob(200, "application/yaml", api.Spec)
	})
	return e
}
