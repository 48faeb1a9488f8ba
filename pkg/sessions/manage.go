package sessions

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/openkyc/kyc/pkg/kyc"
	"github.com/redis/go-redis/v9"
)

// Filter selects sessions of one account for a page of
// /v1/kyc/sessions/filter.
type Filter struct {
	// Start and End bound createdAt (inclusive); zero is unbounded.
	Start, End time.Time
	// Ascending sorts oldest first; newest first otherwise.
	Ascending bool
	// Status and ClientKey, when set, must match.
	Status    kyc.Status
	ClientKey string
	// Page (1-based) and PageSize select the page.
	Page, PageSize int
}

// Filter returns the page of account's sessions that match f, without
// their results, and how many match in all.
func (s *Store) Filter(ctx context.Context, account string, f Filter) ([]*Session, int, error) {
	args := redis.ZRangeArgs{Key: indexKey(account), Start: "-inf", Stop: "+inf", ByScore: true, Rev: !f.Ascending}
	if !f.Start.IsZero() {
		args.Start = strconv.FormatInt(f.Start.UnixMilli(), 10)
	}
	if !f.End.IsZero() {
		args.Stop = strconv.FormatInt(f.End.UnixMilli(), 10)
	}
	if args.Rev {
		// ZRANGE … BYSCORE REV takes the bounds high first.
		args.Start, args.Stop = args.Stop, args.Start
	}
	ids, err := s.rdb.ZRangeArgs(ctx, args).Result()
	if err != nil {
		return nil, 0, fmt.Errorf("sessions: filter: %w", err)
	}
	pipe := s.rdb.Pipeline()
	metas := make([]*redis.MapStringStringCmd, len(ids))
	for i, id := range ids {
		metas[i] = pipe.HGetAll(ctx, metaKey(id))
	}
	if len(ids) > 0 {
		if _, err := pipe.Exec(ctx); err != nil {
			return nil, 0, fmt.Errorf("sessions: filter: %w", err)
		}
	}
	var match []*Session
	var gone []any
	for i, id := range ids {
		m := metas[i].Val()
		if len(m) == 0 {
			gone = append(gone, id)
			continue
		}
		sess := sessionOf(id, m)
		if sess.Account != account || (f.Status != "" && sess.Status != f.Status) || (f.ClientKey != "" && sess.ClientKey != f.ClientKey) {
			continue
		}
		match = append(match, sess)
	}
	if len(gone) > 0 {
		_ = s.rdb.ZRem(ctx, indexKey(account), gone...).Err()
	}
	total := len(match)
	from := (f.Page - 1) * f.PageSize
	if f.Page < 1 || f.PageSize < 1 || from >= total {
		return []*Session{}, total, nil
	}
	return match[from:min(from+f.PageSize, total)], total, nil
}

// sessionOf reads the metadata fields of a session hash.
func sessionOf(id string, m map[string]string) *Session {
	sess := &Session{
		ID: id, Account: m["account"], SchemaID: m["schemaId"], ClientID: m["clientId"],
		ClientKey: m["clientKey"], IsClientNew: m["isClientNew"] == "1", Status: kyc.Status(m["status"]),
		CreatedAt: msTime(m["createdAt"]), UpdatedAt: msTime(m["updatedAt"]), FinishedAt: msTime(m["finishedAt"]),
		Errors: []string{}, Async: m["async"] == "1", Addr: m["addr"],
	}
	sess.Images, _ = strconv.Atoi(m["images"])
	if e := m["errors"]; e != "" {
		_ = json.Unmarshal([]byte(e), &sess.Errors)
	}
	return sess
}

var deleteScript = redis.NewScript(`
if redis.call('HGET', KEYS[1], 'account') ~= ARGV[1] then return false end
local ids = redis.call('SMEMBERS', KEYS[2])
for _, f in ipairs(redis.call('HKEYS', KEYS[3])) do
  if f ~= ARGV[2] then table.insert(ids, f) end
end
local ck = redis.call('HGET', KEYS[1], 'clientKey')
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4])
table.insert(ids, 1, ck or '')
return ids
`)

var dropLatestScript = redis.NewScript(`
if redis.call('HGET', KEYS[1], 'latest') == ARGV[1] then redis.call('HDEL', KEYS[1], 'latest') end
return 1
`)

// Delete removes session id of account from Redis: its keys, its entry in
// the account's index and, when it was its client's latest session, that
// link. It returns the ids of the session's images, whose objects the
// caller removes. A session of another account is ErrNotFound.
func (s *Store) Delete(ctx context.Context, account, id string) ([]string, error) {
	res, err := deleteScript.Run(ctx, s.rdb,
		[]string{metaKey(id), pendingKey(id), resultsKey(id), callbacksKey(id)}, account, FacesRecordID).StringSlice()
	if err == redis.Nil {
		return nil, fmt.Errorf("sessions: delete %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("sessions: delete %s: %w", id, err)
	}
	key, images := res[0], res[1:]
	if err := s.rdb.ZRem(ctx, indexKey(account), id).Err(); err != nil {
		return images, fmt.Errorf("sessions: unindex %s: %w", id, err)
	}
	if key != "" {
		if err := dropLatestScript.Run(ctx, s.rdb, []string{clientKey(account, key)}, id).Err(); err != nil {
			return images, fmt.Errorf("sessions: unlink %s: %w", id, err)
		}
	}
	return images, nil
}

func failuresKey(account, subject string) string { return "kyc:failures:{" + account + "}:" + subject }

// FailureWindow is how long a failed session counts against its subject.
const FailureWindow = 24 * time.Hour

// RecordFailure counts failed session id against subject of account; a
// session counts once however often its finishing step runs.
func (s *Store) RecordFailure(ctx context.Context, account, subject, id string) error {
	pipe := s.rdb.TxPipeline()
	pipe.SAdd(ctx, failuresKey(account, subject), id)
	pipe.PExpire(ctx, failuresKey(account, subject), FailureWindow)
	if _, err := pipe.Exec(ctx); err != nil {
		return fmt.Errorf("sessions: record failure: %w", err)
	}
	return nil
}

// ClearFailures forgets the failures of subject, after a session of it
// succeeded.
func (s *Store) ClearFailures(ctx context.Context, account, subject string) error {
	if err := s.rdb.Del(ctx, failuresKey(account, subject)).Err(); err != nil {
		return fmt.Errorf("sessions: clear failures: %w", err)
	}
	return nil
}

// Failures counts the failed sessions of subject of account.
func (s *Store) Failures(ctx context.Context, account, subject string) (int, error) {
	n, err := s.rdb.SCard(ctx, failuresKey(account, subject)).Result()
	if err != nil {
		return 0, fmt.Errorf("sessions: failures: %w", err)
	}
	return int(n), nil
}

var addCallbackScript = redis.NewScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
redis.call('RPUSH', KEYS[2], ARGV[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl > 0 then redis.call('PEXPIRE', KEYS[2], ttl) end
return 1
`)

// AddCallbackAttempt records one delivery attempt of session id's callback.
func (s *Store) AddCallbackAttempt(ctx context.Context, id string, a kyc.CallbackAttempt) error {
	b, err := json.Marshal(a)
	if err != nil {
		return fmt.Errorf("sessions: encode callback attempt: %w", err)
	}
	n, err := addCallbackScript.Run(ctx, s.rdb, []string{metaKey(id), callbacksKey(id)}, b).Int()
	if err != nil {
		return fmt.Errorf("sessions: callback attempt %s: %w", id, err)
	}
	if n < 0 {
		return fmt.Errorf("sessions: callback attempt %s: %w", id, ErrNotFound)
	}
	return nil
}
