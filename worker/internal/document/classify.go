package document

import (
	"image"

	"github.com/openkyc/kyc/worker/internal/mrzread"
	"github.com/openkyc/kyc/worker/internal/pipeline"
)

// Class is what an image shows.
type Class int

// The classes of images.
const (
	ClassUnknown Class = iota
	ClassDocument
	ClassSelfie
	ClassSelfieWithDocument
)

// String names the class as the eval's confusion matrix does.
func (c Class) String() string {
	switch c {
	case ClassDocument:
		return "document"
	case ClassSelfie:
		return "selfie"
	case ClassSelfieWithDocument:
		return "selfie_with_document"
	}
	return "unknown"
}

// personFaceRatio is the face height, relative to the MRZ band's width,
// above which a face cannot be the document's own portrait: portraits are
// about 0.35 of a document's width tall on every ICAO size (TD1 32 of
// 86 mm, TD3 45 of 125 mm), and the band spans about 0.9 of the width.
const personFaceRatio = 0.75

// Decision is a classification with the faces that play a part in it, as
// indexes into the faces given (-1 for none).
type Decision struct {
	Class Class
	// Person is the face of the person photographed (selfies).
	Person int
	// Portrait is the document's portrait (documents, held documents).
	Portrait int
}

// Classify decides what an image shows from the faces found in it
// (largest first), its MRZ band, if one was found, and text, the rows of
// printed text around a face (see PortraitText; nil finds none): a
// machine-readable zone makes a document; a face too large to be that
// document's portrait makes it a selfie holding the document. Without a
// zone, a largest face flanked by rows of small print (see IsPortrait) is
// a document's portrait and makes a document; other faces make a selfie.
func Classify(faces []pipeline.DetectedFace, band *image.Rectangle, text func(face image.Rectangle) []mrzread.TextRow) Decision {
	d := Decision{Class: ClassUnknown, Person: -1, Portrait: -1}
	if band == nil {
		if len(faces) == 0 {
			return d
		}
		if text != nil && IsPortrait(faces[0].Rect, text(faces[0].Rect)) {
			d.Class, d.Portrait = ClassDocument, 0
			return d
		}
		d.Class, d.Person = ClassSelfie, 0
		return d
	}
	limit := personFaceRatio * float64(max(band.Dx(), band.Dy()))
	for i, f := range faces {
		if float64(max(f.Rect.Dx(), f.Rect.Dy())) > limit {
			if d.Person < 0 {
				d.Person = i
			}
		} else if d.Portrait < 0 {
			d.Portrait = i
		}
	}
	d.Class = ClassDocument
	if d.Person >= 0 {
		d.Class = ClassSelfieWithDocument
	}
	return d
}
