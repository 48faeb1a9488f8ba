package document

import (
	"context"
	"errors"
	"image"
	"math"

	"github.com/openkyc/kyc/worker/internal/locate"
	"github.com/openkyc/kyc/worker/internal/mrzread"
)

// Sizes of the rectified document images.
const (
	// cropMinWidth and cropMaxWidth bound the width of the stored crop,
	// which otherwise keeps the document's resolution in the photo.
	cropMinWidth = 400
	cropMaxWidth = 1200
	// ocrPxPerMM is the resolution the visual zone is read at: its usual
	// 2–3 mm capitals come out 20–30 pixels tall, where Tesseract does
	// best.
	ocrPxPerMM = 9
)

// Located is a document found in an image and rectified.
type Located struct {
	locate.Result
	// Crop is the document, upright, at the ICAO aspect ratio of its
	// format.
	Crop *image.RGBA
}

// Localise finds the document whose MRZ was read and rectifies it. It
// returns nil, without error, when no outline could be derived.
func Localise(ctx context.Context, img image.Image, read *mrzread.Read) (*Located, error) {
	m, ok := locate.FromRead(read)
	if !ok {
		return nil, nil
	}
	res, err := locate.Locate(ctx, img, m)
	if errors.Is(err, locate.ErrNoDocument) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	w, h := locate.Size(res.Quad, res.Layout, cropMinWidth, cropMaxWidth)
	return &Located{Result: res, Crop: locate.Rectify(img, res.Quad, w, h)}, nil
}

// visualZone returns the part of the document above its MRZ, in grey, at
// the resolution the visual zone is read at.
func visualZone(img image.Image, loc *Located) *image.Gray {
	l := loc.Layout
	w := int(math.Round(l.Width * ocrPxPerMM))
	h := int(math.Round(l.Height * ocrPxPerMM))
	// Down to a millimetre above the MRZ's ink.
	top := int(loc.MRZTop*float64(h) - ocrPxPerMM)
	top = min(max(top, h/3), h)
	q := loc.Quad
	// The quad's part above the MRZ: interpolate its left and right sides.
	t := float64(top) / float64(h)
	lerp := func(a, b locate.Point) locate.Point {
		return locate.Point{X: a.X + (b.X-a.X)*t, Y: a.Y + (b.Y-a.Y)*t}
	}
	zone := locate.Quad{q[0], q[1], lerp(q[1], q[2]), lerp(q[0], q[3])}
	rgba := locate.Rectify(img, zone, w, top)
	g := image.NewGray(rgba.Bounds())
	for i := 0; i < len(g.Pix); i++ {
		p := rgba.Pix[4*i : 4*i+3]
		g.Pix[i] = uint8((299*int(p[0]) + 587*int(p[1]) + 114*int(p[2]) + 500) / 1000)
	}
	return g
}
