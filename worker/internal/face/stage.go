package face

import (
	"context"

	"github.com/openkyc/kyc/pkg/sessions"
	"github.com/openkyc/kyc/worker/internal/pipeline"
)

// Stage is the pipeline stage that finds the faces of an image and
// describes them, for the stages after it and the session's matching.
type Stage struct{ pool *Pool }

// NewStage returns a stage recognising faces with pool.
func NewStage(pool *Pool) *Stage { return &Stage{pool: pool} }

// Name implements pipeline.Stage.
func (*Stage) Name() string { return "faces" }

// Run implements pipeline.Stage.
func (s *Stage) Run(ctx context.Context, in *pipeline.Input, _ *sessions.Record) error {
	faces, err := s.pool.Faces(ctx, in.Image)
	if err != nil {
		return err
	}
	in.Faces = Detected(faces)
	return nil
}

// Detected converts faces to the pipeline's form, keeping their order.
func Detected(faces []Face) []pipeline.DetectedFace {
	out := make([]pipeline.DetectedFace, len(faces))
	for i, f := range faces {
		out[i] = pipeline.DetectedFace{Rect: f.Rect, Descriptor: f.Descriptor[:]}
	}
	return out
}
