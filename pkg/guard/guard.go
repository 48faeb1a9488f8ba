// Package guard keeps in Redis what protects the API from abuse: request
// counters of fixed-window rate limits, and captcha challenges that can be
// answered once. It is the only code that knows these keys.
package guard

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// Store is the guard's Redis state. It is safe for concurrent use.
type Store struct {
	rdb *redis.Client
	now func() time.Time
}

// New returns a Store; now is the clock (time.Now when nil).
func New(rdb *redis.Client, now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{rdb: rdb, now: now}
}

func rateKey(subject string, window int64) string {
	return fmt.Sprintf("kyc:rate:{%s}:%d", subject, window)
}

func captchaKey(id string) string { return "kyc:captcha:" + id }

var allowScript = redis.NewScript(`
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n
`)

// Allow counts one request of subject in the current fixed window of
// length window and reports whether it is within limit; when it is not,
// retry is how long until the window ends. A limit of 0 allows everything.
func (s *Store) Allow(ctx context.Context, subject string, limit int, window time.Duration) (ok bool, retry time.Duration, err error) {
	if limit <= 0 {
		return true, 0, nil
	}
	now := s.now()
	idx, retry := Window(now, window)
	n, err := allowScript.Run(ctx, s.rdb, []string{rateKey(subject, idx)}, (window + time.Second).Milliseconds()).Int()
	if err != nil {
		return false, 0, fmt.Errorf("guard: rate: %w", err)
	}
	return n <= limit, retry, nil
}

// Window returns the index of the fixed window of length w that holds t,
// and how long until it ends.
func Window(t time.Time, w time.Duration) (int64, time.Duration) {
	ms, wm := t.UnixMilli(), w.Milliseconds()
	if wm <= 0 {
		wm = 1
	}
	idx := ms / wm
	return idx, time.Duration((idx+1)*wm-ms) * time.Millisecond
}

// ErrCaptcha is returned for an unknown, expired, already used or wrongly
// answered challenge.
var ErrCaptcha = errors.New("guard: captcha not solved")

// PutCaptcha stores the answer of challenge id of account for ttl.
func (s *Store) PutCaptcha(ctx context.Context, account, id, answer string, ttl time.Duration) error {
	if err := s.rdb.Set(ctx, captchaKey(id), account+"\x00"+answer, ttl).Err(); err != nil {
		return fmt.Errorf("guard: put captcha: %w", err)
	}
	return nil
}

// SolveCaptcha checks answer against challenge id of account. A challenge
// is used up by its first try, right or wrong, so no answer is accepted
// twice and no challenge can be guessed at.
func (s *Store) SolveCaptcha(ctx context.Context, account, id, answer string) error {
	v, err := s.rdb.GetDel(ctx, captchaKey(id)).Result()
	if errors.Is(err, redis.Nil) {
		return ErrCaptcha
	}
	if err != nil {
		return fmt.Errorf("guard: solve captcha: %w", err)
	}
	acct, want, _ := strings.Cut(v, "\x00")
	if acct != account || want == "" || strings.TrimSpace(answer) != want {
		return ErrCaptcha
	}
	return nil
}

// PeekCaptcha returns the answer of challenge id without using it up. It
// exists for operators' tooling and the end-to-end tests.
func (s *Store) PeekCaptcha(ctx context.Context, id string) (string, error) {
	v, err := s.rdb.Get(ctx, captchaKey(id)).Result()
	if errors.Is(err, redis.Nil) {
		return "", ErrCaptcha
	}
	if err != nil {
		return "", fmt.Errorf("guard: peek captcha: %w", err)
	}
	_, answer, _ := strings.Cut(v, "\x00")
	return answer, nil
}
