package document

import (
	"image"
	"math"
	"sort"

	"github.com/openkyc/kyc/worker/internal/mrzread"
)

// The search for a document's printed fields around a face, for documents
// without a readable MRZ (the front of an ID card, a driving licence). A
// document prints its fields in rows of small type beside its portrait:
// capitals of 1.5–3 mm against a face of about 20–25 mm (a TD1 portrait
// is 32 mm tall with the hair and shoulders), so rows of 0.05–0.3 face
// heights. A person in a photo has no such rows at that scale beside the
// face: a document they hold has its print at a few hundredths of their
// face's height, and a poster or shirt rarely stacks several parallel
// rows right beside a face.
const (
	// portraitFacePx is the face height the region around a face is
	// scaled to before rows are chained, which puts the expected print at
	// 5–30 pixels whatever the image's resolution.
	portraitFacePx = 100
	// Region around the face searched for rows, in face heights: a
	// portrait sits on a document's left (ID-1, passports) or right (some
	// licences), its fields within about 3 face heights.
	portraitLeft, portraitRight  = 3.0, 3.5
	portraitAbove, portraitBelow = 1.0, 1.5
	// minRowHeight and maxRowHeight bound a row's cap height relative to
	// the face height.
	minRowHeight, maxRowHeight = 0.05, 0.3
	// maxRowSlope is the largest slope of a row (about 8.5 degrees): the
	// face detector finds upright faces, and the document's rows run
	// perpendicular to its portrait's vertical axis.
	maxRowSlope = 0.15
	// rowSlopeSpread is how far a row's slope may stray from the rows'
	// median: the rows of one document are parallel.
	rowSlopeSpread = 0.04
	// besideAbove and besideBelow bound, in face heights, how far above
	// the face's top and below its bottom a row beside it may lie.
	besideAbove, besideBelow = 0.5, 1.0
	// maxPortraitFace is the largest face height, relative to the image's
	// height, that can be a document's portrait: the face (brows to chin)
	// is about a third of an ID-1 card's height and a quarter of a
	// passport page's, so even a tight crop of the document keeps it
	// under this; a larger face is a person photographed close up.
	maxPortraitFace = 0.45
	// minPortraitRows is the number of rows that make a portrait.
	minPortraitRows = 3
)

// PortraitRegion is the part of an image searched for a document's rows of
// print around face, and the scale that brings the face to
// portraitFacePx pixels tall.
func PortraitRegion(face image.Rectangle) (image.Rectangle, float64) {
	fh := float64(max(face.Dy(), 1))
	r := image.Rect(
		face.Min.X-int(portraitLeft*fh), face.Min.Y-int(portraitAbove*fh),
		face.Max.X+int(portraitRight*fh), face.Max.Y+int(portraitBelow*fh))
	return r, portraitFacePx / fh
}

// PortraitText returns the rows of printed text around face in img; none
// when the face is too large, relative to img, to be a document's portrait.
func PortraitText(img image.Image, face image.Rectangle) []mrzread.TextRow {
	if float64(face.Dy()) > maxPortraitFace*float64(img.Bounds().Dy()) {
		return nil
	}
	r, scale := PortraitRegion(face)
	return mrzread.TextRows(img, r, scale)
}

// PortraitRows counts the rows among rows that read as a document's
// printed fields beside a portrait face: cap height within 0.05–0.3 of
// the face's height, about horizontal and parallel to one another, wholly
// left or right of the face and level with it, and not stacked on another
// counted row (one row per text line).
func PortraitRows(face image.Rectangle, rows []mrzread.TextRow) int {
	fh := float64(face.Dy())
	if fh <= 0 {
		return 0
	}
	var cand []mrzread.TextRow
	for _, r := range rows {
		if r.Height < minRowHeight*fh || r.Height > maxRowHeight*fh || math.Abs(r.Slope) > maxRowSlope {
			continue
		}
		// Beside the face: wholly left or right of it, and level with it
		// (a document's fields run alongside its portrait; a caption or
		// an overlay above or below a person's face does not count).
		beside := r.Right <= float64(face.Min.X) || r.Left >= float64(face.Max.X)
		level := r.Y >= float64(face.Min.Y)-besideAbove*fh && r.Y <= float64(face.Max.Y)+besideBelow*fh
		if !beside || !level {
			continue
		}
		cand = append(cand, r)
	}
	if len(cand) == 0 {
		return 0
	}
	slopes := make([]float64, len(cand))
	for i, r := range cand {
		slopes[i] = r.Slope
	}
	sort.Float64s(slopes)
	med := slopes[len(slopes)/2]
	// Rows sorted top to bottom; one that overlaps a counted row both
	// along and across is the same line split or doubled.
	sort.Slice(cand, func(i, j int) bool { return cand[i].Y < cand[j].Y })
	var kept []mrzread.TextRow
next:
	for _, r := range cand {
		if math.Abs(r.Slope-med) > rowSlopeSpread {
			continue
		}
		for _, k := range kept {
			if math.Abs(r.Y-k.Y) < 0.5*math.Max(r.Height, k.Height) && r.Left < k.Right && k.Left < r.Right {
				continue next
			}
		}
		kept = append(kept, r)
	}
	return len(kept)
}

// IsPortrait tells whether face is a document's portrait: at least
// minPortraitRows rows of its fields' print beside it (PortraitRows).
func IsPortrait(face image.Rectangle, rows []mrzread.TextRow) bool {
	return PortraitRows(face, rows) >= minPortraitRows
}
