package fraud

import (
	"image"
)

// Features are the raw measurements behind the scores.
type Features struct {
	// PortraitSpread is the median colour variety (chromaSpread, 0..255
	// units) of the tiles of the portrait region: the largest face's box
	// widened by 1.5 face widths left and right and one face height above
	// and below (4x3 face sizes, mostly the document around its portrait);
	// -1 without a face.
	PortraitSpread float64
	// LumaPeak is the peakiness of the luma (log10 of the ratio of the
	// strongest spectral peak to the median power of its frequency ring,
	// median over a 3x3 grid of 128-pixel windows at full resolution).
	LumaPeak float64
	// Editor is the editing software named in the metadata, "" if none.
	Editor string
}

const (
	portraitSide = 128 // it is analysed at this larger side, pixels
	portraitTile = 16  // in tiles of this side
	minTileStd   = 8   // tiles flatter than this (luma std) are skipped
)

// analysis is an image prepared once for every feature.
type analysis struct {
	full *rgbPlanes
	lum  []float32
}

func newAnalysis(img image.Image) *analysis {
	p := toPlanes(img)
	return &analysis{full: p}
}

func (a *analysis) luma() []float32 {
	if a.lum == nil {
		a.lum = a.full.luma()
	}
	return a.lum
}

// portraitSpread: see Features.PortraitSpread. face is in image
// coordinates relative to the image's bounds minimum.
func (a *analysis) portraitSpread(face image.Rectangle) float64 {
	if face.Empty() {
		return -1
	}
	w, h := face.Dx(), face.Dy()
	reg := image.Rect(face.Min.X-3*w/2, face.Min.Y-h, face.Max.X+3*w/2, face.Max.Y+h)
	cp := a.full.crop(reg).shrink(portraitSide)
	ts := tileSpreads(cp, portraitTile, minTileStd)
	if len(ts) == 0 {
		return -1
	}
	return percentile(ts, 0.5)
}

func (a *analysis) lumaPeak() float64 {
	return planePeakiness(a.luma(), a.full.w, a.full.h)
}

// Measure computes every feature of img. original is the upload's bytes
// (for metadata; may be nil); face is the largest face in img's coordinates
// (empty when none was found).
func Measure(img image.Image, original []byte, face image.Rectangle) Features {
	a := newAnalysis(img)
	face = face.Sub(img.Bounds().Min)
	return Features{
		PortraitSpread: a.portraitSpread(face),
		LumaPeak:       a.lumaPeak(),
		Editor:         EditingSoftware(original),
	}
}
