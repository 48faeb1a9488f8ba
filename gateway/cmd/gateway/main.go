// Command gateway serves the KYC API: it accepts uploads, stores them,
// queues their recognition and answers sessions. See the README for its
// environment variables.
package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/openkyc/kyc/gateway/internal/auth"
	"github.com/openkyc/kyc/gateway/internal/server"
	"github.com/openkyc/kyc/pkg/accounts"
	"github.com/openkyc/kyc/pkg/backend"
	"github.com/openkyc/kyc/pkg/config"
	"github.com/openkyc/kyc/pkg/guard"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "gateway:", err)
		os.Exit(1)
	}
}

func run() error {
	cfg, err := config.Load()
	if err != nil {
		return err
	}
	log := cfg.Logger("gateway")
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	be, err := backend.Open(ctx, cfg)
	if err != nil {
		return err
	}
	defer be.Close()
	seeds, err := accounts.LoadSeeds(cfg.AccountsFile)
	if err != nil {
		return err
	}
	for _, seed := range seeds {
		if err := be.Accounts.EnsureAccount(ctx, seed); err != nil {
			return err
		}
	}
	// Keys sign for KYC_JWT_KEY_ROTATION and verify for as long again plus
	// the longest token lifetime (an operator's 30 days).
	keys := auth.NewKeyRing(be.Accounts, cfg.JWTKeyRotation, 2*cfg.JWTKeyRotation+31*24*time.Hour, nil)
	authn := auth.NewAuthenticator(be.Accounts, auth.NewSigner(keys, cfg.JWTIssuer, nil), cfg.AllTokens())

	srv := server.New(server.Deps{
		Config:    cfg,
		Redis:     be.Redis,
		Sessions:  be.Sessions,
		Storage:   be.Storage,
		Queue:     be.Queue,
		Inspector: be.Inspector,
		Accounts:  be.Accounts,
		Guard:     guard.New(be.Redis, nil),
		Auth:      authn,
		Logger:    log,
	})
	errc := make(chan error, 1)
	go func() { errc <- srv.Start() }()
	log.Info("listening", "addr", cfg.HTTPAddr, "configured_tokens", len(cfg.AllTokens()), "accounts_seeded", len(seeds))
	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	return srv.Shutdown(sctx)
}
