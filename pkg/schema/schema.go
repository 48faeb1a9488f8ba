// Package schema holds verification schemas: which checks a session runs
// and the thresholds that decide them. Schemas come from a JSON file; the
// default schema exists whether or not the file names it.
package schema

import (
	"encoding/json"
	"fmt"
	"os"
)

// DefaultID is the schema used when a request names none.
const DefaultID = "default"

// Schema is one verification scenario.
type Schema struct {
	ID string `json:"id"`
	// FaceMatchThreshold is the largest descriptor distance at which two
	// faces count as the same person. Zero means the face package's default.
	FaceMatchThreshold float64 `json:"faceMatchThreshold,omitempty"`
	// FraudThresholds maps a fraud check (isEdited, isDisplay, isPrinted,
	// liveness) to the score at which it fails. Missing checks use defaults.
	FraudThresholds map[string]float64 `json:"fraudThresholds,omitempty"`
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
		if s.FaceMatchThreshold < 0 || s.FaceMatchThreshold > 2 {
			return nil, fmt.Errorf("schema %s: faceMatchThreshold %v out of [0, 2]", s.ID, s.FaceMatchThreshold)
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
