// Package callback delivers finished async sessions to their schema's
// callback URL: a POST of the session JSON (as /v1/kyc/session/status
// answers it) signed with HMAC-SHA256 under the schema's secret, retried
// with backoff by Asynq, every attempt recorded in the session.
package callback

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/hibiken/asynq"
	"github.com/openkyc/kyc/pkg/kyc"
	"github.com/openkyc/kyc/pkg/queue"
	"github.com/openkyc/kyc/pkg/schema"
	"github.com/openkyc/kyc/pkg/sessions"
	"github.com/openkyc/kyc/pkg/storage"
)

// Headers of a delivery.
const (
	// HeaderSignature is "sha256=" and the hex HMAC-SHA256 of the body
	// under the schema's callbackSecret.
	HeaderSignature = "X-KYC-Signature"
	// HeaderSession is the session id.
	HeaderSession = "X-KYC-Session"
	// HeaderAttempt is the attempt number, from 1.
	HeaderAttempt = "X-KYC-Attempt"
)

// Sign returns the value of HeaderSignature for body under secret.
func Sign(secret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// SchemaSource finds an account's schema; *accounts.Store is one.
type SchemaSource interface {
	Schema(ctx context.Context, account, id string) (schema.Schema, bool, error)
}

// Handler runs queue.TypeCallback tasks. Its fields are immutable.
type Handler struct {
	sessions  *sessions.Store
	schemas   SchemaSource
	storage   *storage.Store
	client    *http.Client
	urlExpiry time.Duration
	log       *slog.Logger
	now       func() time.Time
}

// NewHandler returns a Handler whose deliveries time out after timeout and
// whose image URLs last urlExpiry.
func NewHandler(st *sessions.Store, schemas SchemaSource, store *storage.Store, timeout, urlExpiry time.Duration, log *slog.Logger) *Handler {
	return &Handler{sessions: st, schemas: schemas, storage: store, urlExpiry: urlExpiry, log: log, now: time.Now,
		client: &http.Client{Timeout: timeout, CheckRedirect: func(*http.Request, []*http.Request) error {
			// A receiver answers; it does not send the session elsewhere.
			return http.ErrUseLastResponse
		}}}
}

// ProcessTask implements asynq.Handler: one delivery attempt.
func (h *Handler) ProcessTask(ctx context.Context, t *asynq.Task) error {
	pl, err := queue.ParseCallbackPayload(t)
	if err != nil {
		return fmt.Errorf("%w: %w", err, asynq.SkipRetry)
	}
	log := h.log.With("session", pl.SessionID, "component", "callback")
	sess, err := h.sessions.Get(ctx, pl.SessionID)
	if errors.Is(err, sessions.ErrNotFound) {
		log.InfoContext(ctx, "session gone, callback dropped")
		return nil
	}
	if err != nil {
		return err
	}
	sch, found, err := h.schemas.Schema(ctx, sess.Account, sess.SchemaID)
	if err != nil {
		return err
	}
	if !found || sch.CallbackURL == "" {
		return nil
	}
	retried, _ := asynq.GetRetryCount(ctx)
	attempt := retried + 1
	code, derr := h.deliver(ctx, sess, sch, attempt)
	rec := kyc.CallbackAttempt{At: kyc.Timestamp(h.now()), Attempt: attempt, Code: code}
	if derr != nil {
		rec.Error = derr.Error()
	}
	if err := h.sessions.AddCallbackAttempt(context.WithoutCancel(ctx), sess.ID, rec); err != nil && !errors.Is(err, sessions.ErrNotFound) {
		log.WarnContext(ctx, "cannot record callback attempt", "err", err)
	}
	if derr != nil {
		log.WarnContext(ctx, "callback failed", "attempt", attempt, "code", code, "err", derr)
		return derr
	}
	log.InfoContext(ctx, "callback delivered", "attempt", attempt, "code", code)
	return nil
}

// deliver POSTs the session and returns the HTTP status; a status other
// than 2xx is an error.
func (h *Handler) deliver(ctx context.Context, sess *sessions.Session, sch schema.Schema, attempt int) (int, error) {
	view := sess.StatusView(h.now(), func(key string) string {
		u, err := h.storage.PresignGet(ctx, key, h.urlExpiry)
		if err != nil {
			return ""
		}
		return u
	})
	body, err := json.Marshal(view)
	if err != nil {
		return 0, fmt.Errorf("encode session: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, sch.CallbackURL, bytes.NewReader(body))
	if err != nil {
		return 0, fmt.Errorf("callback request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "openkyc-callback/1")
	req.Header.Set(HeaderSignature, Sign(sch.CallbackSecret, body))
	req.Header.Set(HeaderSession, sess.ID)
	req.Header.Set(HeaderAttempt, fmt.Sprint(attempt))
	resp, err := h.client.Do(req)
	if err != nil {
		return 0, fmt.Errorf("callback post: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp.StatusCode, fmt.Errorf("callback answered %d", resp.StatusCode)
	}
	return resp.StatusCode, nil
}
