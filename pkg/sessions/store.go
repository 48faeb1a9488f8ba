// Package sessions keeps KYC sessions, their per-image results and the
// integrators' clients in Redis, and carries the result channel a sync
// request waits on. It is the only code that knows the Redis keys.
//
// A session is three keys with one expiry: a hash of metadata, a set of the
// images still pending and a hash of results by image id. Writes that must
// see each other (a result landing while images are added) are Lua scripts,
// so they are atomic.
package sessions

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/openkyc/kyc/pkg/kyc"
	"github.com/redis/go-redis/v9"
)

// ErrNotFound is returned for a session that does not exist (or expired).
var ErrNotFound = errors.New("sessions: not found")

// Store reads and writes sessions. It is safe for concurrent use; its
// fields are immutable after construction.
type Store struct {
	rdb *redis.Client
	ttl time.Duration
	now func() time.Time
}

// New returns a Store whose sessions live for ttl after their last change.
// now is the clock (time.Now when nil).
func New(rdb *redis.Client, ttl time.Duration, now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{rdb: rdb, ttl: ttl, now: now}
}

func metaKey(id string) string    { return "kyc:session:{" + id + "}" }
func pendingKey(id string) string { return "kyc:session:{" + id + "}:pending" }
func resultsKey(id string) string { return "kyc:session:{" + id + "}:results" }
func callbacksKey(id string) string {
	return "kyc:session:{" + id + "}:callbacks"
}

// indexKey is the sorted set of an account's sessions by createdAt.
func indexKey(account string) string { return "kyc:account-sessions:{" + account + "}" }

// channel is where the finishing step announces a finished session.
func channel(id string) string { return "kyc:session:{" + id + "}:done" }

func clientKey(account, key string) string { return "kyc:client:" + account + ":" + key }

// Create stores a new session with no images. The caller sets ID, Account,
// SchemaID, the client fields, Async, Addr and optionally TTL (at most the
// store's); CreatedAt is set here. The session joins its account's index,
// which Filter reads.
func (s *Store) Create(ctx context.Context, sess *Session) error {
	sess.CreatedAt = s.now()
	sess.Status = kyc.StatusIdle
	if sess.TTL <= 0 || sess.TTL > s.ttl {
		sess.TTL = s.ttl
	}
	isNew := "0"
	if sess.IsClientNew {
		isNew = "1"
	}
	async := "0"
	if sess.Async {
		async = "1"
	}
	pipe := s.rdb.TxPipeline()
	pipe.HSet(ctx, metaKey(sess.ID),
		"account", sess.Account,
		"schemaId", sess.SchemaID,
		"clientId", sess.ClientID,
		"clientKey", sess.ClientKey,
		"isClientNew", isNew,
		"status", string(sess.Status),
		"createdAt", sess.CreatedAt.UnixMilli(),
		"images", 0,
		"async", async,
		"addr", sess.Addr,
		"ttl", sess.TTL.Milliseconds(),
	)
	pipe.PExpire(ctx, metaKey(sess.ID), sess.TTL)
	if _, err := pipe.Exec(ctx); err != nil {
		return fmt.Errorf("sessions: create %s: %w", sess.ID, err)
	}
	// The index lives in the account's slot, not the session's, so it is
	// written after the session; Filter skips entries whose session is gone
	// and entries older than the longest retention are dropped here.
	ms := sess.CreatedAt.UnixMilli()
	ipipe := s.rdb.Pipeline()
	ipipe.ZAdd(ctx, indexKey(sess.Account), redis.Z{Score: float64(ms), Member: sess.ID})
	ipipe.ZRemRangeByScore(ctx, indexKey(sess.Account), "-inf", "("+strconv.FormatInt(ms-s.ttl.Milliseconds(), 10))
	ipipe.PExpire(ctx, indexKey(sess.Account), s.ttl)
	if _, err := ipipe.Exec(ctx); err != nil {
		return fmt.Errorf("sessions: index %s: %w", sess.ID, err)
	}
	return nil
}

var addImagesScript = redis.NewScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
local n = #ARGV - 2
local first = redis.call('HINCRBY', KEYS[1], 'images', n) - n
for i = 3, #ARGV do redis.call('SADD', KEYS[2], ARGV[i]) end
redis.call('HSET', KEYS[1], 'status', 'processing', 'updatedAt', ARGV[2])
local ttl = tonumber(redis.call('HGET', KEYS[1], 'ttl') or '0') or 0
if ttl <= 0 then ttl = ARGV[1] end
for i = 1, 4 do redis.call('PEXPIRE', KEYS[i], ttl) end
return first
`)

// AddImages marks imageIDs as pending in session id, puts the session back
// into processing, notes the time as its UpdatedAt and renews its expiry. It returns the sequence number of
// the first image; the others follow in order.
func (s *Store) AddImages(ctx context.Context, id string, imageIDs []string) (int, error) {
	args := make([]any, 0, len(imageIDs)+2)
	args = append(args, s.ttl.Milliseconds(), s.now().UnixMilli())
	for _, im := range imageIDs {
		args = append(args, im)
	}
	first, err := addImagesScript.Run(ctx, s.rdb, []string{metaKey(id), pendingKey(id), resultsKey(id), callbacksKey(id)}, args...).Int()
	if err != nil {
		return 0, fmt.Errorf("sessions: add images to %s: %w", id, err)
	}
	if first < 0 {
		return 0, fmt.Errorf("sessions: add images to %s: %w", id, ErrNotFound)
	}
	return first, nil
}

var putResultScript = redis.NewScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
redis.call('HSET', KEYS[3], ARGV[1], ARGV[2])
redis.call('SREM', KEYS[2], ARGV[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl > 0 then redis.call('PEXPIRE', KEYS[3], ttl) end
return redis.call('SCARD', KEYS[2])
`)

// PutResult stores the record of one image, replacing any earlier one for
// the same image (a retried task writes the same field again), and
// returns how many images of the session are still pending.
func (s *Store) PutResult(ctx context.Context, sessionID string, rec Record) (int, error) {
	b, err := json.Marshal(rec)
	if err != nil {
		return 0, fmt.Errorf("sessions: encode result: %w", err)
	}
	n, err := putResultScript.Run(ctx, s.rdb,
		[]string{metaKey(sessionID), pendingKey(sessionID), resultsKey(sessionID)},
		rec.ImageID, b).Int()
	if err != nil {
		return 0, fmt.Errorf("sessions: put result %s/%s: %w", sessionID, rec.ImageID, err)
	}
	if n < 0 {
		return 0, fmt.Errorf("sessions: put result %s/%s: %w", sessionID, rec.ImageID, ErrNotFound)
	}
	return n, nil
}

var finishScript = redis.NewScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
if redis.call('SCARD', KEYS[2]) > 0 then return 0 end
redis.call('HSET', KEYS[1], 'status', ARGV[1], 'errors', ARGV[2], 'finishedAt', ARGV[3])
if ARGV[4] ~= '' then
  redis.call('HSET', KEYS[3], ARGV[5], ARGV[4])
  local ttl = redis.call('PTTL', KEYS[1])
  if ttl > 0 then redis.call('PEXPIRE', KEYS[3], ttl) end
else
  redis.call('HDEL', KEYS[3], ARGV[5])
end
redis.call('PUBLISH', ARGV[6], ARGV[1])
return 1
`)

// Finish records the session's final status, errors and session-level
// record (nil removes it), then announces it on the result channel. It
// does nothing and returns false when images were added meanwhile: the
// last of those finishes the session again.
func (s *Store) Finish(ctx context.Context, id string, status kyc.Status, errs []string, faces *Record) (bool, error) {
	if errs == nil {
		errs = []string{}
	}
	eb, _ := json.Marshal(errs)
	var fb []byte
	if faces != nil {
		faces.ImageID = FacesRecordID
		var err error
		if fb, err = json.Marshal(faces); err != nil {
			return false, fmt.Errorf("sessions: encode faces: %w", err)
		}
	}
	n, err := finishScript.Run(ctx, s.rdb,
		[]string{metaKey(id), pendingKey(id), resultsKey(id)},
		string(status), eb, s.now().UnixMilli(), fb, FacesRecordID, channel(id)).Int()
	if err != nil {
		return false, fmt.Errorf("sessions: finish %s: %w", id, err)
	}
	if n < 0 {
		return false, fmt.Errorf("sessions: finish %s: %w", id, ErrNotFound)
	}
	return n == 1, nil
}

// Get reads the whole session.
func (s *Store) Get(ctx context.Context, id string) (*Session, error) {
	pipe := s.rdb.Pipeline()
	meta := pipe.HGetAll(ctx, metaKey(id))
	results := pipe.HGetAll(ctx, resultsKey(id))
	pending := pipe.SCard(ctx, pendingKey(id))
	ttl := pipe.PTTL(ctx, metaKey(id))
	callbacks := pipe.LRange(ctx, callbacksKey(id), 0, -1)
	if _, err := pipe.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
		return nil, fmt.Errorf("sessions: get %s: %w", id, err)
	}
	m := meta.Val()
	if len(m) == 0 {
		return nil, fmt.Errorf("sessions: get %s: %w", id, ErrNotFound)
	}
	sess := sessionOf(id, m)
	sess.Pending = int(pending.Val())
	sess.TTL = ttl.Val()
	if e := m["errors"]; e != "" {
		if err := json.Unmarshal([]byte(e), &sess.Errors); err != nil {
			return nil, fmt.Errorf("sessions: decode errors of %s: %w", id, err)
		}
	}
	for _, v := range callbacks.Val() {
		var a kyc.CallbackAttempt
		if err := json.Unmarshal([]byte(v), &a); err == nil {
			sess.Callbacks = append(sess.Callbacks, a)
		}
	}
	var faces *Record
	for field, v := range results.Val() {
		var rec Record
		if err := json.Unmarshal([]byte(v), &rec); err != nil {
			return nil, fmt.Errorf("sessions: decode result %s/%s: %w", id, field, err)
		}
		if field == FacesRecordID {
			faces = &rec
			continue
		}
		sess.Records = append(sess.Records, rec)
	}
	sort.Slice(sess.Records, func(i, j int) bool { return sess.Records[i].Seq < sess.Records[j].Seq })
	if faces != nil {
		sess.Records = append(sess.Records, *faces)
	}
	return sess, nil
}

func msTime(s string) time.Time {
	ms, err := strconv.ParseInt(s, 10, 64)
	if err != nil || ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms)
}

// Client returns the client id of clientKey in account, creating it when
// new; isNew reports that this call created it.
func (s *Store) Client(ctx context.Context, account, key string) (id string, isNew bool, err error) {
	k := clientKey(account, key)
	created, err := s.rdb.HSetNX(ctx, k, "id", uuid.NewString()).Result()
	if err != nil {
		return "", false, fmt.Errorf("sessions: client %s: %w", key, err)
	}
	id, err = s.rdb.HGet(ctx, k, "id").Result()
	if err != nil {
		return "", false, fmt.Errorf("sessions: client %s: %w", key, err)
	}
	return id, created, nil
}

// SetLatest records sessionID as the latest session of clientKey.
func (s *Store) SetLatest(ctx context.Context, account, key, sessionID string) error {
	if err := s.rdb.HSet(ctx, clientKey(account, key), "latest", sessionID).Err(); err != nil {
		return fmt.Errorf("sessions: set latest of %s: %w", key, err)
	}
	return nil
}

// Latest returns the latest session id of clientKey, or ErrNotFound.
func (s *Store) Latest(ctx context.Context, account, key string) (string, error) {
	id, err := s.rdb.HGet(ctx, clientKey(account, key), "latest").Result()
	if errors.Is(err, redis.Nil) {
		return "", fmt.Errorf("sessions: latest of %s: %w", key, ErrNotFound)
	}
	if err != nil {
		return "", fmt.Errorf("sessions: latest of %s: %w", key, err)
	}
	return id, nil
}

// Subscription receives the finish announcements of one session.
type Subscription struct{ ps *redis.PubSub }

// Subscribe starts listening for session id's announcements; it returns
// once Redis has confirmed the subscription, so no later announcement can
// be missed.
func (s *Store) Subscribe(ctx context.Context, id string) (*Subscription, error) {
	ps := s.rdb.Subscribe(ctx, channel(id))
	if _, err := ps.Receive(ctx); err != nil {
		ps.Close()
		return nil, fmt.Errorf("sessions: subscribe %s: %w", id, err)
	}
	return &Subscription{ps: ps}, nil
}

// Wait blocks until the next announcement or until ctx ends.
func (sub *Subscription) Wait(ctx context.Context) error {
	if _, err := sub.ps.ReceiveMessage(ctx); err != nil {
		return fmt.Errorf("sessions: wait: %w", err)
	}
	return nil
}

// Close ends the subscription.
func (sub *Subscription) Close() error { return sub.ps.Close() }
