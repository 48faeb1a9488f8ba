// Package locate finds an identity document in a photo from its
// machine-readable zone and rectifies it.
//
// The MRZ is the anchor: its rows give the document's orientation and skew,
// its length (n characters at the ICAO pitch of 2.54 mm) the scale, and the
// ICAO 9303 size of its format (TD1, TD2, TD3, MRV-A, MRV-B) the outline
// around it. Each side of that predicted outline is then refined
// independently on the image's edges (offset and tilt), which absorbs
// perspective and the spread of real layouts; a side without a clear edge
// (a tight crop, a cluttered background) keeps its prediction.
package locate

import (
	"context"
	"errors"
	"image"
	"math"
	"sort"
)

// ErrNoDocument is returned when no document outline can be derived.
var ErrNoDocument = errors.New("locate: no document outline")

// Point is a point in image coordinates.
type Point struct{ X, Y float64 }

// Quad is a document's outline: its top-left, top-right, bottom-right and
// bottom-left corners in the upright document's sense, in the coordinates
// of the image it was found in.
type Quad [4]Point

// Layout is an ICAO 9303 document size and the place of its MRZ.
type Layout struct {
	Name string
	// Width and Height are the document's size in millimetres.
	Width, Height float64
	// Lines and Chars are the MRZ's rows and characters per row.
	Lines, Chars int
	// Bottom is the distance in millimetres from the document's bottom
	// edge to the bottom of the MRZ's last row of ink.
	Bottom float64
}

// Aspect is the layout's height over its width.
func (l Layout) Aspect() float64 { return l.Height / l.Width }

// The ICAO 9303 layouts. The bottom margins are the medians measured on
// the development set's documents whose four edges were found.
var (
	TD1  = Layout{Name: "TD1", Width: 85.6, Height: 53.98, Lines: 3, Chars: 30, Bottom: 3.6}
	TD2  = Layout{Name: "TD2", Width: 105, Height: 74, Lines: 2, Chars: 36, Bottom: 4.5}
	TD3  = Layout{Name: "TD3", Width: 125, Height: 88, Lines: 2, Chars: 44, Bottom: 5.2}
	MRVA = Layout{Name: "MRVA", Width: 120, Height: 80, Lines: 2, Chars: 44, Bottom: 5.2}
	MRVB = Layout{Name: "MRVB", Width: 105, Height: 74, Lines: 2, Chars: 36, Bottom: 4.5}
)

// LayoutFor returns the layout of an MRZ of lines rows of chars characters;
// visa says the document code is a visa's (V), which sets MRV-A or MRV-B
// apart from TD3 and TD2.
func LayoutFor(lines, chars int, visa bool) (Layout, bool) {
	switch {
	case lines == 3 && chars == 30:
		return TD1, true
	case lines == 2 && chars == 36 && visa:
		return MRVB, true
	case lines == 2 && chars == 36:
		return TD2, true
	case lines == 2 && chars == 44 && visa:
		return MRVA, true
	case lines == 2 && chars == 44:
		return TD3, true
	}
	return Layout{}, false
}

// MRZ is what the locator needs of a read MRZ.
type MRZ struct {
	// Band is the MRZ's bounding box in image coordinates.
	Band image.Rectangle
	// Rotation is the clockwise rotation in degrees (0, 90, 180, 270)
	// that brings the MRZ upright.
	Rotation int
	// Layout is the document's format.
	Layout Layout
}

// Result is a located document.
type Result struct {
	Quad   Quad
	Layout Layout
	// MRZTop is the top of the MRZ's first row of ink, as a fraction of
	// the document's height from its top edge.
	MRZTop float64
	// Refined counts the sides moved onto an image edge (0 to 4).
	Refined int
}

// workSize is the longer side of the grey image the locator works on.
const workSize = 1000

// Locate finds the outline of the document whose MRZ is m in img.
func Locate(ctx context.Context, img image.Image, m MRZ) (Result, error) {
	if m.Layout.Chars == 0 || m.Band.Empty() {
		return Result{}, ErrNoDocument
	}
	b := img.Bounds()
	scale := math.Min(1, float64(workSize)/float64(max(b.Dx(), b.Dy())))
	g := downGray(img, scale)
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	toWork := func(x, y float64) Point {
		return Point{(x - float64(b.Min.X)) * scale, (y - float64(b.Min.Y)) * scale}
	}
	band := Quad{toWork(float64(m.Band.Min.X), float64(m.Band.Min.Y)), {}, toWork(float64(m.Band.Max.X), float64(m.Band.Max.Y)), {}}
	f, ok := fitMRZ(g, band[0], band[2], m.Rotation, m.Layout)
	if !ok {
		return Result{}, ErrNoDocument
	}
	l := m.Layout
	s := f.pxPerMM
	uc := (f.u0 + f.u1) / 2
	left, right := uc-l.Width/2*s, uc+l.Width/2*s
	bottom := f.v1 + l.Bottom*s
	top := bottom - l.Height*s
	// Sides as lines: top, right, bottom, left, each as (coordinate along
	// its normal in the MRZ frame, tilt).
	sides := [4]side{
		{pos: top, normal: -1, horiz: true},
		{pos: right, normal: 1},
		{pos: bottom, normal: 1, horiz: true},
		{pos: left, normal: -1},
	}
	gr := gradients(g)
	res := Result{Layout: l}
	for i := range sides {
		if err := ctx.Err(); err != nil {
			return Result{}, err
		}
		if refineSide(gr, f, &sides[i], sides, l, s) {
			res.Refined++
		}
	}
	// Corners: intersections of adjacent sides, in the MRZ frame, then
	// back to the image.
	corner := func(h, v side) Point {
		// Horizontal side: v = h.pos + h.tilt*u; vertical: u = v.pos + v.tilt*vv.
		// Solve u = vp + vt*(hp + ht*u).
		u := (v.pos + v.tilt*h.pos) / (1 - v.tilt*h.tilt)
		vv := h.pos + h.tilt*u
		p := f.toImage(u, vv)
		return Point{p.X/scale + float64(b.Min.X), p.Y/scale + float64(b.Min.Y)}
	}
	res.Quad = Quad{corner(sides[0], sides[3]), corner(sides[0], sides[1]), corner(sides[2], sides[1]), corner(sides[2], sides[3])}
	for i := range res.Quad {
		res.Quad[i].X = math.Min(math.Max(res.Quad[i].X, float64(b.Min.X)), float64(b.Max.X))
		res.Quad[i].Y = math.Min(math.Max(res.Quad[i].Y, float64(b.Min.Y)), float64(b.Max.Y))
	}
	if quadArea(res.Quad) < 0.25*float64(m.Band.Dx()*m.Band.Dy()) {
		return Result{}, ErrNoDocument
	}
	// The MRZ's top relative to the final outline, along the left-right
	// middle of the document.
	hTop := sides[0].pos + sides[0].tilt*uc
	hBot := sides[2].pos + sides[2].tilt*uc
	res.MRZTop = (f.v0 - hTop) / (hBot - hTop)
	res.MRZTop = math.Min(math.Max(res.MRZTop, 0.3), 0.95)
	return res, nil
}

func quadArea(q Quad) float64 {
	var a float64
	for i := range q {
		j := (i + 1) % 4
		a += q[i].X*q[j].Y - q[j].X*q[i].Y
	}
	return math.Abs(a) / 2
}

// grayImg is a float grey-scale image, 0..255.
type grayImg struct {
	w, h int
	p    []float32
}

func (g *grayImg) at(x, y int) float32 { return g.p[y*g.w+x] }

// downGray converts img to grey, shrunk by scale (<= 1) with box averaging.
func downGray(img image.Image, scale float64) *grayImg {
	b := img.Bounds()
	w := max(1, int(math.Round(float64(b.Dx())*scale)))
	h := max(1, int(math.Round(float64(b.Dy())*scale)))
	g := &grayImg{w: w, h: h, p: make([]float32, w*h)}
	cnt := make([]float32, w*h)
	luma := lumaFunc(img)
	sx := float64(w) / float64(b.Dx())
	sy := float64(h) / float64(b.Dy())
	for y := 0; y < b.Dy(); y++ {
		gy := min(h-1, int(float64(y)*sy))
		for x := 0; x < b.Dx(); x++ {
			gx := min(w-1, int(float64(x)*sx))
			g.p[gy*w+gx] += luma(x+b.Min.X, y+b.Min.Y)
			cnt[gy*w+gx]++
		}
	}
	for i := range g.p {
		if cnt[i] > 0 {
			g.p[i] /= cnt[i]
		}
	}
	return g
}

// lumaFunc returns a fast luma (0..255) reader for img.
func lumaFunc(img image.Image) func(x, y int) float32 {
	switch im := img.(type) {
	case *image.YCbCr:
		return func(x, y int) float32 { return float32(im.Y[im.YOffset(x, y)]) }
	case *image.Gray:
		return func(x, y int) float32 { return float32(im.Pix[im.PixOffset(x, y)]) }
	case *image.RGBA:
		return func(x, y int) float32 {
			i := im.PixOffset(x, y)
			return 0.299*float32(im.Pix[i]) + 0.587*float32(im.Pix[i+1]) + 0.114*float32(im.Pix[i+2])
		}
	case *image.NRGBA:
		return func(x, y int) float32 {
			i := im.PixOffset(x, y)
			a := float32(im.Pix[i+3]) / 255
			l := 0.299*float32(im.Pix[i]) + 0.587*float32(im.Pix[i+1]) + 0.114*float32(im.Pix[i+2])
			return l*a + 255*(1-a)
		}
	}
	return func(x, y int) float32 {
		r, g, b, _ := img.At(x, y).RGBA()
		return (0.299*float32(r) + 0.587*float32(g) + 0.114*float32(b)) / 257
	}
}

// mrzFrame is the MRZ fitted in the working image: an orthonormal frame
// (u along the rows, v down across them) centred on the band, the ink's
// extent in it and the scale.
type mrzFrame struct {
	cx, cy         float64
	ux, uy, vx, vy float64
	u0, u1, v0, v1 float64
	pxPerMM        float64
}

func (f *mrzFrame) toImage(u, v float64) Point {
	return Point{f.cx + u*f.ux + v*f.vx, f.cy + u*f.uy + v*f.vy}
}

// fitMRZ measures the MRZ rows inside the band (p0, p1 its working-image
// corners): the skew that makes the ink's projection across the rows
// sharpest, then the ink's extent along and across them.
func fitMRZ(g *grayImg, p0, p1 Point, rotation int, l Layout) (mrzFrame, bool) {
	x0, y0 := max(0, int(p0.X)), max(0, int(p0.Y))
	x1, y1 := min(g.w, int(math.Ceil(p1.X))), min(g.h, int(math.Ceil(p1.Y)))
	if x1-x0 < 8 || y1-y0 < 8 {
		return mrzFrame{}, false
	}
	// Ink: darker than Otsu's threshold of the band.
	var hist [256]int
	for y := y0; y < y1; y++ {
		for x := x0; x < x1; x++ {
			hist[int(min(255, max(0, g.at(x, y))))]++
		}
	}
	thr := otsu(hist[:])
	cx, cy := float64(x0+x1)/2, float64(y0+y1)/2
	var px, py []float64
	for y := y0; y < y1; y++ {
		for x := x0; x < x1; x++ {
			if g.at(x, y) < thr {
				px = append(px, float64(x)+0.5-cx)
				py = append(py, float64(y)+0.5-cy)
			}
		}
	}
	// Text is a minority of its band's pixels.
	if len(px) < 50 || len(px) > (x1-x0)*(y1-y0)*7/10 {
		return mrzFrame{}, false
	}
	// Base frame of the rotation: the upright text direction in the image.
	base := -float64(rotation) * math.Pi / 180
	sharp := func(a float64) float64 {
		vx, vy := -math.Sin(a), math.Cos(a)
		h := map[int]int{}
		for i := range px {
			h[int(math.Floor(px[i]*vx+py[i]*vy))]++
		}
		var s float64
		for _, c := range h {
			s += float64(c * c)
		}
		return s
	}
	best, bestS := 0.0, -1.0
	for d := -15.0; d <= 15.0; d += 0.5 {
		if s := sharp(base + d*math.Pi/180); s > bestS {
			best, bestS = d, s
		}
	}
	for d := best - 0.4; d <= best+0.4; d += 0.1 {
		if s := sharp(base + d*math.Pi/180); s > bestS {
			best, bestS = d, s
		}
	}
	a := base + best*math.Pi/180
	f := mrzFrame{cx: cx, cy: cy, ux: math.Cos(a), uy: math.Sin(a), vx: -math.Sin(a), vy: math.Cos(a)}
	// Across: the rows are runs of bins above a fifth of the peak; the
	// MRZ is the run holding the most ink and its like neighbours (dark
	// background caught in the band's corners makes runs of other shapes).
	pu := make([]float64, len(px))
	pv := make([]float64, len(px))
	hv := map[int]int{}
	lo, hi := math.MaxInt, math.MinInt
	for i := range px {
		pu[i] = px[i]*f.ux + py[i]*f.uy
		pv[i] = px[i]*f.vx + py[i]*f.vy
		k := int(math.Floor(pv[i]))
		hv[k]++
		lo, hi = min(lo, k), max(hi, k)
	}
	// Expected row height: the cap height of OCR-B (2.4 of a 2.54 mm pitch),
	// the pitch from the band's length along the rows.
	long := float64(x1 - x0)
	if rotation == 90 || rotation == 270 {
		long = float64(y1 - y0)
	}
	capH := 0.94 * long * math.Cos(best*math.Pi/180) / float64(l.Chars)
	if rows := mrzRows(hv, lo, hi, l.Lines, capH); len(rows) == l.Lines {
		f.v0, f.v1 = float64(rows[0].a), float64(rows[len(rows)-1].b)
	} else {
		// Rows blurred into each other or into a textured background:
		// the whole extent above a fifth of the peak.
		peak := 0
		for _, c := range hv {
			peak = max(peak, c)
		}
		a, b := math.MaxInt, math.MinInt
		for k, c := range hv {
			if c*5 >= peak {
				a, b = min(a, k), max(b, k+1)
			}
		}
		f.v0, f.v1 = float64(a), float64(b)
	}
	// Along: the ink of the rows, trimmed of stray specks.
	var us []float64
	for i := range pu {
		if pv[i] >= f.v0 && pv[i] <= f.v1 {
			us = append(us, pu[i])
		}
	}
	sort.Float64s(us)
	f.u0 = us[len(us)*3/1000]
	f.u1 = us[len(us)-1-len(us)*3/1000]
	// The ink spans n-1 pitches plus one glyph (about 0.72 pitch).
	pitch := (f.u1 - f.u0) / (float64(l.Chars) - 0.28)
	f.pxPerMM = pitch / 2.54
	if f.pxPerMM <= 0 || f.v1-f.v0 < float64(l.Lines)*pitch*0.6 {
		return mrzFrame{}, false
	}
	return f, true
}

// run is a run [a, b) of projection bins and the ink it holds.
type run struct{ a, b, mass int }

// mrzRows returns the MRZ's rows among the runs of the projection h (bins
// lo..hi) above a fifth of its peak: the run of about the expected row
// height capH holding the most ink, then neighbours of about its height at
// most three row heights away, up to lines runs.
func mrzRows(h map[int]int, lo, hi, lines int, capH float64) []run {
	peak := 0
	for _, c := range h {
		peak = max(peak, c)
	}
	var runs []run
	in := false
	for k := lo; k <= hi+1; k++ {
		on := k <= hi && h[k]*5 >= peak
		switch {
		case on && !in:
			runs = append(runs, run{a: k})
			in = true
		case !on && in:
			runs[len(runs)-1].b = k
			in = false
		}
		if on {
			runs[len(runs)-1].mass += h[k]
		}
	}
	if len(runs) == 0 {
		return nil
	}
	best := -1
	for i, r := range runs {
		h := float64(r.b - r.a)
		if h >= 0.5*capH && h <= 1.6*capH && (best < 0 || r.mass > runs[best].mass) {
			best = i
		}
	}
	if best < 0 {
		return nil
	}
	rh := float64(runs[best].b - runs[best].a)
	like := func(r run, gap int) bool {
		h := float64(r.b - r.a)
		return h >= 0.5*rh && h <= 1.8*rh && float64(gap) <= 3*rh
	}
	i, j := best, best
	for j-i+1 < lines {
		switch {
		case j+1 < len(runs) && like(runs[j+1], runs[j+1].a-runs[j].b) &&
			(i == 0 || !like(runs[i-1], runs[i].a-runs[i-1].b) || runs[j+1].mass >= runs[i-1].mass):
			j++
		case i > 0 && like(runs[i-1], runs[i].a-runs[i-1].b):
			i--
		default:
			return runs[i : j+1]
		}
	}
	return runs[i : j+1]
}

func otsu(hist []int) float32 {
	var total, sum float64
	for i, c := range hist {
		total += float64(c)
		sum += float64(i * c)
	}
	var wb, sb, best float64
	thr := 128
	for i, c := range hist {
		wb += float64(c)
		if wb == 0 || wb == total {
			continue
		}
		sb += float64(i * c)
		mb := sb / wb
		mf := (sum - sb) / (total - wb)
		if v := wb * (total - wb) * (mb - mf) * (mb - mf); v > best {
			best, thr = v, i
		}
	}
	return float32(thr) + 0.5
}
