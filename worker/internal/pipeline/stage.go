// Package pipeline runs the recognition of one image (decode, general
// checks, then the stages) as an Asynq task, and the finishing step of a
// session once its last image is done.
package pipeline

import (
	"context"
	"image"

	"github.com/openkyc/kyc/pkg/queue"
	"github.com/openkyc/kyc/pkg/schema"
	"github.com/openkyc/kyc/pkg/sessions"
)

// Input is one decoded image on its way through the stages.
type Input struct {
	Task queue.ImagePayload
	// Image is the upload decoded and turned upright.
	Image image.Image
	// Original is the upload's bytes as received (metadata, JPEG tables).
	Original []byte
	Schema   schema.Schema
	// SaveCrop stores img as the crop called name of this image and
	// returns its object key.
	SaveCrop func(ctx context.Context, name string, img image.Image) (string, error)

	// Findings of earlier stages for later ones.

	// Faces are the faces found in Image, largest first.
	Faces []DetectedFace
	// MRZ is the machine-readable zone found in Image, or nil.
	MRZ *MRZFinding
}

// DetectedFace is a face found in an image.
type DetectedFace struct {
	Rect       image.Rectangle
	Descriptor []float32
}

// MRZFinding is a machine-readable zone found in an image.
type MRZFinding struct {
	// Band is the zone's box in the image's coordinates.
	Band image.Rectangle
	// DocKind is the document kind its document code names (passport,
	// id_card, visa, ...), "" when unknown.
	DocKind string
}

// Stage is one recognition step of an image. It fills in the record (type,
// checks, OCR fields, faces, errors). An error means the stage could not
// run and the task should be retried; what a stage finds wrong with the
// image belongs in the record's errors instead.
type Stage interface {
	Name() string
	Run(ctx context.Context, in *Input, rec *sessions.Record) error
}

// Finisher computes a session-level result from all the session's records
// (the "faces" result). It returns nil when there is nothing to report.
type Finisher interface {
	Finish(ctx context.Context, sess *sessions.Session, sch schema.Schema) (*sessions.Record, error)
}
