package accounts

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/openkyc/kyc/pkg/schema"
	"github.com/redis/go-redis/v9"
)

// Schema returns schema id of account: the account's own, else the seeded
// one of that id; an empty id is the default schema. It returns false when
// there is none.
func (s *Store) Schema(ctx context.Context, account, id string) (schema.Schema, bool, error) {
	if id == "" {
		id = schema.DefaultID
	}
	b, err := s.rdb.HGet(ctx, schemasKey(account), id).Bytes()
	switch {
	case errors.Is(err, redis.Nil):
		sch, ok := s.schemas.Get(id)
		return sch, ok, nil
	case err != nil:
		return schema.Schema{}, false, fmt.Errorf("accounts: schema %s: %w", id, err)
	}
	var sch schema.Schema
	if err := json.Unmarshal(b, &sch); err != nil {
		return schema.Schema{}, false, fmt.Errorf("accounts: decode schema %s: %w", id, err)
	}
	return sch, true, nil
}

// Schemas lists the schemas account sees: the seeded ones, replaced by the
// account's own of the same id, then the account's others, by id.
func (s *Store) Schemas(ctx context.Context, account string) ([]schema.Schema, error) {
	m, err := s.rdb.HGetAll(ctx, schemasKey(account)).Result()
	if err != nil {
		return nil, fmt.Errorf("accounts: list schemas: %w", err)
	}
	var own []schema.Schema
	for _, v := range m {
		var sch schema.Schema
		if err := json.Unmarshal([]byte(v), &sch); err != nil {
			return nil, fmt.Errorf("accounts: decode schema: %w", err)
		}
		own = append(own, sch)
	}
	all, err := schema.NewRegistry(append(s.schemas.All(), own...)...)
	if err != nil {
		return nil, err
	}
	return all.All(), nil
}

// PutSchema creates or replaces sch for account after validating it.
func (s *Store) PutSchema(ctx context.Context, account string, sch schema.Schema) error {
	if err := sch.Validate(); err != nil {
		return err
	}
	b, err := json.Marshal(sch)
	if err != nil {
		return fmt.Errorf("accounts: encode schema: %w", err)
	}
	if err := s.rdb.HSet(ctx, schemasKey(account), sch.ID, b).Err(); err != nil {
		return fmt.Errorf("accounts: put schema %s: %w", sch.ID, err)
	}
	return nil
}

// DeleteSchema removes the account's own schema id; a seeded schema of the
// same id becomes visible again. ErrNotFound when the account has none.
func (s *Store) DeleteSchema(ctx context.Context, account, id string) error {
	n, err := s.rdb.HDel(ctx, schemasKey(account), id).Result()
	if err != nil {
		return fmt.Errorf("accounts: delete schema %s: %w", id, err)
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}
