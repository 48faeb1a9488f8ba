package pipeline

import (
	"context"
	"errors"
	"fmt"
	"image"
	"log/slog"
	"time"

	"github.com/hibiken/asynq"
	"github.com/openkyc/kyc/pkg/kyc"
	"github.com/openkyc/kyc/pkg/queue"
	"github.com/openkyc/kyc/pkg/schema"
	"github.com/openkyc/kyc/pkg/sessions"
	"github.com/openkyc/kyc/pkg/storage"
	"github.com/openkyc/kyc/worker/internal/imaging"
)

// Options are the limits a Processor applies.
type Options struct {
	MaxFileBytes int64
	MaxPixels    int64
	// CallbackMaxRetry is how often a callback delivery is retried.
	CallbackMaxRetry int
}

// SchemaSource finds an account's schema; *accounts.Store is one.
type SchemaSource interface {
	Schema(ctx context.Context, account, id string) (schema.Schema, bool, error)
}

// Enqueuer queues tasks; *asynq.Client is one.
type Enqueuer interface {
	EnqueueContext(ctx context.Context, task *asynq.Task, opts ...asynq.Option) (*asynq.TaskInfo, error)
}

// Processor handles image tasks. It is safe for concurrent use; its fields
// are immutable after NewProcessor.
type Processor struct {
	sessions *sessions.Store
	storage  *storage.Store
	schemas  SchemaSource
	queue    Enqueuer
	stages   []Stage
	finisher Finisher
	opts     Options
	metrics  *Metrics
	log      *slog.Logger
	now      func() time.Time
}

// Deps are a Processor's collaborators. Finisher may be nil; without Queue
// no callback is sent.
type Deps struct {
	Sessions *sessions.Store
	Storage  *storage.Store
	Schemas  SchemaSource
	Queue    Enqueuer
	Stages   []Stage
	Finisher Finisher
	Metrics  *Metrics
	Logger   *slog.Logger
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

// NewProcessor returns a Processor running stages in order.
func NewProcessor(d Deps, opts Options) *Processor {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	return &Processor{sessions: d.Sessions, storage: d.Storage, schemas: d.Schemas, queue: d.Queue, stages: d.Stages,
		finisher: d.Finisher, opts: opts, metrics: d.Metrics, log: d.Logger, now: d.Now}
}

// errGone marks a task whose session or upload no longer exists.
var errGone = errors.New("session or upload gone")

// ProcessTask implements asynq.Handler for queue.TypeImage tasks.
func (p *Processor) ProcessTask(ctx context.Context, t *asynq.Task) error {
	pl, err := queue.ParseImagePayload(t)
	if err != nil {
		p.metrics.tasks.WithLabelValues("dropped").Inc()
		return fmt.Errorf("%w: %w", err, asynq.SkipRetry)
	}
	log := p.log.With("request_id", pl.RequestID, "session", pl.SessionID, "image", pl.ImageID)
	err = p.process(ctx, pl, log)
	switch {
	case err == nil:
		p.metrics.tasks.WithLabelValues("done").Inc()
		return nil
	case errors.Is(err, errGone):
		p.metrics.tasks.WithLabelValues("dropped").Inc()
		log.WarnContext(ctx, "dropping task", "err", err)
		return nil
	case lastAttempt(ctx):
		// Nothing is lost silently: the image gets an exception result
		// and the session finishes.
		p.metrics.tasks.WithLabelValues("exception").Inc()
		log.ErrorContext(ctx, "image failed on its last attempt", "err", err)
		wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		rec := newRecord(pl)
		rec.Result.Status = kyc.StatusException
		rec.Result.Errors = []string{kyc.ErrSystemException}
		if werr := p.store(wctx, pl, rec); werr != nil && !errors.Is(werr, errGone) {
			log.ErrorContext(ctx, "cannot record the exception", "err", werr)
		}
		return err
	default:
		p.metrics.tasks.WithLabelValues("retry").Inc()
		log.WarnContext(ctx, "image failed, will retry", "err", err)
		return err
	}
}

func lastAttempt(ctx context.Context) bool {
	n, ok1 := asynq.GetRetryCount(ctx)
	max, ok2 := asynq.GetMaxRetry(ctx)
	return ok1 && ok2 && n >= max
}

func newRecord(pl queue.ImagePayload) sessions.Record {
	return sessions.Record{ImageID: pl.ImageID, Seq: pl.Seq, Result: kyc.Result{
		Status: kyc.StatusProcessing, Type: kyc.TypeUnknown, Errors: []string{}, Checks: []kyc.Check{},
		ImageFull: storage.OriginalKey(pl.ImageID),
	}}
}

// process recognises one image and stores its record; the last image of a
// session runs the finishing step.
func (p *Processor) process(ctx context.Context, pl queue.ImagePayload, log *slog.Logger) error {
	start := p.now()
	rec := newRecord(pl)

	t0 := time.Now()
	data, err := p.storage.Get(ctx, storage.OriginalKey(pl.ImageID), p.opts.MaxFileBytes)
	if errors.Is(err, storage.ErrNotFound) {
		return fmt.Errorf("%w: %w", errGone, err)
	}
	if err != nil && !errors.Is(err, storage.ErrTooLarge) {
		return err
	}
	var img image.Image
	if err == nil {
		img, _, err = imaging.Decode(data, p.opts.MaxPixels)
	}
	p.metrics.stage.WithLabelValues("decode").Observe(time.Since(t0).Seconds())
	if err != nil {
		log.InfoContext(ctx, "bad image", "err", err)
		rec.Result.Errors = append(rec.Result.Errors, kyc.ErrBadImage)
	} else if err := p.recognise(ctx, pl, img, data, &rec); err != nil {
		return err
	}

	rec.Result.Status = resultStatus(rec.Result)
	rec.Result.Spent = kyc.SecondsOf(p.now().Sub(start))
	for _, e := range rec.Result.Errors {
		p.metrics.failures.WithLabelValues(e).Inc()
	}
	return p.store(ctx, pl, rec)
}

// recognise runs the general checks and, where the image allows, the stages.
func (p *Processor) recognise(ctx context.Context, pl queue.ImagePayload, img image.Image, original []byte, rec *sessions.Record) error {
	t0 := time.Now()
	errs, ok := imaging.GeneralErrors(img)
	rec.Result.Errors = append(rec.Result.Errors, errs...)
	norm, err := imaging.EncodeJPEG(img, 92)
	if err != nil {
		return err
	}
	if err := p.storage.PutBytes(ctx, storage.NormalizedKey(pl.ImageID), norm, "image/jpeg"); err != nil {
		return err
	}
	rec.Result.Image = storage.NormalizedKey(pl.ImageID)
	p.metrics.stage.WithLabelValues("general").Observe(time.Since(t0).Seconds())
	if !ok {
		return nil
	}
	sch, err := p.schema(ctx, pl.Account, pl.SchemaID)
	if err != nil {
		return err
	}
	in := &Input{Task: pl, Image: img, Original: original, Schema: sch, SaveCrop: func(ctx context.Context, name string, crop image.Image) (string, error) {
		b, err := imaging.EncodeJPEG(crop, 92)
		if err != nil {
			return "", err
		}
		key := storage.CropKey(pl.ImageID, name)
		return key, p.storage.PutBytes(ctx, key, b, "image/jpeg")
	}}
	for _, st := range p.stages {
		t := time.Now()
		if err := st.Run(ctx, in, rec); err != nil {
			return fmt.Errorf("stage %s: %w", st.Name(), err)
		}
		p.metrics.stage.WithLabelValues(st.Name()).Observe(time.Since(t).Seconds())
	}
	return nil
}

// resultStatus is failed when the image has errors, suspicious when a
// check failed, success otherwise.
func resultStatus(r kyc.Result) kyc.Status {
	if len(r.Errors) > 0 {
		return kyc.StatusFailed
	}
	for _, c := range r.Checks {
		for _, it := range c.Items {
			if it.Status == kyc.StatusFailed {
				return kyc.StatusSuspicious
			}
		}
	}
	return kyc.StatusSuccess
}

// store writes the record; when it was the session's last pending image,
// the session is finished.
func (p *Processor) store(ctx context.Context, pl queue.ImagePayload, rec sessions.Record) error {
	remaining, err := p.sessions.PutResult(ctx, pl.SessionID, rec)
	if errors.Is(err, sessions.ErrNotFound) {
		return fmt.Errorf("%w: %w", errGone, err)
	}
	if err != nil {
		return err
	}
	if remaining > 0 {
		return nil
	}
	return p.finish(ctx, pl.SessionID)
}

// schema returns the account's schema id, or the default one when it no
// longer exists.
func (p *Processor) schema(ctx context.Context, account, id string) (schema.Schema, error) {
	sch, found, err := p.schemas.Schema(ctx, account, id)
	if err != nil {
		return schema.Schema{}, err
	}
	if !found {
		sch, _, err = p.schemas.Schema(ctx, account, schema.DefaultID)
	}
	return sch, err
}
