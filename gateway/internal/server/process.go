package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"
	"github.com/openkyc/kyc/gateway/internal/auth"
	"github.com/openkyc/kyc/pkg/accounts"
	"github.com/openkyc/kyc/pkg/kyc"
	"github.com/openkyc/kyc/pkg/queue"
	"github.com/openkyc/kyc/pkg/schema"
	"github.com/openkyc/kyc/pkg/sessions"
	"github.com/openkyc/kyc/pkg/storage"
)

// processParams are the validated parameters of /v1/kyc/process.
type processParams struct {
	account   string
	schema    schema.Schema
	schemaID  string
	sessionID string
	clientKey string
	async     bool
	ocr       bool
	addr      string
	principal auth.Principal
}

// process implements POST /v1/kyc/process.
func (s *Server) process(c echo.Context) error {
	// A token in a header is checked before the body is read.
	if headerToken(c.Request()) != "" {
		if _, err := s.authorize(c, "", accounts.PermProcess, auth.AudienceWidget); err != nil {
			return err
		}
	}
	f, err := s.readForm(c)
	if err != nil {
		return err
	}
	p, err := s.processParams(c, f)
	if err != nil {
		s.removeImages(context.WithoutCancel(c.Request().Context()), f.images)
		return err
	}
	return s.runProcess(c, p, f.images)
}

func (s *Server) processParams(c echo.Context, f *form) (processParams, error) {
	ctx := c.Request().Context()
	pr, err := s.authorize(c, f.fields["token"], accounts.PermProcess, auth.AudienceWidget)
	if err != nil {
		return processParams{}, err
	}
	p := processParams{account: pr.Account, schemaID: f.fields["schemaId"], sessionID: f.fields["sessionId"],
		clientKey: f.fields["clientKey"], ocr: true, addr: c.RealIP(), principal: pr}
	// A temporary token fills in its scope and refuses what lies outside.
	if p.schemaID == "" {
		p.schemaID = pr.SchemaID
	}
	if _, sent := f.fields["clientKey"]; !sent && pr.ClientKey != "" {
		p.clientKey = pr.ClientKey
		f.fields["clientKey"] = pr.ClientKey
	}
	if !scopeFits(pr, schemaOrDefault(p.schemaID), p.clientKey) {
		return p, errAccessDenied
	}
	if len(f.images) == 0 {
		return p, errInvalidSchema
	}
	sch, found, err := s.deps.Accounts.Schema(ctx, p.account, p.schemaID)
	if err != nil {
		return p, unavailable(err)
	}
	if !found {
		return p, errInvalidSchema
	}
	p.schemaID, p.schema = sch.ID, sch
	switch f.fields["mode"] {
	case "", "sync":
	case "async":
		p.async = true
	default:
		return p, invalid("mode must be sync or async")
	}
	if v, ok := f.fields["ocr"]; ok && v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return p, invalid("ocr must be true or false")
		}
		p.ocr = b
	}
	if _, ok := f.fields["clientKey"]; ok && !validClientKey(p.clientKey) {
		return p, invalid("clientKey must be 1 to 36 printable characters")
	}
	if err := s.checkCaptcha(ctx, p, f.fields["captcha"]); err != nil {
		return p, err
	}
	return p, nil
}

func schemaOrDefault(id string) string {
	if id == "" {
		return schema.DefaultID
	}
	return id
}

// validClientKey accepts 1 to 36 printable ASCII characters without spaces.
func validClientKey(k string) bool {
	if len(k) == 0 || len(k) > 36 {
		return false
	}
	for i := 0; i < len(k); i++ {
		if k[i] <= ' ' || k[i] > '~' {
			return false
		}
	}
	return true
}

// runProcess attaches the stored images to a session, enqueues them and
// answers; in sync mode it first waits for the session to finish.
func (s *Server) runProcess(c echo.Context, p processParams, images []string) error {
	ctx := c.Request().Context()
	sess, err := s.openSession(ctx, p)
	if err != nil {
		s.removeImages(context.WithoutCancel(ctx), images)
		return err
	}

	var sub *sessions.Subscription
	if !p.async {
		// Subscribe before anything is queued, so the announcement of a
		// fast finish cannot slip past.
		if sub, err = s.deps.Sessions.Subscribe(ctx, sess.ID); err != nil {
			s.removeImages(context.WithoutCancel(ctx), images)
			return unavailable(err)
		}
		defer sub.Close()
	}
	first, err := s.deps.Sessions.AddImages(ctx, sess.ID, images)
	if err != nil {
		s.removeImages(context.WithoutCancel(ctx), images)
		if errors.Is(err, sessions.ErrNotFound) {
			return errNotFound
		}
		return unavailable(err)
	}
	if err := s.enqueue(ctx, c, p, sess.ID, images, first); err != nil {
		return err
	}
	if !p.async {
		s.wait(ctx, sess.ID, sub)
	}
	cur, err := s.deps.Sessions.Get(ctx, sess.ID)
	if err != nil {
		return unavailable(err)
	}
	return c.JSON(http.StatusOK, s.processResponse(ctx, cur))
}

// openSession returns the session named by p, or a new one.
func (s *Server) openSession(ctx context.Context, p processParams) (*sessions.Session, error) {
	if p.sessionID != "" {
		sess, err := s.deps.Sessions.Get(ctx, p.sessionID)
		if errors.Is(err, sessions.ErrNotFound) || (err == nil && sess.Account != p.account) {
			return nil, errNotFound
		}
		if err != nil {
			return nil, unavailable(err)
		}
		if !scopeFits(p.principal, sess.SchemaID, sess.ClientKey) {
			return nil, errNotFound
		}
		if p.clientKey != "" && p.clientKey == sess.ClientKey {
			if err := s.deps.Sessions.SetLatest(ctx, p.account, p.clientKey, sess.ID); err != nil {
				return nil, unavailable(err)
			}
		}
		return sess, nil
	}
	id, err := uuid.NewUUID() // version 1: time-based, as the API's ids
	if err != nil {
		return nil, internal(fmt.Errorf("session id: %w", err))
	}
	sess := &sessions.Session{ID: id.String(), Account: p.account, SchemaID: p.schemaID, ClientKey: p.clientKey,
		Async: p.async, Addr: p.addr, TTL: p.schema.Retention(s.cfg.Retention)}
	if p.clientKey != "" {
		if sess.ClientID, sess.IsClientNew, err = s.deps.Sessions.Client(ctx, p.account, p.clientKey); err != nil {
			return nil, unavailable(err)
		}
	}
	if err := s.deps.Sessions.Create(ctx, sess); err != nil {
		return nil, unavailable(err)
	}
	if p.clientKey != "" {
		if err := s.deps.Sessions.SetLatest(ctx, p.account, p.clientKey, sess.ID); err != nil {
			return nil, unavailable(err)
		}
	}
	return sess, nil
}

// enqueue queues one task per image. An image that cannot be queued gets
// an exception result at once, so that the session still finishes.
func (s *Server) enqueue(ctx context.Context, c echo.Context, p processParams, sessionID string, images []string, first int) error {
	var failed int
	for i, id := range images {
		task, err := queue.NewImageTask(queue.ImagePayload{
			SessionID: sessionID, ImageID: id, Seq: first + i, Account: p.account,
			SchemaID: p.schemaID, OCR: p.ocr, RequestID: requestID(c),
		}, s.cfg.MaxRetry, s.cfg.TaskTimeout)
		if err == nil {
			_, err = s.deps.Queue.EnqueueContext(ctx, task)
		}
		if err == nil {
			continue
		}
		failed++
		s.log.ErrorContext(ctx, "cannot enqueue image", "request_id", requestID(c), "session", sessionID, "image", id, "err", err)
		rec := sessions.Record{ImageID: id, Seq: first + i, Result: kyc.Result{
			Status: kyc.StatusException, Type: kyc.TypeUnknown, Errors: []string{kyc.ErrSystemException},
			Checks: []kyc.Check{}, ImageFull: storage.OriginalKey(id),
		}}
		if n, err := s.deps.Sessions.PutResult(context.WithoutCancel(ctx), sessionID, rec); err == nil && n == 0 {
			_, _ = s.deps.Sessions.Finish(context.WithoutCancel(ctx), sessionID, kyc.StatusException, []string{kyc.ErrSystemException}, nil)
		}
	}
	if failed == len(images) {
		return unavailable(errors.New("no image could be queued"))
	}
	return nil
}

// wait blocks until the session has finished or the sync deadline passed.
// Every wake-up re-reads the session, so a missed or early announcement
// only costs a read.
func (s *Server) wait(ctx context.Context, id string, sub *sessions.Subscription) {
	wctx, cancel := context.WithTimeout(ctx, s.cfg.SyncTimeout)
	defer cancel()
	for {
		sess, err := s.deps.Sessions.Get(wctx, id)
		if err == nil && sess.Status.Final() && sess.Pending == 0 {
			return
		}
		if err := sub.Wait(wctx); err != nil {
			return
		}
	}
}

func unavailable(err error) *apiError {
	return &apiError{code: http.StatusServiceUnavailable, msg: kyc.MsgUnavailable, err: err}
}

// presenter turns object keys into presigned URLs.
func (s *Server) presign(ctx context.Context) func(string) string {
	expiry := s.cfg.URLExpiry
	return func(key string) string {
		if strings.Contains(key, "://") {
			return key
		}
		u, err := s.deps.Storage.PresignGet(ctx, key, expiry)
		if err != nil {
			s.log.WarnContext(ctx, "cannot presign", "key", key, "err", err)
			return ""
		}
		return u
	}
}

func (s *Server) processResponse(ctx context.Context, sess *sessions.Session) kyc.ProcessResponse {
	return kyc.ProcessResponse{
		SessionID:   sess.ID,
		ClientID:    sess.ClientID,
		Status:      sess.Status,
		Spent:       kyc.SecondsOf(sess.Spent(s.now())),
		Results:     sess.PresentedResults(s.presign(ctx)),
		CreatedAt:   kyc.Timestamp(sess.CreatedAt),
		IsClientNew: sess.IsClientNew,
	}
}

func (s *Server) sessionStatusResponse(ctx context.Context, sess *sessions.Session) kyc.SessionStatus {
	return sess.StatusView(s.now(), s.presign(ctx))
}
