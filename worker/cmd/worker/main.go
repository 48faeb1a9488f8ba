// Command worker runs the recognition of uploaded images: it takes image
// tasks from the queue, runs the pipeline and finishes sessions. It also
// serves /metrics, /healthz and /readyz on KYC_WORKER_METRICS_ADDR.
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
	"github.com/openkyc/kyc/pkg/backend"
	"github.com/openkyc/kyc/pkg/config"
	"github.com/openkyc/kyc/pkg/queue"
	"github.com/openkyc/kyc/pkg/storage"
	"github.com/openkyc/kyc/worker/internal/callback"
	"github.com/openkyc/kyc/worker/internal/pipeline"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/redis/go-redis/v9"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "worker:", err)
		os.Exit(1)
	}
}

func run() error {
	cfg, err := config.Load()
	if err != nil {
		return err
	}
	log := cfg.Logger("worker")
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	be, err := backend.Open(ctx, cfg)
	if err != nil {
		return err
	}
	defer be.Close()

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		queue.NewDepthCollector(be.Inspector))
	stages, finisher, closeStages, err := buildStages(cfg, log)
	if err != nil {
		return err
	}
	defer closeStages()
	proc := pipeline.NewProcessor(pipeline.Deps{
		Sessions: be.Sessions,
		Storage:  be.Storage,
		// Schemas: the account's own in Redis, else the file's, else default.
		Schemas:  be.Accounts,
		Queue:    be.Queue,
		Stages:   stages,
		Finisher: finisher,
		Metrics:  pipeline.NewMetrics(reg),
		Logger:   log,
	}, pipeline.Options{MaxFileBytes: cfg.MaxFileBytes, MaxPixels: cfg.MaxPixels, CallbackMaxRetry: cfg.CallbackMaxRetry})

	srv := asynq.NewServer(queue.RedisOpt(cfg.RedisOptions()), asynq.Config{
		Concurrency:    cfg.Concurrency,
		Queues:         map[string]int{queue.Name: 3, queue.CallbackQueue: 1},
		RetryDelayFunc: queue.RetryDelay,
		// Asynq polls an empty queue; the default second would be added
		// to every sync request.
		TaskCheckInterval: cfg.TaskCheckInterval,
		ShutdownTimeout:   cfg.ShutdownTimeout,
		Logger:            asynqLogger{log: log.With("component", "asynq")},
	})
	mux := asynq.NewServeMux()
	mux.Handle(queue.TypeImage, proc)
	mux.Handle(queue.TypeCallback, callback.NewHandler(be.Sessions, be.Accounts, be.Storage, cfg.CallbackTimeout, cfg.URLExpiry, log))
	if err := srv.Start(mux); err != nil {
		return fmt.Errorf("start asynq server: %w", err)
	}

	hs := &http.Server{Addr: cfg.MetricsAddr, Handler: opsHandler(reg, be.Redis, be.Storage), ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- hs.ListenAndServe() }()
	log.Info("worker started", "concurrency", cfg.Concurrency, "metrics", cfg.MetricsAddr, "stages", len(stages))

	select {
	case err = <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
	case <-ctx.Done():
	}
	log.Info("shutting down")
	// Shutdown waits for running tasks up to ShutdownTimeout and puts the
	// unfinished ones back in the queue.
	srv.Shutdown()
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = hs.Shutdown(sctx)
	return err
}

// opsHandler serves /metrics, /healthz and /readyz.
func opsHandler(reg *prometheus.Registry, rdb *redis.Client, store *storage.Store) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"status":"ok"}`))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		w.Header().Set("Content-Type", "application/json")
		if err := errors.Join(rdb.Ping(ctx).Err(), store.Ping(ctx)); err != nil {
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte(`{"status":"error"}`))
			return
		}
		_, _ = w.Write([]byte(`{"status":"ok"}`))
	})
	return mux
}
