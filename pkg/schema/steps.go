package schema

import (
	"slices"
	"strings"

	"github.com/openkyc/kyc/pkg/kyc"
)

// MissingSteps returns the steps of s that results do not contain, in the
// schema's order: a document (of an accepted kind), a selfie, a selfie
// holding a document. A step counts as present when an image was
// recognised as it, whatever that image's own status.
func (s Schema) MissingSteps(results []kyc.Result) []string {
	var missing []string
	for _, step := range s.Steps {
		if !slices.ContainsFunc(results, func(r kyc.Result) bool { return s.satisfies(step, r) }) {
			missing = append(missing, step)
		}
	}
	return missing
}

func (s Schema) satisfies(step string, r kyc.Result) bool {
	switch step {
	case StepDocument:
		return IsDocumentKind(r.Type) && (len(s.DocumentKinds) == 0 || slices.Contains(s.DocumentKinds, r.Type))
	case StepSelfie:
		return r.Type == kyc.TypeSelfie && r.WithDoc == ""
	case StepSelfieWithDocument:
		return r.Type == kyc.TypeSelfie && r.WithDoc != ""
	}
	return false
}

// StepsError is the session error naming missing steps, or "" when none is.
func StepsError(missing []string) string {
	if len(missing) == 0 {
		return ""
	}
	return kyc.ErrStepsNotSatisfied + ": " + strings.Join(missing, ", ")
}
