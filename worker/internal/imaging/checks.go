package imaging

import (
	"image"

	"github.com/openkyc/kyc/pkg/kyc"
)

// Thresholds of the general checks.
const (
	// MinSide is the smallest allowed larger side, in pixels.
	MinSide = 300
	// grayChroma is the mean chroma (max-min of R, G, B, 0..255) under
	// which an image counts as black and white. Photos of grey paper keep
	// a colour cast and sensor noise well above it; converted greyscale
	// images sit at zero.
	grayChroma = 2.0
	// darkLuma is the 95th percentile of luma (0..255) under which an
	// image is too dark: a percentile rather than the mean, so that black
	// borders or a dark background around a lit face do not count.
	darkLuma = 80
)

// Stats are the measurements the general checks decide on.
type Stats struct {
	MeanLuma, MeanChroma float64
	// P95Luma is the 95th percentile of luma.
	P95Luma int
}

// Measure samples img on a grid of about 256x256 points.
func Measure(img image.Image) Stats {
	b := img.Bounds()
	step := max(1, max(b.Dx(), b.Dy())/256)
	var luma, chroma float64
	var n int
	var hist [256]int
	for y := b.Min.Y; y < b.Max.Y; y += step {
		for x := b.Min.X; x < b.Max.X; x += step {
			r, g, bl := rgb(img.At(x, y))
			y := 0.299*float64(r) + 0.587*float64(g) + 0.114*float64(bl)
			luma += y
			hist[min(255, int(y+0.5))]++
			chroma += float64(max(r, g, bl) - min(r, g, bl))
			n++
		}
	}
	if n == 0 {
		return Stats{}
	}
	st := Stats{MeanLuma: luma / float64(n), MeanChroma: chroma / float64(n)}
	for v, below := 0, 0; v < 256; v++ {
		below += hist[v]
		if below >= (95*n+99)/100 {
			st.P95Luma = v
			break
		}
	}
	return st
}

// GeneralErrors returns the API's general errors for a decoded image, and
// whether recognition can still run on it (not for a too small image).
func GeneralErrors(img image.Image) (errs []string, recognisable bool) {
	b := img.Bounds()
	if max(b.Dx(), b.Dy()) < MinSide {
		return []string{kyc.ErrTooSmallImage}, false
	}
	st := Measure(img)
	if st.MeanChroma < grayChroma {
		errs = append(errs, kyc.ErrBlackAndWhite)
	}
	if st.P95Luma < darkLuma {
		errs = append(errs, kyc.ErrLowLight)
	}
	return errs, true
}
