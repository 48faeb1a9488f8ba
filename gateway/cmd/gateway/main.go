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

	"github.com/hibiken/asynq"
	"github.com/openkyc/kyc/gateway/internal/auth"
	"github.com/openkyc/kyc/gateway/internal/server"
	"github.com/openkyc/kyc/pkg/accounts"
	"github.com/openkyc/kyc/pkg/config"
	"github.com/openkyc/kyc/pkg/guard"
	"github.com/openkyc/kyc/pkg/queue"
	"github.com/openkyc/kyc/pkg/schema"
	"github.com/openkyc/kyc/pkg/sessions"
	"github.com/openkyc/kyc/pkg/storage"
	"github.com/redis/go-redis/v9"
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

	schemas, err := schema.Load(cfg.SchemasFile)
	if err != nil {
		return err
	}
	rdb := redis.NewClient(cfg.RedisOptions())
	defer rdb.Close()
	store, err := storage.New(cfg.StorageOptions())
	if err != nil {
		return err
	}
	if err := store.EnsureBucket(ctx, cfg.Retention); err != nil {
		return err
	}
	accts := accounts.New(rdb, schemas, nil)
	seeds, err := accounts.LoadSeeds(cfg.AccountsFile)
	if err != nil {
		return err
	}
	for _, seed := range seeds {
		if err := accts.EnsureAccount(ctx, seed); err != nil {
			return err
		}
	}
	// Keys sign for KYC_JWT_KEY_ROTATION and verify for as long again plus
	// the longest token lifetime (an operator's 30 days).
	keys := auth.NewKeyRing(accts, cfg.JWTKeyRotation, 2*cfg.JWTKeyRotation+31*24*time.Hour, nil)
	authn := auth.NewAuthenticator(accts, auth.NewSigner(keys, cfg.JWTIssuer, nil), cfg.AllTokens())

	qc := asynq.NewClient(queue.RedisOpt(cfg.RedisOptions()))
	defer qc.Close()
	insp := asynq.NewInspector(queue.RedisOpt(cfg.RedisOptions()))
	defer insp.Close()

	srv := server.New(server.Deps{
		Config:    cfg,
		Redis:     rdb,
		Sessions:  sessions.New(rdb, cfg.Retention, nil),
		Storage:   store,
		Queue:     qc,
		Inspector: insp,
		Accounts:  accts,
		Guard:     guard.New(rdb, nil),
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
