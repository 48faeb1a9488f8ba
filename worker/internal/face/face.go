// Package face finds faces in images and compares them, using dlib through
// go-face: HOG detection, landmark alignment and dlib's ResNet face
// descriptor (128 floats; two photos of one person lie within about 0.6 of
// each other in Euclidean distance).
//
// The model files are provisioned by scripts/models.sh; see docs/faces.md for
// their provenance, licences and the calibration of DefaultThreshold and
// Similarity.
package face

import (
	"image"
	"math"
	"sort"
)

// Descriptor is dlib's 128-dimensional face descriptor.
type Descriptor [128]float32

// Face is one face found in an image.
type Face struct {
	// Rect is the detected face box in the coordinates of the input image.
	Rect image.Rectangle
	// Descriptor describes the aligned face.
	Descriptor Descriptor
}

// Distance is the Euclidean distance between two descriptors: 0 for identical
// faces, below DefaultThreshold for one person.
func Distance(a, b Descriptor) float64 {
	var sum float64
	for i := range a {
		d := float64(a[i]) - float64(b[i])
		sum += d * d
	}
	return math.Sqrt(sum)
}

// DefaultThreshold is the distance up to which two faces are taken to be the
// same person. It is the threshold at a false-match rate of 0.1% over every
// impostor comparison of the development set (the 2328 pairs of images of
// different identities among the face_pair cases of
// ../shared/testdata/cases.jsonl), measured by kyc-eval with the models of
// scripts/models.sh (0.5944, where 2 of 2328 impostors match) and rounded
// down to two decimals. At it 0.086% of impostors and 0.64% of same-person
// pairs are wrong on that set; see docs/faces.md.
const DefaultThreshold = 0.59

// Match reports whether distance is within threshold, i.e. whether the two
// faces are taken to be the same person.
func Match(distance, threshold float64) bool {
	return distance <= threshold
}

// MatchPercent is Similarity(DefaultThreshold): a similarity percentage
// threshold of MatchPercent takes the same decisions as DefaultThreshold.
const MatchPercent = 80

// knot is one calibration point of Similarity.
type knot struct{ d, p float64 }

// similarityKnots are the calibration points of Similarity, distance
// ascending and percent descending.
func similarityKnots() [6]knot {
	return [...]knot{
		{0.00, 100},
		{0.40, 90},
		{DefaultThreshold, MatchPercent},
		{0.65, 50},
		{0.75, 20},
		{0.90, 0},
	}
}

// Similarity maps a descriptor distance to a similarity percentage in
// [0, 100], for display and for percent thresholds. It is monotone: a smaller
// distance never gives a smaller percentage. The mapping is piecewise linear
// through points calibrated on the development set (docs/faces.md):
//
//	distance 0.00 → 100%   identical
//	distance 0.40 →  90%   median same-person pair (0.39)
//	distance 0.59 →  80%   DefaultThreshold, MatchPercent: false-match rate 0.1%
//	distance 0.65 →  50%   past the 1% false-match threshold (0.63)
//	distance 0.75 →  20%
//	distance 0.90 →   0%   beyond the median impostor pair (0.84)
//
// so that a percent threshold of MatchPercent is equivalent to
// DefaultThreshold. A NaN distance maps to 0.
func Similarity(distance float64) int {
	c := similarityKnots()
	switch {
	case math.IsNaN(distance):
		return 0
	case distance <= c[0].d:
		return int(c[0].p)
	case distance >= c[len(c)-1].d:
		return int(c[len(c)-1].p)
	}
	i := sort.Search(len(c), func(i int) bool { return c[i].d >= distance })
	lo, hi := c[i-1], c[i]
	p := lo.p + (distance-lo.d)/(hi.d-lo.d)*(hi.p-lo.p)
	// Floor keeps distances just above the threshold below MatchPercent.
	return int(math.Floor(p + 1e-9))
}
