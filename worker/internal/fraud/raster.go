package fraud

import (
	"image"
	"image/color"
	"math"
	"sort"
)

// rgbPlanes is an image as three float32 planes of 0..255 values.
type rgbPlanes struct {
	w, h    int
	r, g, b []float32
}

func newPlanes(w, h int) *rgbPlanes {
	n := w * h
	return &rgbPlanes{w: w, h: h, r: make([]float32, n), g: make([]float32, n), b: make([]float32, n)}
}

// luma returns the Rec. 601 luma plane.
func (p *rgbPlanes) luma() []float32 {
	out := make([]float32, len(p.r))
	for i := range out {
		out[i] = 0.299*p.r[i] + 0.587*p.g[i] + 0.114*p.b[i]
	}
	return out
}

// toPlanes converts img to planes at full resolution.
func toPlanes(img image.Image) *rgbPlanes {
	b := img.Bounds()
	p := newPlanes(b.Dx(), b.Dy())
	switch m := img.(type) {
	case *image.YCbCr:
		for y := 0; y < p.h; y++ {
			for x := 0; x < p.w; x++ {
				yi := m.YOffset(b.Min.X+x, b.Min.Y+y)
				ci := m.COffset(b.Min.X+x, b.Min.Y+y)
				r, g, bl := color.YCbCrToRGB(m.Y[yi], m.Cb[ci], m.Cr[ci])
				i := y*p.w + x
				p.r[i], p.g[i], p.b[i] = float32(r), float32(g), float32(bl)
			}
		}
	case *image.RGBA:
		for y := 0; y < p.h; y++ {
			row := m.Pix[y*m.Stride:]
			for x := 0; x < p.w; x++ {
				i := y*p.w + x
				p.r[i], p.g[i], p.b[i] = float32(row[4*x]), float32(row[4*x+1]), float32(row[4*x+2])
			}
		}
	case *image.NRGBA:
		for y := 0; y < p.h; y++ {
			row := m.Pix[y*m.Stride:]
			for x := 0; x < p.w; x++ {
				i := y*p.w + x
				a := float32(row[4*x+3]) / 255
				// Composite on white, as a viewer shows a transparent image.
				p.r[i] = float32(row[4*x])*a + 255*(1-a)
				p.g[i] = float32(row[4*x+1])*a + 255*(1-a)
				p.b[i] = float32(row[4*x+2])*a + 255*(1-a)
			}
		}
	case *image.Gray:
		for y := 0; y < p.h; y++ {
			row := m.Pix[y*m.Stride:]
			for x := 0; x < p.w; x++ {
				i := y*p.w + x
				v := float32(row[x])
				p.r[i], p.g[i], p.b[i] = v, v, v
			}
		}
	default:
		for y := 0; y < p.h; y++ {
			for x := 0; x < p.w; x++ {
				c := color.NRGBAModel.Convert(img.At(b.Min.X+x, b.Min.Y+y)).(color.NRGBA)
				a := float32(c.A) / 255
				i := y*p.w + x
				p.r[i] = float32(c.R)*a + 255*(1-a)
				p.g[i] = float32(c.G)*a + 255*(1-a)
				p.b[i] = float32(c.B)*a + 255*(1-a)
			}
		}
	}
	return p
}

// shrink box-filters p so that its larger side is at most maxSide.
func (p *rgbPlanes) shrink(maxSide int) *rgbPlanes {
	f := (max(p.w, p.h) + maxSide - 1) / maxSide
	if f <= 1 {
		return p
	}
	w, h := p.w/f, p.h/f
	out := newPlanes(w, h)
	inv := 1 / float32(f*f)
	for _, pl := range [3]struct{ src, dst []float32 }{{p.r, out.r}, {p.g, out.g}, {p.b, out.b}} {
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				var s float32
				for dy := 0; dy < f; dy++ {
					row := pl.src[(y*f+dy)*p.w+x*f:]
					for dx := 0; dx < f; dx++ {
						s += row[dx]
					}
				}
				pl.dst[y*w+x] = s * inv
			}
		}
	}
	return out
}

// crop returns the part of p inside r (clipped).
func (p *rgbPlanes) crop(r image.Rectangle) *rgbPlanes {
	r = r.Intersect(image.Rect(0, 0, p.w, p.h))
	out := newPlanes(r.Dx(), r.Dy())
	for y := 0; y < out.h; y++ {
		src := (r.Min.Y+y)*p.w + r.Min.X
		copy(out.r[y*out.w:(y+1)*out.w], p.r[src:src+out.w])
		copy(out.g[y*out.w:(y+1)*out.w], p.g[src:src+out.w])
		copy(out.b[y*out.w:(y+1)*out.w], p.b[src:src+out.w])
	}
	return out
}

// percentile returns the q-quantile (0..1) of v, sorting a copy.
func percentile(v []float64, q float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	i := int(math.Round(q * float64(len(s)-1)))
	return s[min(max(i, 0), len(s)-1)]
}

// ramp maps x linearly from [lo, hi] to [0, 1], clamped.
func ramp(x, lo, hi float64) float64 {
	if x <= lo {
		return 0
	}
	if x >= hi {
		return 1
	}
	return (x - lo) / (hi - lo)
}
