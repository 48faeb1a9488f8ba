package pipeline

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/openkyc/kyc/pkg/kyc"
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

	var faces *sessions.Record
	if p.finisher != nil {
		sch, ok := p.schemas.Get(sess.SchemaID)
		if !ok {
			sch, _ = p.schemas.Get(schema.DefaultID)
		}
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
	if _, err := p.sessions.Finish(ctx, id, status, errs, faces); err != nil {
		if errors.Is(err, sessions.ErrNotFound) {
			return fmt.Errorf("%w: %w", errGone, err)
		}
		return err
	}
	return nil
}
