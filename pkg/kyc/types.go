package kyc

import (
	"encoding/json"
	"math"
	"strconv"
	"time"
)

// Seconds is a duration in wall seconds, written with millisecond precision.
type Seconds float64

// SecondsOf converts d to Seconds.
func SecondsOf(d time.Duration) Seconds { return Seconds(d.Seconds()) }

// MarshalJSON writes s rounded to milliseconds.
func (s Seconds) MarshalJSON() ([]byte, error) {
	v := math.Round(float64(s)*1000) / 1000
	return strconv.AppendFloat(nil, v, 'f', -1, 64), nil
}

// Timestamp is a point in time written as in the API: UTC with milliseconds,
// "2025-05-21T08:15:46.972Z".
type Timestamp time.Time

const timestampLayout = "2006-01-02T15:04:05.000Z"

// MarshalJSON writes t in the API's layout.
func (t Timestamp) MarshalJSON() ([]byte, error) {
	return json.Marshal(time.Time(t).UTC().Format(timestampLayout))
}

// UnmarshalJSON reads t from the API's layout or any RFC 3339 time.
func (t *Timestamp) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return err
	}
	*t = Timestamp(v)
	return nil
}

// Time returns t as a time.Time.
func (t Timestamp) Time() time.Time { return time.Time(t) }

// Result is what the service found in one image, or, with Type "faces",
// the session's cross-image face matching.
type Result struct {
	Status     Status   `json:"status"`
	Type       string   `json:"type"`
	Spent      Seconds  `json:"spent"`
	Errors     []string `json:"errors"`
	DocName    string   `json:"docName,omitempty"`
	Checks     []Check  `json:"checks"`
	OCR        *OCR     `json:"ocr,omitempty"`
	FaceSelfie string   `json:"faceSelfie,omitempty"`
	FaceDoc    string   `json:"faceDoc,omitempty"`
	WithDoc    string   `json:"withDoc,omitempty"`
	Image      string   `json:"image,omitempty"`
	ImageFull  string   `json:"imageFull,omitempty"`
}

// Result types that are not document kinds.
const (
	TypeUnknown  = "unknown"
	TypeDocument = "document"
	TypeSelfie   = "selfie"
	TypeFaces    = "faces"
)

// Check is a named group of check items, such as "fraud" or "Face matching".
type Check struct {
	Caption string      `json:"caption"`
	Items   []CheckItem `json:"items"`
}

// CheckItem is one check: its caption, its outcome and, where it has one,
// its value (a score or a percentage) and the images it compared.
type CheckItem struct {
	Caption string   `json:"caption"`
	Status  Status   `json:"status"`
	Value   string   `json:"value,omitempty"`
	Images  []string `json:"images,omitempty"`
}

// OCR holds the text fields read from a document.
type OCR struct {
	Status Status  `json:"status"`
	Fields []Field `json:"fields"`
}

// Field is one text field read from a document; Conf is high, medium or low.
type Field struct {
	Title string `json:"title"`
	Value string `json:"value"`
	Conf  string `json:"conf"`
}

// Field confidences.
const (
	ConfHigh   = "high"
	ConfMedium = "medium"
	ConfLow    = "low"
)

// ProcessResponse is the answer of POST /v1/kyc/process.
type ProcessResponse struct {
	SessionID   string    `json:"sessionId"`
	ClientID    string    `json:"clientId"`
	Status      Status    `json:"status"`
	Spent       Seconds   `json:"spent"`
	Results     []Result  `json:"results"`
	CreatedAt   Timestamp `json:"createdAt"`
	IsClientNew bool      `json:"isClientNew"`
}

// SessionStatus is the answer of POST /v1/kyc/session/status.
type SessionStatus struct {
	Status        Status    `json:"status"`
	SessionID     string    `json:"sessionId"`
	Errors        []string  `json:"errors"`
	SchemaID      string    `json:"schemaId"`
	ClientID      string    `json:"clientId"`
	Spent         Seconds   `json:"spent"`
	CreatedAt     Timestamp `json:"createdAt"`
	IsClientNew   bool      `json:"isClientNew"`
	ClientKey     string    `json:"clientKey"`
	SecondsToLive int64     `json:"secondsToLive"`
	ResponseTime  Seconds   `json:"responseTime"`
	Results       []Result  `json:"results"`
	// Callbacks are the deliveries of the schema's callback so far; absent
	// when the schema has none.
	Callbacks []CallbackAttempt `json:"callbacks,omitempty"`
}

// CallbackAttempt is one delivery attempt of a session's callback.
type CallbackAttempt struct {
	At      Timestamp `json:"at"`
	Attempt int       `json:"attempt"`
	// Code is the HTTP status answered, 0 when none was.
	Code  int    `json:"code"`
	Error string `json:"error,omitempty"`
}

// SessionSummary is one session of a /v1/kyc/sessions/filter page.
type SessionSummary struct {
	SessionID string    `json:"sessionId"`
	Status    Status    `json:"status"`
	SchemaID  string    `json:"schemaId"`
	ClientID  string    `json:"clientId"`
	ClientKey string    `json:"clientKey"`
	CreatedAt Timestamp `json:"createdAt"`
	Errors    []string  `json:"errors"`
}

// MapImages replaces every image reference of r (image, imageFull, face
// crops, check item images) by f of it; empty references stay empty.
func (r *Result) MapImages(f func(string) string) {
	m := func(s *string) {
		if *s != "" {
			*s = f(*s)
		}
	}
	m(&r.Image)
	m(&r.ImageFull)
	m(&r.FaceSelfie)
	m(&r.FaceDoc)
	for i := range r.Checks {
		for j := range r.Checks[i].Items {
			imgs := r.Checks[i].Items[j].Images
			for k := range imgs {
				m(&imgs[k])
			}
		}
	}
}
