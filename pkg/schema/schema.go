// Package schema holds verification schemas: which steps a session must
// contain, the thresholds that decide its checks, the limits and captcha
// policy of its clients, its callback and its retention. Schemas come from a
// JSON file (for every account) and from the accounts' own schemas stored by
// pkg/accounts; the default schema exists whether or not either defines it.
package schema

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"slices"
	"time"
)

// DefaultID is the schema used when a request names none.
const DefaultID = "default"

// Steps a schema may require.
const (
	StepDocument           = "document"
	StepSelfie             = "selfie"
	StepSelfieWithDocument = "selfie_with_document"
)

// Captcha policies. The empty policy demands a captcha once a client (or an
// address) reached MaxFailedAttempts failed sessions, when that is set.
const (
	CaptchaAfterFailures = ""
	CaptchaAlways        = "always"
	CaptchaNever         = "never"
)

// DocumentKinds are the result types of document images.
var documentKinds = []string{"passport", "id_card", "visa", "residence_permit", "driving_licence", "document"}

// IsDocumentKind reports whether a result type is a document kind.
func IsDocumentKind(t string) bool { return slices.Contains(documentKinds, t) }

// Schema is one verification scenario.
type Schema struct {
	ID string `json:"id"`
	// Steps are the images a session must contain to succeed: "document",
	// "selfie", "selfie_with_document". None means any images will do.
	Steps []string `json:"steps,omitempty"`
	// DocumentKinds restricts the document step to these kinds (passport,
	// id_card, ...); empty accepts any document.
	DocumentKinds []string `json:"documentKinds,omitempty"`
	// FaceMatchThreshold is the largest descriptor distance at which two
	// faces count as the same person. Zero means the face package's default.
	FaceMatchThreshold float64 `json:"faceMatchThreshold,omitempty"`
	// FraudThresholds maps a fraud check (isEdited, isDisplay, isPrinted,
	// liveness) to the score at which it fails. Missing checks use defaults.
	FraudThresholds map[string]float64 `json:"fraudThresholds,omitempty"`
	// MaxFailedAttempts is how many failed sessions a clientKey (or, without
	// one, an address) may have before a captcha is demanded; 0 never.
	MaxFailedAttempts int `json:"maxFailedAttempts,omitempty"`
	// Captcha is the captcha policy: "" (after MaxFailedAttempts),
	// "always" or "never".
	Captcha string `json:"captcha,omitempty"`
	// CallbackURL receives the session when an async session finishes.
	CallbackURL string `json:"callbackUrl,omitempty"`
	// CallbackSecret keys the HMAC-SHA256 signature of callbacks.
	CallbackSecret string `json:"callbackSecret,omitempty"`
	// RetentionSeconds, when set, keeps the sessions of this schema for
	// less than the service's retention.
	RetentionSeconds int64 `json:"retentionSeconds,omitempty"`
}

var idPattern = regexp.MustCompile(`^[A-Za-z0-9_.:-]{1,64}$`)

// Validate reports the first problem of s.
func (s Schema) Validate() error {
	switch {
	case !idPattern.MatchString(s.ID):
		return fmt.Errorf("schema: id must be 1 to 64 of [A-Za-z0-9_.:-]")
	case s.FaceMatchThreshold < 0 || s.FaceMatchThreshold > 2:
		return fmt.Errorf("schema %s: faceMatchThreshold %v out of [0, 2]", s.ID, s.FaceMatchThreshold)
	case s.MaxFailedAttempts < 0:
		return fmt.Errorf("schema %s: maxFailedAttempts must not be negative", s.ID)
	case s.RetentionSeconds < 0 || (s.RetentionSeconds > 0 && s.RetentionSeconds < 60):
		return fmt.Errorf("schema %s: retentionSeconds must be 0 or at least 60", s.ID)
	case s.Captcha != CaptchaAfterFailures && s.Captcha != CaptchaAlways && s.Captcha != CaptchaNever:
		return fmt.Errorf("schema %s: captcha must be \"\", always or never", s.ID)
	}
	for k, v := range s.FraudThresholds {
		if v < 0 || v > 1 {
			return fmt.Errorf("schema %s: fraud threshold %s %v out of [0, 1]", s.ID, k, v)
		}
	}
	for _, st := range s.Steps {
		if st != StepDocument && st != StepSelfie && st != StepSelfieWithDocument {
			return fmt.Errorf("schema %s: unknown step %q", s.ID, st)
		}
	}
	for _, k := range s.DocumentKinds {
		if !IsDocumentKind(k) {
			return fmt.Errorf("schema %s: unknown document kind %q", s.ID, k)
		}
	}
	if s.CallbackURL != "" {
		u, err := url.Parse(s.CallbackURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("schema %s: callbackUrl must be an http(s) URL", s.ID)
		}
		if len(s.CallbackSecret) < 16 {
			return fmt.Errorf("schema %s: callbackSecret of at least 16 characters is required with callbackUrl", s.ID)
		}
	}
	return nil
}

// Retention returns how long sessions of s are kept: RetentionSeconds
// when set and shorter than max, else max.
func (s Schema) Retention(max time.Duration) time.Duration {
	if d := time.Duration(s.RetentionSeconds) * time.Second; d > 0 && d < max {
		return d
	}
	return max
}

// Registry is an immutable set of schemas.
type Registry struct{ byID map[string]Schema }

// NewRegistry returns a registry of schemas plus the default schema when
// they do not define it.
func NewRegistry(schemas ...Schema) (*Registry, error) {
	r := &Registry{byID: map[string]Schema{DefaultID: {ID: DefaultID}}}
	for _, s := range schemas {
		if s.ID == "" {
			return nil, fmt.Errorf("schema: a schema without id")
		}
		if err := s.Validate(); err != nil {
			return nil, err
		}
		r.byID[s.ID] = s
	}
	return r, nil
}

// Load reads a JSON array of schemas from path; an empty path gives the
// default schema alone.
func Load(path string) (*Registry, error) {
	if path == "" {
		return NewRegistry()
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("schema: %w", err)
	}
	var list []Schema
	if err := json.Unmarshal(b, &list); err != nil {
		return nil, fmt.Errorf("schema: %s: %w", path, err)
	}
	return NewRegistry(list...)
}

// Get returns the schema with id; an empty id is the default schema.
func (r *Registry) Get(id string) (Schema, bool) {
	if id == "" {
		id = DefaultID
	}
	s, ok := r.byID[id]
	return s, ok
}

// All returns the registry's schemas.
func (r *Registry) All() []Schema {
	out := make([]Schema, 0, len(r.byID))
	for _, s := range r.byID {
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b Schema) int {
		switch {
		case a.ID < b.ID:
			return -1
		case a.ID > b.ID:
			return 1
		}
		return 0
	})
	return out
}
