// Package server is the gateway's HTTP layer: it authenticates requests,
// streams uploads into the object store, records sessions, enqueues one
// task per image and answers in the API's shapes. It never recognises an
// image itself.
package server

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/hibiken/asynq"
	"github.com/labstack/echo/v4"
	"github.com/openkyc/kyc/gateway/internal/auth"
	"github.com/openkyc/kyc/pkg/accounts"
	"github.com/openkyc/kyc/pkg/config"
	"github.com/openkyc/kyc/pkg/guard"
	"github.com/openkyc/kyc/pkg/sessions"
	"github.com/openkyc/kyc/pkg/storage"
	"github.com/redis/go-redis/v9"
)

// Deps are the server's collaborators; all are required.
type Deps struct {
	Config   config.Config
	Redis    *redis.Client
	Sessions *sessions.Store
	Storage  *storage.Store
	Queue    *asynq.Client
	// Inspector reads queue depth for /metrics.
	Inspector *asynq.Inspector
	// Accounts holds tokens, operators and schemas (with the seeded ones).
	Accounts *accounts.Store
	// Guard holds rate-limit counters and captcha answers.
	Guard *guard.Store
	// Auth authenticates tokens and mints JWTs.
	Auth   *auth.Authenticator
	Logger *slog.Logger
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

// Server answers the API. Its fields are immutable after New.
type Server struct {
	deps    Deps
	cfg     config.Config
	log     *slog.Logger
	now     func() time.Time
	echo    *echo.Echo
	metrics *metrics
}

// New builds the server and its routes.
func New(deps Deps) *Server {
	if deps.Now == nil {
		deps.Now = time.Now
	}
	if deps.Logger == nil {
		deps.Logger = slog.Default()
	}
	s := &Server{
		deps:    deps,
		cfg:     deps.Config,
		log:     deps.Logger,
		now:     deps.Now,
		metrics: newMetrics(deps.Inspector),
	}
	s.echo = s.routes()
	return s
}

// ServeHTTP makes the server an http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.echo.ServeHTTP(w, r) }

// Start listens on the configured address until Shutdown.
func (s *Server) Start() error {
	s.echo.Server.ReadHeaderTimeout = 10 * time.Second
	return s.echo.Start(s.cfg.HTTPAddr)
}

// Shutdown stops accepting requests and waits for those in flight, up to ctx.
func (s *Server) Shutdown(ctx context.Context) error { return s.echo.Shutdown(ctx) }
