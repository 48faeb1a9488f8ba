package face

import (
	"context"
	"fmt"

	"github.com/openkyc/kyc/pkg/kyc"
	"github.com/openkyc/kyc/pkg/schema"
	"github.com/openkyc/kyc/pkg/sessions"
)

// Matcher is the session finisher that compares every selfie face with
// every document portrait of the session, as the "faces" result.
type Matcher struct{}

// CheckCaption is the caption of the face-matching check.
const CheckCaption = "Face matching"

// Finish implements pipeline.Finisher. It returns nil when the session has
// no selfie face or no document portrait to compare.
func (Matcher) Finish(_ context.Context, sess *sessions.Session, sch schema.Schema) (*sessions.Record, error) {
	threshold := sch.FaceMatchThreshold
	if threshold == 0 {
		threshold = DefaultThreshold
	}
	var people, portraits []sessions.Face
	for _, r := range sess.Records {
		for _, f := range r.Faces {
			if len(f.Descriptor) != len(Descriptor{}) {
				return nil, fmt.Errorf("face: record %s has a descriptor of %d values", r.ImageID, len(f.Descriptor))
			}
			switch f.Role {
			case sessions.RoleSelfie:
				people = append(people, f)
			case sessions.RoleDocument, sessions.RoleHeldDocument:
				portraits = append(portraits, f)
			}
		}
	}
	if len(people) == 0 || len(portraits) == 0 {
		return nil, nil
	}
	check := kyc.Check{Caption: CheckCaption}
	status := kyc.StatusSuccess
	for _, p := range people {
		for _, d := range portraits {
			dist := Distance(descriptor(p.Descriptor), descriptor(d.Descriptor))
			item := kyc.CheckItem{
				Caption: caption(p, d),
				Status:  kyc.StatusSuccess,
				Value:   fmt.Sprintf("%d%%", Similarity(dist)),
				Images:  []string{p.Crop, d.Crop},
			}
			if !Match(dist, threshold) {
				item.Status = kyc.StatusFailed
				status = kyc.StatusFailed
			}
			check.Items = append(check.Items, item)
		}
	}
	return &sessions.Record{Seq: sess.Images, Result: kyc.Result{
		Status: status, Type: kyc.TypeFaces, Errors: []string{}, Checks: []kyc.Check{check},
	}}, nil
}

// caption names a comparison as the API does: "selfie & passport", or
// "selfie with passport & passport" for the person of a selfie holding a
// document.
func caption(person, portrait sessions.Face) string {
	kind := func(k string) string {
		if k == "" {
			return kyc.TypeDocument
		}
		return k
	}
	left := "selfie"
	if person.DocKind != "" {
		left = "selfie with " + person.DocKind
	}
	return left + " & " + kind(portrait.DocKind)
}

func descriptor(v []float32) Descriptor {
	var d Descriptor
	copy(d[:], v)
	return d
}
