package mrzread

import (
	"image"
	"math"
)

// TextRow is a straight row of dark, character-like components, in the
// coordinates of the image it was found in.
type TextRow struct {
	// Left and Right bound the row's ink along x.
	Left, Right float64
	// Y is the height of the row's centre line at its middle.
	Y float64
	// Height is the cap height (the upper quartile of the components'
	// heights).
	Height float64
	// Slope is dy/dx of the centre line.
	Slope float64
	// Chars counts the row's components.
	Chars int
}

// TextRows finds the rows of printed text inside r of img, the region
// scaled by scale (about 1 for text of 10–20 pixels; parts of r outside
// the image read as white). A row has at least 4 components spanning at
// least 4 cap heights; the rows are chained from connected components as
// for the MRZ, at 0° only.
func TextRows(img image.Image, r image.Rectangle, scale float64) []TextRow {
	if r.Empty() || scale <= 0 {
		return nil
	}
	w := max(1, int(math.Round(float64(r.Dx())*scale)))
	h := max(1, int(math.Round(float64(r.Dy())*scale)))
	// Only the part of r inside the image is converted to grey.
	clip := r.Intersect(img.Bounds())
	src := newGray(0, 0)
	if sub, ok := img.(interface {
		SubImage(image.Rectangle) image.Image
	}); ok && !clip.Empty() {
		src = toGray(sub.SubImage(clip))
	} else if !clip.Empty() {
		src = toGray(img)
		clip = img.Bounds()
	}
	ox, oy := float64(r.Min.X-clip.Min.X), float64(r.Min.Y-clip.Min.Y)
	g := newGray(w, h)
	step := 1 / scale
	if step <= 1 {
		// Up-sampling: bilinear.
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				g.p[y*w+x] = src.at(ox+(float64(x)+0.5)*step, oy+(float64(y)+0.5)*step)
			}
		}
	} else {
		// Down-sampling: the mean over each pixel's box (summed-area
		// table), white outside the image.
		s := src.integral()
		w1 := src.w + 1
		for y := 0; y < h; y++ {
			fy0, fy1 := oy+float64(y)*step, oy+float64(y+1)*step
			y0, y1 := min(max(int(fy0), 0), src.h), min(max(int(fy1), 0), src.h)
			for x := 0; x < w; x++ {
				fx0, fx1 := ox+float64(x)*step, ox+float64(x+1)*step
				x0, x1 := min(max(int(fx0), 0), src.w), min(max(int(fx1), 0), src.w)
				area := float64(int(fy1)-int(fy0)) * float64(int(fx1)-int(fx0))
				in := float64((y1 - y0) * (x1 - x0))
				if area <= 0 {
					g.p[y*w+x] = 1
					continue
				}
				sum := s[y1*w1+x1] - s[y0*w1+x1] - s[y1*w1+x0] + s[y0*w1+x0]
				g.p[y*w+x] = float32((sum + (area - in)) / area)
			}
		}
	}
	lines := chainRows(g)
	out := make([]TextRow, 0, len(lines))
	for _, l := range lines {
		mid := (l.left + l.right) / 2
		out = append(out, TextRow{
			Left:   float64(r.Min.X) + l.left/scale,
			Right:  float64(r.Min.X) + l.right/scale,
			Y:      float64(r.Min.Y) + l.yAt(mid)/scale,
			Height: l.h / scale,
			Slope:  l.b,
			Chars:  len(l.comps),
		})
	}
	return out
}
