package accounts

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/redis/go-redis/v9"
)

// ErrBadCredentials is returned by Login for an unknown email or a wrong
// password alike.
var ErrBadCredentials = errors.New("accounts: bad credentials")

// Seed is an account and its owner as configured (KYC_ACCOUNTS_FILE).
type Seed struct {
	ID    string `json:"id"`
	Owner string `json:"owner"`
	// Password is the owner's password, in clear or as an Argon2id hash
	// ($argon2id$...).
	Password string `json:"password"`
}

var ensureAccountScript = redis.NewScript(`
redis.call('HSET', KEYS[1], 'owner', ARGV[1], 'createdAt', ARGV[3])
redis.call('HSET', KEYS[2], 'account', ARGV[2], 'password', ARGV[4], 'createdAt', ARGV[3])
return 1
`)

// EnsureAccount creates or updates account seed.ID with its owner, whose
// password is hashed unless already given as a hash.
func (s *Store) EnsureAccount(ctx context.Context, seed Seed) error {
	if seed.ID == "" || seed.Owner == "" || seed.Password == "" {
		return fmt.Errorf("accounts: seed needs id, owner and password")
	}
	hash := seed.Password
	if !strings.HasPrefix(hash, "$argon2id$") {
		var err error
		if hash, err = HashPassword(seed.Password); err != nil {
			return err
		}
	}
	email := strings.ToLower(strings.TrimSpace(seed.Owner))
	err := ensureAccountScript.Run(ctx, s.rdb, []string{accountKey(seed.ID), userKey(email)},
		email, seed.ID, s.now().UnixMilli(), hash).Err()
	if err != nil {
		return fmt.Errorf("accounts: ensure %s: %w", seed.ID, err)
	}
	return nil
}

// Login checks an operator's email and password and returns the account
// the operator belongs to.
func (s *Store) Login(ctx context.Context, email, password string) (string, error) {
	m, err := s.rdb.HGetAll(ctx, userKey(strings.ToLower(strings.TrimSpace(email)))).Result()
	if err != nil {
		return "", fmt.Errorf("accounts: login: %w", err)
	}
	if len(m) == 0 {
		// Spend the same time as for a known user, so that timing does
		// not tell which emails exist.
		_, _ = CheckPassword(dummyHash, password)
		return "", ErrBadCredentials
	}
	ok, err := CheckPassword(m["password"], password)
	if err != nil {
		return "", fmt.Errorf("accounts: login: %w", err)
	}
	if !ok {
		return "", ErrBadCredentials
	}
	return m["account"], nil
}

// dummyHash is the hash of an unguessable password, checked for unknown
// users.
const dummyHash = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$wTnN9/7Mj5WkkDqG8+U2uJtd0Nh6VbG3k1sOj7nN1nM"

// LoadSeeds reads a JSON array of Seed from path; an empty path is none.
func LoadSeeds(path string) ([]Seed, error) {
	if path == "" {
		return nil, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("accounts: %w", err)
	}
	var seeds []Seed
	if err := json.Unmarshal(b, &seeds); err != nil {
		return nil, fmt.Errorf("accounts: %s: %w", path, err)
	}
	return seeds, nil
}
