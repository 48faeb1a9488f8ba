package mrzread

import (
	"image"
	"math"
)

// gray is a float grey-scale image, 0 = black, 1 = white.
type gray struct {
	w, h int
	p    []float32
}

func newGray(w, h int) *gray { return &gray{w: w, h: h, p: make([]float32, w*h)} }

// toGray converts any image to grey-scale (Rec. 601 luma).
func toGray(img image.Image) *gray {
	b := img.Bounds()
	g := newGray(b.Dx(), b.Dy())
	switch im := img.(type) {
	case *image.Gray:
		for y := 0; y < g.h; y++ {
			row := im.Pix[y*im.Stride : y*im.Stride+g.w]
			for x, v := range row {
				g.p[y*g.w+x] = float32(v) / 255
			}
		}
		return g
	case *image.YCbCr:
		for y := 0; y < g.h; y++ {
			for x := 0; x < g.w; x++ {
				g.p[y*g.w+x] = float32(im.Y[im.YOffset(x+b.Min.X, y+b.Min.Y)]) / 255
			}
		}
		return g
	}
	for y := 0; y < g.h; y++ {
		for x := 0; x < g.w; x++ {
			r, gg, bb, a := img.At(x+b.Min.X, y+b.Min.Y).RGBA()
			l := (0.299*float64(r) + 0.587*float64(gg) + 0.114*float64(bb)) / 65535
			if a < 0xffff { // composite on white
				af := float64(a) / 65535
				l = l + (1 - af)
			}
			g.p[y*g.w+x] = float32(math.Min(1, l))
		}
	}
	return g
}

// at samples the image bilinearly; outside points read as white.
func (g *gray) at(x, y float64) float32 {
	x -= 0.5
	y -= 0.5
	x0 := int(math.Floor(x))
	y0 := int(math.Floor(y))
	fx := float32(x - float64(x0))
	fy := float32(y - float64(y0))
	get := func(xx, yy int) float32 {
		if xx < 0 || yy < 0 || xx >= g.w || yy >= g.h {
			return 1
		}
		return g.p[yy*g.w+xx]
	}
	a := get(x0, y0)*(1-fx) + get(x0+1, y0)*fx
	b := get(x0, y0+1)*(1-fx) + get(x0+1, y0+1)*fx
	return a*(1-fy) + b*fy
}

// resize scales the image by area averaging (down) or bilinear (up).
func (g *gray) resize(w, h int) *gray {
	out := newGray(w, h)
	sx := float64(g.w) / float64(w)
	sy := float64(g.h) / float64(h)
	if sx <= 1 && sy <= 1 {
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				out.p[y*w+x] = g.at((float64(x)+0.5)*sx, (float64(y)+0.5)*sy)
			}
		}
		return out
	}
	for y := 0; y < h; y++ {
		y0 := int(float64(y) * sy)
		y1 := max(y0+1, int(float64(y+1)*sy))
		for x := 0; x < w; x++ {
			x0 := int(float64(x) * sx)
			x1 := max(x0+1, int(float64(x+1)*sx))
			var s float32
			n := 0
			for yy := y0; yy < y1 && yy < g.h; yy++ {
				for xx := x0; xx < x1 && xx < g.w; xx++ {
					s += g.p[yy*g.w+xx]
					n++
				}
			}
			if n > 0 {
				out.p[y*w+x] = s / float32(n)
			}
		}
	}
	return out
}

// rot90 rotates the image 90 degrees clockwise.
func (g *gray) rot90() *gray {
	out := newGray(g.h, g.w)
	for y := 0; y < g.h; y++ {
		for x := 0; x < g.w; x++ {
			// (x, y) -> (h-1-y, x)
			out.p[x*out.w+(g.h-1-y)] = g.p[y*g.w+x]
		}
	}
	return out
}

// integral returns the summed-area table with a zero first row and column.
func (g *gray) integral() []float64 {
	w1 := g.w + 1
	s := make([]float64, w1*(g.h+1))
	for y := 0; y < g.h; y++ {
		var row float64
		for x := 0; x < g.w; x++ {
			row += float64(g.p[y*g.w+x])
			s[(y+1)*w1+x+1] = s[y*w1+x+1] + row
		}
	}
	return s
}

// skewMap rotates an image about its centre onto a canvas that holds all of
// it: a point (x, y) of the rotated image shows the source point src(x, y).
type skewMap struct {
	cos, sin   float64
	cxIn, cyIn float64
	cxOut      float64
	cyOut      float64
	w, h       int
	// probe marks a trial angle, not one measured on the text rows.
	probe bool
}

// newSkewMap returns the map that rotates g by angle radians so that a row
// of slope tan(angle) becomes horizontal.
func newSkewMap(g *gray, angle float64) *skewMap {
	c, s := math.Cos(angle), math.Sin(angle)
	w := int(math.Ceil(math.Abs(float64(g.w)*c) + math.Abs(float64(g.h)*s)))
	h := int(math.Ceil(math.Abs(float64(g.w)*s) + math.Abs(float64(g.h)*c)))
	return &skewMap{cos: c, sin: s, cxIn: float64(g.w) / 2, cyIn: float64(g.h) / 2,
		cxOut: float64(w) / 2, cyOut: float64(h) / 2, w: w, h: h}
}

// src maps a point of the rotated image to the source image.
func (m *skewMap) src(x, y float64) (float64, float64) {
	dx, dy := x-m.cxOut, y-m.cyOut
	return m.cxIn + m.cos*dx - m.sin*dy, m.cyIn + m.sin*dx + m.cos*dy
}

// apply renders the rotated image (bilinear, white outside the source).
func (m *skewMap) apply(g *gray) *gray {
	out := newGray(m.w, m.h)
	for y := 0; y < m.h; y++ {
		for x := 0; x < m.w; x++ {
			sx, sy := m.src(float64(x)+0.5, float64(y)+0.5)
			out.p[y*m.w+x] = g.at(sx, sy)
		}
	}
	return out
}
