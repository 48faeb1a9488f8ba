package fraud

import (
	"image"
	"strconv"
)

// Check names: the captions of the fraud check's items and the keys of
// schema.Schema.FraudThresholds.
const (
	CheckEdited   = "isEdited"
	CheckDisplay  = "isDisplay"
	CheckPrinted  = "isPrinted"
	CheckLiveness = "liveness"
)

// DefaultThresholds are the scores at which each check fails when the
// schema does not set one. Chosen on the development set (docs/fraud.md):
// every score is built so that 0.5 is the decision point of its feature.
var DefaultThresholds = map[string]float64{
	CheckEdited:   0.5,
	CheckDisplay:  0.5,
	CheckPrinted:  0.5,
	CheckLiveness: 0.5,
}

const (
	// greySpread is the portrait-region colour variety at which the grey
	// copy score is 0.5 (score = 1 - spread/(2*greySpread), clamped): grey
	// copies measured 0.7-3.6 on the development set, digital colour
	// specimens 2.5-20 (most above 4).
	greySpread = 3.6
	// periodicLo and periodicHi map the luma peakiness to a 0..1 score
	// (0.5 at 3.3): bona fide images and photographed grey copies measured
	// 1.5-3.1 (text and guilloche are regular too), simulated halftone and
	// screen captures 3.4-4.4.
	periodicLo, periodicHi = 2.8, 3.8
)

// Scores are the fraud scores of an image, each in [0, 1], higher meaning
// more likely an attack.
type Scores struct {
	Edited, Display, Printed, Liveness float64
}

// Score turns features into scores.
func (f Features) Score() Scores {
	periodic := ramp(f.LumaPeak, periodicLo, periodicHi)
	grey := 0.0
	if f.PortraitSpread >= 0 {
		grey = min(max(1-f.PortraitSpread/(2*greySpread), 0), 1)
	}
	edited := 0.0
	if f.Editor != "" {
		edited = 1
	}
	return Scores{
		Edited:   edited,
		Display:  periodic,
		Printed:  max(grey, periodic),
		Liveness: periodic,
	}
}

// PrintedScore is the isPrinted score of img: the larger of the grey-copy
// score (no colour variety around the portrait; face is the largest face
// in img's coordinates, empty when none: then only the halftone counts) and
// the periodic-pattern (halftone) score.
func PrintedScore(img image.Image, face image.Rectangle) float64 {
	a := newAnalysis(img)
	return Features{PortraitSpread: a.portraitSpread(face.Sub(img.Bounds().Min)), LumaPeak: a.lumaPeak()}.Score().Printed
}

// DisplayScore is the isDisplay score of img: the strength of an isolated
// spectral peak (pixel grid, moiré) in its luma.
func DisplayScore(img image.Image) float64 {
	return Features{PortraitSpread: -1, LumaPeak: newAnalysis(img).lumaPeak()}.Score().Display
}

// EditedScore is the isEdited score of an upload: 1 when its metadata names
// an image editor, else 0. img is unused for now (kept for pixel-level
// features).
func EditedScore(_ image.Image, original []byte) float64 {
	return Features{PortraitSpread: -1, Editor: EditingSoftware(original)}.Score().Edited
}

// LivenessScore is the presentation-attack score of a selfie: a periodic
// pattern (a screen's pixel grid or moiré, a halftone print). The grey-copy
// cue of isPrinted is not used: black-and-white and desaturated selfies are
// bona fide (docs/fraud.md). face is unused for now.
func LivenessScore(img image.Image, _ image.Rectangle) float64 {
	return Features{PortraitSpread: -1, LumaPeak: newAnalysis(img).lumaPeak()}.Score().Liveness
}

// Threshold returns the threshold of check from thresholds (a schema's),
// or the default.
func Threshold(thresholds map[string]float64, check string) float64 {
	if t, ok := thresholds[check]; ok && t > 0 {
		return t
	}
	return DefaultThresholds[check]
}

// FormatScore formats a score for a check item's value.
func FormatScore(s float64) string { return strconv.FormatFloat(s, 'f', 2, 64) }
