package fraud

import (
	"context"
	"image"

	"github.com/openkyc/kyc/pkg/kyc"
	"github.com/openkyc/kyc/pkg/sessions"
	"github.com/openkyc/kyc/worker/internal/pipeline"
)

// Stage is the pipeline stage that appends the "fraud" check to an image's
// result: isEdited, isDisplay and isPrinted, plus liveness for selfies. It
// runs after the face stage (it uses the largest face) and after the stage
// that sets the result type.
type Stage struct{}

// NewStage returns the fraud stage.
func NewStage() *Stage { return &Stage{} }

// Name implements pipeline.Stage.
func (*Stage) Name() string { return "fraud" }

// Run implements pipeline.Stage.
func (*Stage) Run(ctx context.Context, in *pipeline.Input, rec *sessions.Record) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	var face image.Rectangle
	if len(in.Faces) > 0 {
		face = in.Faces[0].Rect
	}
	sc := Measure(in.Image, in.Original, face).Score()
	selfie := rec.Result.Type == kyc.TypeSelfie
	rec.Result.Checks = append(rec.Result.Checks, Check(sc, in.Schema.FraudThresholds, selfie))
	return nil
}

// Check builds the fraud check from scores and a schema's thresholds.
func Check(sc Scores, thresholds map[string]float64, selfie bool) kyc.Check {
	item := func(name string, score float64) kyc.CheckItem {
		st := kyc.StatusSuccess
		if score >= Threshold(thresholds, name) {
			st = kyc.StatusFailed
		}
		return kyc.CheckItem{Caption: name, Status: st, Value: FormatScore(score)}
	}
	c := kyc.Check{Caption: "fraud", Items: []kyc.CheckItem{
		item(CheckEdited, sc.Edited),
		item(CheckDisplay, sc.Display),
		item(CheckPrinted, sc.Printed),
	}}
	if selfie {
		c.Items = append(c.Items, item(CheckLiveness, sc.Liveness))
	}
	return c
}
