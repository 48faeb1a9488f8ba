package accounts

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/google/uuid"
	"github.com/redis/go-redis/v9"
)

// Permissions a token may carry.
const (
	// PermProcess: /v1/kyc/process, session status, captcha, minting
	// temporary tokens.
	PermProcess = "process"
	// PermSessions: filtering and deleting sessions.
	PermSessions = "sessions"
	// PermTokens: managing permanent tokens.
	PermTokens = "tokens"
	// PermSchemas: managing schemas.
	PermSchemas = "schemas"
)

// AllPermissions are every permission, in a stable order.
var allPermissions = []string{PermProcess, PermSessions, PermTokens, PermSchemas}

// AllPermissions returns every permission.
func AllPermissions() []string { return slices.Clone(allPermissions) }

// DefaultPermissions are those of a token created without any.
func DefaultPermissions() []string { return []string{PermProcess, PermSessions} }

// ValidPermissions reports whether every one of perms is known.
func ValidPermissions(perms []string) bool {
	for _, p := range perms {
		if !slices.Contains(allPermissions, p) {
			return false
		}
	}
	return true
}

// Token is a permanent API token as stored: never its secret, only the
// secret's SHA-256.
type Token struct {
	ID          string    `json:"id"`
	Account     string    `json:"account"`
	Name        string    `json:"name,omitempty"`
	Permissions []string  `json:"permissions"`
	CreatedAt   time.Time `json:"createdAt"`
	// Expires is zero for a token that never expires.
	Expires time.Time `json:"expires,omitzero"`
	Hash    string    `json:"hash"`
}

// Can reports whether t carries permission p.
func (t Token) Can(p string) bool { return slices.Contains(t.Permissions, p) }

// Expired reports whether t has expired at now.
func (t Token) Expired(now time.Time) bool { return !t.Expires.IsZero() && !now.Before(t.Expires) }

// HashToken is the stored form of a token's secret.
func HashToken(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

var createTokenScript = redis.NewScript(`
redis.call('SET', KEYS[1], ARGV[3])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
return 1
`)

// CreateToken makes a new token of account and returns its secret, shown
// this once. A zero expires never expires.
func (s *Store) CreateToken(ctx context.Context, account, name string, perms []string, expires time.Time) (string, Token, error) {
	secret := uuid.NewString()
	t := Token{ID: uuid.NewString(), Account: account, Name: name, Permissions: perms,
		CreatedAt: s.now().UTC().Truncate(time.Millisecond), Expires: expires.UTC(), Hash: HashToken(secret)}
	if t.Permissions == nil {
		t.Permissions = DefaultPermissions()
	}
	b, err := json.Marshal(t)
	if err != nil {
		return "", Token{}, fmt.Errorf("accounts: encode token: %w", err)
	}
	if err := createTokenScript.Run(ctx, s.rdb, []string{tokenKey(t.Hash), tokensKey(account)}, t.ID, b, pointer(account, t.ID)).Err(); err != nil {
		return "", Token{}, fmt.Errorf("accounts: create token: %w", err)
	}
	return secret, t, nil
}

// LookupToken returns the token whose secret is given; ErrNotFound when
// there is none or it expired.
func (s *Store) LookupToken(ctx context.Context, secret string) (Token, error) {
	// The hash's key points at "account\x00id"; the record is the account's.
	v, err := s.rdb.Get(ctx, tokenKey(HashToken(secret))).Result()
	if errors.Is(err, redis.Nil) {
		return Token{}, ErrNotFound
	}
	if err != nil {
		return Token{}, fmt.Errorf("accounts: lookup token: %w", err)
	}
	account, id, ok := cutPointer(v)
	if !ok {
		return Token{}, ErrNotFound
	}
	t, err := s.token(ctx, account, id)
	if err != nil {
		return Token{}, err
	}
	if t.Expired(s.now()) {
		return Token{}, ErrNotFound
	}
	return t, nil
}

func pointer(account, id string) string { return account + "\x00" + id }

func cutPointer(v string) (account, id string, ok bool) {
	for i := 0; i < len(v); i++ {
		if v[i] == 0 {
			return v[:i], v[i+1:], true
		}
	}
	return "", "", false
}

// token reads one token of account by id.
func (s *Store) token(ctx context.Context, account, id string) (Token, error) {
	b, err := s.rdb.HGet(ctx, tokensKey(account), id).Bytes()
	if errors.Is(err, redis.Nil) {
		return Token{}, ErrNotFound
	}
	if err != nil {
		return Token{}, fmt.Errorf("accounts: read token: %w", err)
	}
	var t Token
	if err := json.Unmarshal(b, &t); err != nil {
		return Token{}, fmt.Errorf("accounts: decode token: %w", err)
	}
	return t, nil
}

// TokenActive reports whether the token id of account exists and has not
// expired; temporary tokens die with the permanent token they came from.
func (s *Store) TokenActive(ctx context.Context, account, id string) (bool, error) {
	t, err := s.token(ctx, account, id)
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return !t.Expired(s.now()), nil
}

// Tokens lists the tokens of account, oldest first.
func (s *Store) Tokens(ctx context.Context, account string) ([]Token, error) {
	m, err := s.rdb.HGetAll(ctx, tokensKey(account)).Result()
	if err != nil {
		return nil, fmt.Errorf("accounts: list tokens: %w", err)
	}
	out := make([]Token, 0, len(m))
	for _, v := range m {
		var t Token
		if err := json.Unmarshal([]byte(v), &t); err != nil {
			return nil, fmt.Errorf("accounts: decode token: %w", err)
		}
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].CreatedAt.Before(out[j].CreatedAt) })
	return out, nil
}

var updateTokenScript = redis.NewScript(`
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1
`)

// UpdateToken replaces the expiry and, when perms is not nil, the
// permissions of token id of account.
func (s *Store) UpdateToken(ctx context.Context, account, id string, perms []string, expires time.Time) (Token, error) {
	t, err := s.token(ctx, account, id)
	if err != nil {
		return Token{}, err
	}
	t.Expires = expires.UTC()
	if perms != nil {
		t.Permissions = perms
	}
	b, err := json.Marshal(t)
	if err != nil {
		return Token{}, fmt.Errorf("accounts: encode token: %w", err)
	}
	n, err := updateTokenScript.Run(ctx, s.rdb, []string{tokensKey(account)}, id, b).Int()
	if err != nil {
		return Token{}, fmt.Errorf("accounts: update token: %w", err)
	}
	if n == 0 {
		return Token{}, ErrNotFound
	}
	return t, nil
}

var deleteTokenScript = redis.NewScript(`
local v = redis.call('HGET', KEYS[1], ARGV[1])
if not v then return 0 end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('DEL', KEYS[2] .. cjson.decode(v)['hash'])
return 1
`)

// DeleteToken revokes token id of account at once.
func (s *Store) DeleteToken(ctx context.Context, account, id string) error {
	n, err := deleteTokenScript.Run(ctx, s.rdb, []string{tokensKey(account), tokenKey("")}, id).Int()
	if err != nil {
		return fmt.Errorf("accounts: delete token: %w", err)
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}
