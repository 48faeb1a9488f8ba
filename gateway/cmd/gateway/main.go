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

	"github.com/hibiken/asynq"
	"github.com/openkyc/kyc/gateway/internal/server"
	"github.com/openkyc/kyc/pkg/config"
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
		Schemas:   schemas,
		Logger:    log,
	})
	errc := make(chan error, 1)
	go func() { errc <- srv.Start() }()
	log.Info("listening", "addr", cfg.HTTPAddr, "tokens", len(cfg.AllTokens()))
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
