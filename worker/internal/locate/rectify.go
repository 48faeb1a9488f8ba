package locate

import (
	"image"
	"math"
)

// Size returns the pixel size of a rectified document of layout l whose
// outline q spans about q's own resolution, its width clamped to
// [minW, maxW].
func Size(q Quad, l Layout, minW, maxW int) (w, h int) {
	top := math.Hypot(q[1].X-q[0].X, q[1].Y-q[0].Y)
	bot := math.Hypot(q[2].X-q[3].X, q[2].Y-q[3].Y)
	w = int(math.Round((top + bot) / 2))
	w = min(max(w, minW), maxW)
	h = max(1, int(math.Round(float64(w)*l.Aspect())))
	return w, h
}

// homography maps the unit square (0,0), (1,0), (1,1), (0,1) onto a quad
// (Heckbert's square-to-quad projective mapping).
type homography struct{ a, b, c, d, e, f, g, h float64 }

func squareToQuad(q Quad) homography {
	sx := q[0].X - q[1].X + q[2].X - q[3].X
	sy := q[0].Y - q[1].Y + q[2].Y - q[3].Y
	if math.Abs(sx) < 1e-9 && math.Abs(sy) < 1e-9 {
		return homography{a: q[1].X - q[0].X, b: q[3].X - q[0].X, c: q[0].X,
			d: q[1].Y - q[0].Y, e: q[3].Y - q[0].Y, f: q[0].Y}
	}
	dx1, dx2 := q[1].X-q[2].X, q[3].X-q[2].X
	dy1, dy2 := q[1].Y-q[2].Y, q[3].Y-q[2].Y
	den := dx1*dy2 - dx2*dy1
	if den == 0 {
		den = 1e-9
	}
	g := (sx*dy2 - dx2*sy) / den
	h := (dx1*sy - sx*dy1) / den
	return homography{
		a: q[1].X - q[0].X + g*q[1].X, b: q[3].X - q[0].X + h*q[3].X, c: q[0].X,
		d: q[1].Y - q[0].Y + g*q[1].Y, e: q[3].Y - q[0].Y + h*q[3].Y, f: q[0].Y,
		g: g, h: h,
	}
}

func (m homography) apply(u, v float64) (float64, float64) {
	z := m.g*u + m.h*v + 1
	return (m.a*u + m.b*v + m.c) / z, (m.d*u + m.e*v + m.f) / z
}

// Rectify warps the quad q of img to an upright w×h image (bilinear
// sampling; points outside img repeat its border).
func Rectify(img image.Image, q Quad, w, h int) *image.RGBA {
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	m := squareToQuad(q)
	px := rgbFunc(img)
	b := img.Bounds()
	clampX := func(x int) int { return min(max(x, b.Min.X), b.Max.X-1) }
	clampY := func(y int) int { return min(max(y, b.Min.Y), b.Max.Y-1) }
	for y := 0; y < h; y++ {
		row := out.Pix[y*out.Stride:]
		for x := 0; x < w; x++ {
			sx, sy := m.apply((float64(x)+0.5)/float64(w), (float64(y)+0.5)/float64(h))
			sx -= 0.5
			sy -= 0.5
			x0, y0 := int(math.Floor(sx)), int(math.Floor(sy))
			fx, fy := float32(sx-float64(x0)), float32(sy-float64(y0))
			xa, xb := clampX(x0), clampX(x0+1)
			ya, yb := clampY(y0), clampY(y0+1)
			r00, g00, b00 := px(xa, ya)
			r10, g10, b10 := px(xb, ya)
			r01, g01, b01 := px(xa, yb)
			r11, g11, b11 := px(xb, yb)
			mix := func(c00, c10, c01, c11 float32) uint8 {
				top := c00 + (c10-c00)*fx
				bot := c01 + (c11-c01)*fx
				return uint8(min(255, max(0, top+(bot-top)*fy+0.5)))
			}
			i := 4 * x
			row[i] = mix(r00, r10, r01, r11)
			row[i+1] = mix(g00, g10, g01, g11)
			row[i+2] = mix(b00, b10, b01, b11)
			row[i+3] = 255
		}
	}
	return out
}

// rgbFunc returns a fast colour reader (0..255 per channel) for img.
func rgbFunc(img image.Image) func(x, y int) (r, g, b float32) {
	switch im := img.(type) {
	case *image.YCbCr:
		return func(x, y int) (float32, float32, float32) {
			yy := float32(im.Y[im.YOffset(x, y)])
			ci := im.COffset(x, y)
			cb, cr := float32(im.Cb[ci])-128, float32(im.Cr[ci])-128
			return yy + 1.402*cr, yy - 0.344136*cb - 0.714136*cr, yy + 1.772*cb
		}
	case *image.Gray:
		return func(x, y int) (float32, float32, float32) {
			v := float32(im.Pix[im.PixOffset(x, y)])
			return v, v, v
		}
	case *image.RGBA:
		return func(x, y int) (float32, float32, float32) {
			i := im.PixOffset(x, y)
			return float32(im.Pix[i]), float32(im.Pix[i+1]), float32(im.Pix[i+2])
		}
	case *image.NRGBA:
		return func(x, y int) (float32, float32, float32) {
			i := im.PixOffset(x, y)
			a := float32(im.Pix[i+3]) / 255
			w := 255 * (1 - a)
			return float32(im.Pix[i])*a + w, float32(im.Pix[i+1])*a + w, float32(im.Pix[i+2])*a + w
		}
	}
	return func(x, y int) (float32, float32, float32) {
		r, g, b, _ := img.At(x, y).RGBA()
		return float32(r) / 257, float32(g) / 257, float32(b) / 257
	}
}
