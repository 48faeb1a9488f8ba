package pipeline

import (
	"context"
	"time"

	"github.com/openkyc/kyc/pkg/sessions"
)

// Delay is a stage that only waits; the crash-recovery test uses it to
// catch a worker in the middle of a job (KYC_DEBUG_STAGE_DELAY).
type Delay time.Duration

// Name implements Stage.
func (Delay) Name() string { return "delay" }

// Run implements Stage.
func (d Delay) Run(ctx context.Context, _ *Input, _ *sessions.Record) error {
	select {
	case <-time.After(time.Duration(d)):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
