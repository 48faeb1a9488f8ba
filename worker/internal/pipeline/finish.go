package pipeline

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hibiken/asynq"
	"github.com/openkyc/kyc/pkg/kyc"
	"github.com/openkyc/kyc/pkg/queue"
	"github.com/openkyc/kyc/pkg/schema"
	"github.com/openkyc/kyc/pkg/sessions"
)

// finish recomputes the session-level results over all records and sets
// the session's final status. It is idempotent: a retried last task runs
// it again with the same outcome.
func (p *Processor) finish(ctx context.Context, id string) error {
	t0 := time.Now()
	defer func() { p.metrics.stage.WithLabelValues("finish").Observe(time.Since(t0).Seconds()) }()
	sess, err := p.sessions.Get(ctx, id)
	if errors.Is(err, sessions.ErrNotFound) {
		return fmt.Errorf("%w: %w", errGone, err)
	}
	if err != nil {
		return err
	}
	images := make([]sessions.Record, 0, len(sess.Records))
	for _, r := range sess.Records {
		if r.ImageID != sessions.FacesRecordID {
			images = append(images, r)
		}
	}
	sess.Records = images

	sch, err := p.schema(ctx, sess.Account, sess.SchemaID)
	if err != nil {
		return fmt.Errorf("finish %s: %w", id, err)
	}
	var faces *sessions.Record
	if p.finisher != nil {
		if faces, err = p.finisher.Finish(ctx, sess, sch); err != nil {
			return fmt.Errorf("finish %s: %w", id, err)
		}
		if faces != nil {
			faces.Result.Spent = kyc.SecondsOf(time.Since(t0))
		}
	}
	statuses := make([]kyc.Status, 0, len(images)+1)
	var errs []string
	seen := map[string]bool{}
	all := images
	if faces != nil {
		all = append(all, *faces)
	}
	for _, r := range all {
		statuses = append(statuses, r.Result.Status)
		for _, e := range r.Result.Errors {
			if !seen[e] {
				seen[e] = true
				errs = append(errs, e)
			}
		}
	}
	status := kyc.Combine(statuses...)
	imageResults := make([]kyc.Result, 0, len(images))
	for _, r := range images {
		imageResults = append(imageResults, r.Result)
	}
	if e := schema.StepsError(sch.MissingSteps(imageResults)); e != "" {
		status = kyc.Combine(status, kyc.StatusFailed)
		errs = append(errs, e)
	}
	// Failures are counted before the session is announced finished, so
	// that the client's next request already sees them.
	if err := p.countFailure(ctx, sess, status); err != nil {
		return err
	}
	done, err := p.sessions.Finish(ctx, id, status, errs, faces)
	if err != nil {
		if errors.Is(err, sessions.ErrNotFound) {
			return fmt.Errorf("%w: %w", errGone, err)
		}
		return err
	}
	if !done {
		return nil
	}
	return p.callback(ctx, sess, sch)
}

// countFailure counts a failed session against its client (or address) for
// the schema's captcha policy and forgets the failures after a success.
func (p *Processor) countFailure(ctx context.Context, sess *sessions.Session, status kyc.Status) error {
	switch status {
	case kyc.StatusFailed:
		return p.sessions.RecordFailure(ctx, sess.Account, sess.FailureSubject(), sess.ID)
	case kyc.StatusSuccess:
		return p.sessions.ClearFailures(ctx, sess.Account, sess.FailureSubject())
	}
	return nil
}

// callback queues the schema's callback of a finished async session.
func (p *Processor) callback(ctx context.Context, sess *sessions.Session, sch schema.Schema) error {
	if !sess.Async || sch.CallbackURL == "" || p.queue == nil {
		return nil
	}
	task, err := queue.NewCallbackTask(queue.CallbackPayload{SessionID: sess.ID, Account: sess.Account,
		SchemaID: sess.SchemaID, Images: sess.Images}, p.opts.CallbackMaxRetry)
	if err != nil {
		return err
	}
	if _, err := p.queue.EnqueueContext(ctx, task); err != nil && !errors.Is(err, asynq.ErrTaskIDConflict) {
		return fmt.Errorf("queue callback of %s: %w", sess.ID, err)
	}
	return nil
}
