// Package backend opens what the gateway and the worker both stand on:
// Redis, the object store with its bucket, the queue's client and
// inspector, the accounts (with their schemas) and the sessions.
package backend

import (
	"context"
	"fmt"

	"github.com/hibiken/asynq"
	"github.com/openkyc/kyc/pkg/accounts"
	"github.com/openkyc/kyc/pkg/config"
	"github.com/openkyc/kyc/pkg/queue"
	"github.com/openkyc/kyc/pkg/schema"
	"github.com/openkyc/kyc/pkg/sessions"
	"github.com/openkyc/kyc/pkg/storage"
	"github.com/redis/go-redis/v9"
)

// Backend holds the shared clients. Close releases them.
type Backend struct {
	Redis     *redis.Client
	Storage   *storage.Store
	Queue     *asynq.Client
	Inspector *asynq.Inspector
	// Schemas are those of KYC_SCHEMAS_FILE plus the default; Accounts
	// answers an account's own schemas and falls back to these.
	Schemas  *schema.Registry
	Accounts *accounts.Store
	Sessions *sessions.Store
}

// Open connects to everything cfg names and makes sure the bucket exists
// with its retention rule.
func Open(ctx context.Context, cfg config.Config) (*Backend, error) {
	schemas, err := schema.Load(cfg.SchemasFile)
	if err != nil {
		return nil, err
	}
	store, err := storage.New(cfg.StorageOptions())
	if err != nil {
		return nil, err
	}
	if err := store.EnsureBucket(ctx, cfg.Retention); err != nil {
		return nil, fmt.Errorf("backend: %w", err)
	}
	rdb := redis.NewClient(cfg.RedisOptions())
	opt := queue.RedisOpt(cfg.RedisOptions())
	return &Backend{
		Redis:     rdb,
		Storage:   store,
		Queue:     asynq.NewClient(opt),
		Inspector: asynq.NewInspector(opt),
		Schemas:   schemas,
		Accounts:  accounts.New(rdb, schemas, nil),
		Sessions:  sessions.New(rdb, cfg.Retention, nil),
	}, nil
}

// Close releases the connections.
func (b *Backend) Close() {
	b.Queue.Close()
	b.Inspector.Close()
	b.Redis.Close()
}
