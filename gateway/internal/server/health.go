package server

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

// healthz answers while the process serves HTTP.
func (s *Server) healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

// readyz answers 200 when Redis and the object store answer, 503 otherwise.
func (s *Server) readyz(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
	defer cancel()
	checks := map[string]string{"redis": "ok", "storage": "ok"}
	code := http.StatusOK
	if err := s.deps.Redis.Ping(ctx).Err(); err != nil {
		checks["redis"], code = err.Error(), http.StatusServiceUnavailable
	}
	if err := s.deps.Storage.Ping(ctx); err != nil {
		checks["storage"], code = err.Error(), http.StatusServiceUnavailable
	}
	status := "ok"
	if code != http.StatusOK {
		status = "error"
	}
	return c.JSON(code, map[string]any{"status": status, "checks": checks})
}
