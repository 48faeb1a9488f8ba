package accounts

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// SigningKey is one JWT signing key as stored: its id, when it was made,
// and the key itself as an opaque private JWK (JSON).
type SigningKey struct {
	ID        string
	CreatedAt time.Time
	JWK       []byte
}

// SigningKeys returns every stored signing key and the id of the current
// one ("" when there is none).
func (s *Store) SigningKeys(ctx context.Context) ([]SigningKey, string, error) {
	pipe := s.rdb.Pipeline()
	all := pipe.HGetAll(ctx, signingKeysKey)
	cur := pipe.Get(ctx, currentKeyKey)
	if _, err := pipe.Exec(ctx); err != nil && err != redis.Nil {
		return nil, "", fmt.Errorf("accounts: signing keys: %w", err)
	}
	var out []SigningKey
	for kid, v := range all.Val() {
		ms, key, ok := strings.Cut(v, "|")
		n, err := strconv.ParseInt(ms, 10, 64)
		if !ok || err != nil {
			continue
		}
		out = append(out, SigningKey{ID: kid, CreatedAt: time.UnixMilli(n), JWK: []byte(key)})
	}
	return out, cur.Val(), nil
}

var rotateScript = redis.NewScript(`
local cur = redis.call('GET', KEYS[2])
if cur then
  local v = redis.call('HGET', KEYS[1], cur)
  if v and tonumber(string.match(v, '^(%d+)|')) > tonumber(ARGV[4]) then return cur end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. '|' .. ARGV[3])
redis.call('SET', KEYS[2], ARGV[1])
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  if tonumber(string.match(all[i+1], '^(%d+)|')) < tonumber(ARGV[5]) then redis.call('HDEL', KEYS[1], all[i]) end
end
return ARGV[1]
`)

// RotateSigningKey makes candidate the current signing key unless the
// current one is younger than maxAge, drops keys older than keep, and
// returns the id of the current key. Several gateways may call it at once:
// one candidate wins and all use it.
func (s *Store) RotateSigningKey(ctx context.Context, candidate SigningKey, maxAge, keep time.Duration) (string, error) {
	now := s.now()
	kid, err := rotateScript.Run(ctx, s.rdb, []string{signingKeysKey, currentKeyKey},
		candidate.ID, now.UnixMilli(), string(candidate.JWK),
		now.Add(-maxAge).UnixMilli(), now.Add(-keep).UnixMilli()).Text()
	if err != nil {
		return "", fmt.Errorf("accounts: rotate signing key: %w", err)
	}
	return kid, nil
}
