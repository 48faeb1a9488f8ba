package sessions

import (
	"time"

	"github.com/openkyc/kyc/pkg/kyc"
)

// Session is one stored KYC session: its metadata and the results of the
// images processed so far.
type Session struct {
	ID          string
	Account     string
	SchemaID    string
	ClientID    string
	ClientKey   string
	IsClientNew bool
	Status      kyc.Status
	Errors      []string
	CreatedAt   time.Time
	// UpdatedAt is when images were last added.
	UpdatedAt time.Time
	// FinishedAt is when the session last reached a final status; zero
	// while it never has.
	FinishedAt time.Time
	// Images counts the images ever added; Pending those not yet done.
	Images  int
	Pending int
	// TTL is how long the session remains stored. Set before Create, it is
	// the session's retention (the store's when zero).
	TTL time.Duration
	// Async is set when the request that created the session was async;
	// such a session's schema callback is called when it finishes.
	Async bool
	// Addr is the client address of the request that created the session.
	Addr string
	// Callbacks are the delivery attempts of the schema's callback.
	Callbacks []kyc.CallbackAttempt
	// Records are the per-image results in upload order, then the
	// session-level ones (the "faces" result).
	Records []Record
}

// Record is what the worker stored for one image (or, with ImageID
// FacesRecordID, for the session's face matching).
type Record struct {
	ImageID string     `json:"imageId"`
	Seq     int        `json:"seq"`
	Result  kyc.Result `json:"result"`
	// Faces are the faces found in the image, for the finishing step.
	Faces []Face `json:"faces,omitempty"`
}

// FacesRecordID is the record id of the session's face-matching result.
const FacesRecordID = "faces"

// Face is one face found in an image, kept for cross-image matching.
type Face struct {
	// Role says where the face was: "selfie", "document" (the portrait of
	// a document image) or "held_document" (the portrait of a document held
	// in a selfie).
	Role string `json:"role"`
	// DocKind is the document kind the face belongs to, for captions.
	DocKind string `json:"docKind,omitempty"`
	// Crop is the object key of the face crop.
	Crop       string    `json:"crop"`
	Descriptor []float32 `json:"descriptor"`
}

// Face roles.
const (
	RoleSelfie       = "selfie"
	RoleDocument     = "document"
	RoleHeldDocument = "held_document"
)

// Spent is the session's wall time: until it finished, or until now while
// it is processing.
func (s *Session) Spent(now time.Time) time.Duration {
	end := now
	if s.Status.Final() && !s.FinishedAt.IsZero() {
		end = s.FinishedAt
	}
	if end.Before(s.CreatedAt) {
		return 0
	}
	return end.Sub(s.CreatedAt)
}

// ResponseTime is how long the last request that added images waited for
// the session to finish (or has waited so far, while it is processing).
func (s *Session) ResponseTime(now time.Time) time.Duration {
	end := now
	if s.Status.Final() && !s.FinishedAt.IsZero() {
		end = s.FinishedAt
	}
	if s.UpdatedAt.IsZero() || end.Before(s.UpdatedAt) {
		return 0
	}
	return end.Sub(s.UpdatedAt)
}

// Results returns the results of all records, in order.
func (s *Session) Results() []kyc.Result {
	out := make([]kyc.Result, 0, len(s.Records))
	for _, r := range s.Records {
		out = append(out, r.Result)
	}
	return out
}

// FailureSubject is who a failed session counts against for the schema's
// limit of failed attempts: its clientKey, or its address without one.
func (s *Session) FailureSubject() string {
	if s.ClientKey != "" {
		return "client:" + s.ClientKey
	}
	return "addr:" + s.Addr
}
