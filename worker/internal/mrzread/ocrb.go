package mrzread

import (
	"bytes"
	_ "embed"
	"image/png"
	"math"
	"sync"
)

//go:generate go run ./internal/genglyphs -font /usr/share/fonts/opentype/ocr-b/OCRB.otf -o ocrb_glyphs.png

// ocrbGlyphs is the OCR-B alphabet rendered by internal/genglyphs: one cell
// of glyphCellW x glyphCellH per character of alphabet, cap height 48 with a
// 12 pixel margin above and below.
//
//go:embed ocrb_glyphs.png
var ocrbGlyphs []byte

const (
	alphabet   = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<"
	nClasses   = len(alphabet)
	glyphCellW = 49
	glyphCellH = 72
	glyphCap   = 48

	// Normalised cell grid: one pitch wide, cap height 16 with 4 above and
	// below.
	tw     = 16
	th     = 24
	tcap   = 16
	tsize  = tw * th
	tmidY  = 12 // centre line of the capitals in grid units
	filler = nClasses - 1
)

// template is a zero-mean, unit-norm normalised glyph.
type template struct {
	class int
	v     [tsize]float32
}

type templateSet struct {
	base     [nClasses]template   // regular weight, for the offset search
	variants [nClasses][]template // weight and blur variants
}

var (
	tmplOnce sync.Once
	tmpls    *templateSet
)

func getTemplates() *templateSet {
	tmplOnce.Do(func() { tmpls = buildTemplates() })
	return tmpls
}

func decodeGlyphStrip() (*gray, error) {
	img, err := png.Decode(bytes.NewReader(ocrbGlyphs))
	if err != nil {
		return nil, err
	}
	return toGray(img), nil
}

func buildTemplates() *templateSet {
	strip, err := decodeGlyphStrip()
	if err != nil {
		panic("mrzread: bad embedded glyphs: " + err.Error())
	}
	ts := &templateSet{}
	for c := 0; c < nClasses; c++ {
		cell := newGray(glyphCellW, glyphCellH)
		for y := 0; y < glyphCellH; y++ {
			for x := 0; x < glyphCellW; x++ {
				cell.p[y*glyphCellW+x] = strip.p[y*strip.w+c*glyphCellW+x]
			}
		}
		for _, wgt := range []int{0, -2, 2, 4, -3} {
			v := cell
			if wgt != 0 {
				v = morph(cell, wgt)
			}
			for _, blur := range []float64{0, 1.0} {
				t := template{class: c}
				g := downsample(v, blur)
				copy(t.v[:], g)
				normalize(t.v[:])
				if wgt == 0 && blur == 0 {
					ts.base[c] = t
				}
				ts.variants[c] = append(ts.variants[c], t)
			}
		}
	}
	return ts
}

// morph thickens (r > 0) or thins (r < 0) dark strokes by a square min/max
// filter of radius |r|.
func morph(g *gray, r int) *gray {
	out := newGray(g.w, g.h)
	ar := r
	if ar < 0 {
		ar = -ar
	}
	for y := 0; y < g.h; y++ {
		for x := 0; x < g.w; x++ {
			var v float32
			if r > 0 {
				v = 1
			}
			for dy := -ar; dy <= ar; dy++ {
				for dx := -ar; dx <= ar; dx++ {
					xx, yy := x+dx, y+dy
					p := float32(1)
					if xx >= 0 && yy >= 0 && xx < g.w && yy < g.h {
						p = g.p[yy*g.w+xx]
					}
					if r > 0 {
						v = min(v, p)
					} else {
						v = max(v, p)
					}
				}
			}
			out.p[y*g.w+x] = v
		}
	}
	return out
}

// downsample maps a glyph cell onto the tw x th grid by area averaging,
// optionally followed by a Gaussian blur of sigma grid units.
func downsample(g *gray, sigma float64) []float32 {
	out := make([]float32, tsize)
	sx := float64(g.w) / tw
	sy := float64(g.h) / th
	const ss = 4
	for y := 0; y < th; y++ {
		for x := 0; x < tw; x++ {
			var s float32
			for j := 0; j < ss; j++ {
				for i := 0; i < ss; i++ {
					s += g.at((float64(x)+(float64(i)+0.5)/ss)*sx, (float64(y)+(float64(j)+0.5)/ss)*sy)
				}
			}
			out[y*tw+x] = s / ss / ss
		}
	}
	if sigma > 0 {
		out = gaussBlur(out, tw, th, sigma)
	}
	return out
}

func gaussBlur(p []float32, w, h int, sigma float64) []float32 {
	r := int(math.Ceil(2 * sigma))
	k := make([]float32, 2*r+1)
	var ks float32
	for i := -r; i <= r; i++ {
		k[i+r] = float32(math.Exp(-float64(i*i) / (2 * sigma * sigma)))
		ks += k[i+r]
	}
	for i := range k {
		k[i] /= ks
	}
	tmp := make([]float32, len(p))
	out := make([]float32, len(p))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var s float32
			for i := -r; i <= r; i++ {
				xx := min(max(x+i, 0), w-1)
				s += k[i+r] * p[y*w+xx]
			}
			tmp[y*w+x] = s
		}
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var s float32
			for i := -r; i <= r; i++ {
				yy := min(max(y+i, 0), h-1)
				s += k[i+r] * tmp[yy*w+x]
			}
			out[y*w+x] = s
		}
	}
	return out
}

func normalize(v []float32) {
	var m float64
	for _, x := range v {
		m += float64(x)
	}
	m /= float64(len(v))
	var n float64
	for i := range v {
		v[i] -= float32(m)
		n += float64(v[i]) * float64(v[i])
	}
	n = math.Sqrt(n)
	if n < 1e-9 {
		return
	}
	for i := range v {
		v[i] /= float32(n)
	}
}

// cellScores is the classification of one character cell.
type cellScores struct {
	score [nClasses]float32 // best normalised correlation per class
	offX  [nClasses]int8    // best offset per class, grid units from centre
	offY  [nClasses]int8
}

func (c *cellScores) best() (int, float32) {
	b := 0
	for i := 1; i < nClasses; i++ {
		if c.score[i] > c.score[b] {
			b = i
		}
	}
	return b, c.score[b]
}

// bestIn returns the best class allowed by ok.
func (c *cellScores) bestIn(ok func(byte) bool) (int, float32) {
	b := -1
	for i := 0; i < nClasses; i++ {
		if !ok(alphabet[i]) {
			continue
		}
		if b < 0 || c.score[i] > c.score[b] {
			b = i
		}
	}
	if b < 0 {
		return c.best()
	}
	return b, c.score[b]
}

// classify matches a sampled region of (tw+2*sx) x (th+2*sy) grid cells
// against every template at every offset.
func classify(region []float32, sx, sy int) cellScores {
	return classifyWith(region, sx, sy, true)
}

// quickScore is the best base-template correlation of a region, for
// geometry searches.
func quickScore(region []float32, sx, sy int) float32 {
	c := classifyWith(region, sx, sy, false)
	_, s := c.best()
	return s
}

func classifyWith(region []float32, sx, sy int, variants bool) cellScores {
	ts := getTemplates()
	rw := tw + 2*sx
	nOx, nOy := 2*sx+1, 2*sy+1
	inv := windowInvNorms(region, sx, sy)
	dot := func(t *template, ox, oy int) float32 {
		var s float32
		for y := 0; y < th; y++ {
			row := region[(y+oy)*rw+ox : (y+oy)*rw+ox+tw]
			tv := t.v[y*tw : y*tw+tw]
			for x := range tv {
				s += tv[x] * row[x]
			}
		}
		return s * inv[oy*nOx+ox]
	}
	var cs cellScores
	for c := 0; c < nClasses; c++ {
		bs, bx, by := float32(-2), 0, 0
		for oy := 0; oy < nOy; oy++ {
			for ox := 0; ox < nOx; ox++ {
				if v := dot(&ts.base[c], ox, oy); v > bs {
					bs, bx, by = v, ox, oy
				}
			}
		}
		for vi := range ts.variants[c] {
			if !variants {
				break
			}
			t := &ts.variants[c][vi]
			for oy := max(0, by-1); oy <= min(nOy-1, by+1); oy++ {
				for ox := max(0, bx-1); ox <= min(nOx-1, bx+1); ox++ {
					if v := dot(t, ox, oy); v > bs {
						bs, bx, by = v, ox, oy
					}
				}
			}
		}
		cs.score[c] = bs
		cs.offX[c] = int8(bx - sx)
		cs.offY[c] = int8(by - sy)
	}
	return cs
}

// windowInvNorms returns, for every offset of a tw x th window in a region
// sampled with margins sx, sy, the inverse norm of the zero-mean window.
func windowInvNorms(region []float32, sx, sy int) []float32 {
	rw := tw + 2*sx
	rh := th + 2*sy
	// Window statistics via integral images.
	w1 := rw + 1
	s1 := make([]float64, w1*(rh+1))
	s2 := make([]float64, w1*(rh+1))
	for y := 0; y < rh; y++ {
		var a, b float64
		for x := 0; x < rw; x++ {
			v := float64(region[y*rw+x])
			a += v
			b += v * v
			s1[(y+1)*w1+x+1] = s1[y*w1+x+1] + a
			s2[(y+1)*w1+x+1] = s2[y*w1+x+1] + b
		}
	}
	nOx, nOy := 2*sx+1, 2*sy+1
	inv := make([]float32, nOx*nOy)
	for oy := 0; oy < nOy; oy++ {
		for ox := 0; ox < nOx; ox++ {
			x0, y0, x1, y1 := ox, oy, ox+tw, oy+th
			a := s1[y1*w1+x1] - s1[y0*w1+x1] - s1[y1*w1+x0] + s1[y0*w1+x0]
			b := s2[y1*w1+x1] - s2[y0*w1+x1] - s2[y1*w1+x0] + s2[y0*w1+x0]
			v := b - a*a/tsize
			if v < 1e-6 {
				v = 1e-6
			}
			inv[oy*nOx+ox] = float32(1 / math.Sqrt(v))
		}
	}
	return inv
}
