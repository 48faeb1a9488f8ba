// Package accounts keeps the integrators' accounts in Redis: their owners
// and operators (users with a slow password hash), their permanent API
// tokens (stored as SHA-256 hashes), their schemas, and the signing keys of
// the service's JWTs. It is the only code that knows these keys.
//
// Every key carries the hash tag {kyc:auth}, so that the Lua scripts that
// write several of them at once run in one Redis Cluster slot.
package accounts

import (
	"errors"
	"time"

	"github.com/openkyc/kyc/pkg/schema"
	"github.com/redis/go-redis/v9"
)

// ErrNotFound is returned for an unknown (or another account's) object.
var ErrNotFound = errors.New("accounts: not found")

// Store reads and writes accounts. It is safe for concurrent use; its
// fields are immutable after New.
type Store struct {
	rdb     *redis.Client
	schemas *schema.Registry
	now     func() time.Time
}

// New returns a Store. seeds are the schemas every account has (from
// KYC_SCHEMAS_FILE, plus the default one); now is the clock (time.Now when
// nil).
func New(rdb *redis.Client, seeds *schema.Registry, now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	if seeds == nil {
		seeds, _ = schema.NewRegistry()
	}
	return &Store{rdb: rdb, schemas: seeds, now: now}
}

const prefix = "kyc:{kyc:auth}:"

func accountKey(id string) string      { return prefix + "account:" + id }
func userKey(email string) string      { return prefix + "user:" + email }
func tokenKey(hash string) string      { return prefix + "token:" + hash }
func tokensKey(account string) string  { return prefix + "tokens:" + account }
func schemasKey(account string) string { return prefix + "schemas:" + account }

const (
	signingKeysKey = prefix + "signing-keys"
	currentKeyKey  = prefix + "signing-key:current"
)
