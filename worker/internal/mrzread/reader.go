// Package mrzread locates and reads the machine-readable zone (MRZ) of a
// travel document image.
//
// The reader finds the MRZ as two or three parallel rows of evenly spaced
// characters (any of the four right-angle orientations, moderate skew),
// samples every character cell along the fitted rows and classifies it
// against OCR-B templates rendered from the Debian fonts-ocr-b font (embedded
// as ocrb_glyphs.png). Field types of the ICAO 9303 layout and the check
// digits then resolve the ambiguous characters (O/0, I/1, B/8, S/5...): a
// character is only changed when the template scores leave the choice open,
// so a printed MRZ whose own check digits fail is reported as failing.
//
// Beyond the fitted lattice, every cell is re-centred on the smooth local
// drift of its neighbours (curved pages, perspective); rows slanted too
// much to chain are read again on the deskewed image; and the characters a
// document prints for sure (check-digit-proven or classified with a clear
// lead) serve as document-specific templates that settle its look-alikes
// (see adapt.go).
package mrzread

import (
	"context"
	"errors"
	"image"
	"math"
	"sort"
	"strings"

	"github.com/openkyc/kyc/worker/internal/mrz"
)

// ErrNotFound is returned when no MRZ could be located in the image.
var ErrNotFound = errors.New("mrzread: no MRZ found")

// Read is the result of reading one MRZ.
type Read struct {
	// Lines are the MRZ lines as read, after field-type and check-digit
	// resolution of ambiguous characters.
	Lines []string
	// RawLines are the lines as classified, before any resolution.
	RawLines []string
	// MRZ is the parsed zone; nil only if Lines match no ICAO format.
	MRZ *mrz.MRZ
	// CharConfidence holds, per line and character, the normalised
	// correlation (0..1) of the chosen character's template.
	CharConfidence [][]float32
	// LineConfidence is the mean character confidence per line.
	LineConfidence []float32
	// Band is the bounding rectangle of the MRZ in image coordinates.
	Band image.Rectangle
	// Rotation is the clockwise rotation in degrees (0, 90, 180, 270) that
	// brings the MRZ upright.
	Rotation int
	// Resolved counts the characters changed from the raw classification
	// by field types and check digits.
	Resolved int
}

// Valid reports whether the MRZ was parsed and all its check digits hold.
func (r *Read) Valid() bool { return r != nil && r.MRZ != nil && r.MRZ.Valid() }

// Reader reads MRZs. The zero value is ready to use and safe for concurrent
// use by multiple goroutines.
type Reader struct {
	// TypeMargin is how much better (in correlation) a character that its
	// position does not allow must score to be kept over the best allowed
	// one. Zero means the default 0.08.
	TypeMargin float32
	// CheckMargin is the largest correlation loss accepted to satisfy a
	// failing check digit by taking a runner-up character. Zero means the
	// default 0.06.
	CheckMargin float32
}

// NewReader returns a Reader with default settings and warms its templates.
func NewReader() *Reader {
	getTemplates()
	return &Reader{}
}

func (r *Reader) typeMargin() float32 {
	if r == nil || r.TypeMargin == 0 {
		return 0.08
	}
	return r.TypeMargin
}

func (r *Reader) checkMargin() float32 {
	if r == nil || r.CheckMargin == 0 {
		return 0.06
	}
	return r.CheckMargin
}

// workSize is the longer side of the image the locator works on.
const workSize = 1200

// view is the working image with its mapping back to the input image.
type view struct {
	g     *gray
	scale float64 // working px per input px
	rot   int     // 0 or 90: working image = input rotated clockwise
	h0    int     // height of the scaled, unrotated image
	minX  int
	minY  int
	// skew, when set, is the deskewing rotation that produced g from the
	// (possibly 90-degree rotated) working image.
	skew *skewMap
}

// toInput maps a working-image point to input-image coordinates.
func (v *view) toInput(x, y float64) (float64, float64) {
	if v.skew != nil {
		x, y = v.skew.src(x, y)
	}
	if v.rot == 90 {
		// rotated (x', y') = (h-1-y, x)
		x, y = y, float64(v.h0)-x
	}
	return x/v.scale + float64(v.minX), y/v.scale + float64(v.minY)
}

// Read locates and reads the MRZ of img.
func (r *Reader) Read(ctx context.Context, img image.Image) (*Read, error) {
	src := toGray(img)
	scale := float64(workSize) / float64(max(src.w, src.h))
	w := max(1, int(math.Round(float64(src.w)*scale)))
	h := max(1, int(math.Round(float64(src.h)*scale)))
	g := src.resize(w, h)
	b := img.Bounds()
	var best *candidate
	good := func() bool { return best != nil && best.read.Valid() && best.quality > 0.8 }
	try := func(v *view, zones []zone) {
		for zi, z := range zones {
			if zi >= 3 || good() {
				break
			}
			for _, flip := range []bool{false, true} {
				c := r.readZone(v, z, flip)
				if c != nil && (best == nil || c.quality > best.quality) {
					best = c
				}
				if good() {
					break
				}
			}
		}
	}
	var skewed []*view
	for _, rot := range []int{0, 90} {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		v := &view{g: g, scale: scale, rot: rot, h0: h, minX: b.Min.X, minY: b.Min.Y}
		if rot == 90 {
			v.g = g.rot90()
		}
		lines := findLines(v.g)
		try(v, findZones(lines))
		if best != nil && best.read.Valid() {
			break
		}
		angles := []float64{}
		if a, ok := dominantSkew(lines); ok {
			angles = append(angles, a)
		} else if best == nil {
			// Rows too slanted to chain at all: probe both ways.
			angles = append(angles, probeSkew, -probeSkew)
		}
		for _, a := range angles {
			skewed = append(skewed, skewedView(v, a))
		}
	}
	// Strongly skewed text (beyond what row chaining follows): read again
	// on the image rotated by the dominant angle of its text rows.
	for _, v := range skewed {
		if best != nil && best.read.Valid() {
			break
		}
		if v.skew.probe && best != nil {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		v.g = v.skew.apply(v.g)
		try(v, findZones(findLines(v.g)))
	}
	if best == nil {
		return nil, ErrNotFound
	}
	return best.read, nil
}

// probeSkew is the deskewing angle (radians, either way) tried when no
// text row was found at all: rows slanted by about 15 to 30 degrees do not
// chain, and the probe brings them within reach.
const probeSkew = 20 * math.Pi / 180

// skewedView returns v to be deskewed by angle a (the image is rotated
// when the view is read).
func skewedView(v *view, a float64) *view {
	sv := *v
	sv.skew = newSkewMap(v.g, a)
	sv.skew.probe = a == probeSkew || a == -probeSkew
	return &sv
}

type candidate struct {
	read    *Read
	quality float64
}

// lineGeom is a sampling frame for one MRZ line: the centre of character 0,
// the unit vectors along (u) and across (v) the line, the pitch and the cap
// height, all in working-image pixels.
type lineGeom struct {
	ox, oy         float64
	ux, uy, vx, vy float64
	pitch, capH    float64
	// dt and dd, when set, shift character i by dt[i] pitches along and
	// dd[i] cap heights across the line (smooth local drift: curved
	// paper, uneven printing).
	dt, dd []float64
}

func (lg *lineGeom) center(i float64) (float64, float64) {
	t := i * lg.pitch
	var d float64
	if len(lg.dt) > 0 {
		k := min(max(int(math.Round(i)), 0), len(lg.dt)-1)
		t += lg.dt[k] * lg.pitch
		d = lg.dd[k] * lg.capH
	}
	return lg.ox + t*lg.ux + d*lg.vx, lg.oy + t*lg.uy + d*lg.vy
}

// sample extracts the grid region around character i, sx and sy grid cells
// of margin on each side.
func (lg *lineGeom) sample(g *gray, i float64, sx, sy int) []float32 {
	rw, rh := tw+2*sx, th+2*sy
	out := make([]float32, rw*rh)
	cx, cy := lg.center(i)
	gx := lg.pitch / tw
	gy := lg.capH / tcap
	// Supersample when a grid cell covers more than ~1.5 pixels.
	ss := 1
	if gx > 1.5 || gy > 1.5 {
		ss = 2
	}
	if gx > 3 || gy > 3 {
		ss = 3
	}
	for y := 0; y < rh; y++ {
		for x := 0; x < rw; x++ {
			var s float32
			for j := 0; j < ss; j++ {
				for k := 0; k < ss; k++ {
					a := (float64(x-sx) + (float64(k)+0.5)/float64(ss) - tw/2) * gx
					bb := (float64(y-sy) + (float64(j)+0.5)/float64(ss) - tmidY) * gy
					s += g.at(cx+a*lg.ux+bb*lg.vx, cy+a*lg.uy+bb*lg.vy)
				}
			}
			out[y*rw+x] = s / float32(ss*ss)
		}
	}
	return out
}

// geometry builds the initial sampling frame of a text line for n
// characters. Character centres are fitted to a regular lattice through the
// centres of the line's single-character components; when the lattice spans
// more than n cells, the n-cell window holding most components is taken.
func geometry(g *gray, l *textLine, n int, flip bool) lineGeom {
	norm := math.Sqrt(1 + l.b*l.b)
	ux, uy := 1/norm, l.b/norm
	vx, vy := -uy, ux
	inkW := (l.right - l.left) * norm
	// OCR-B glyph ink covers about 0.72 of the pitch.
	pitch := inkW / (float64(n-1) + 0.72)
	t0 := l.left*norm + 0.36*pitch // along-line coordinate of char 0
	if l.latticeOK {
		span := l.kmax - l.kmin + 1
		if span >= n*2/3 && span <= n+n/3 {
			p := l.lp
			cell := func(k int) lineGeom {
				x := (l.c0 + float64(k)*p) / norm
				return lineGeom{ox: x, oy: l.yAt(x), ux: ux, uy: uy, vx: vx, vy: vy, pitch: p, capH: l.h}
			}
			score := func(k int) float32 {
				if l.hits[k] == 0 {
					return -1
				}
				return quickScore(sampleCell(g, cell(k)), 3, 2)
			}
			lo, hi := l.kmin, l.kmax
			for hi-lo+1 > n {
				// Drop the end cell that looks least like a character.
				if score(lo) < score(hi) {
					lo++
				} else {
					hi--
				}
			}
			if hi-lo+1 < n {
				// Missing cells at the ends: extend towards the end whose
				// next cell looks more like a character.
				for hi-lo+1 < n {
					a := quickScore(sampleCell(g, cell(lo-1)), 3, 2)
					b := quickScore(sampleCell(g, cell(hi+1)), 3, 2)
					if a > b {
						lo--
					} else {
						hi++
					}
				}
			}
			pitch = p
			t0 = l.c0 + float64(lo)*p
		}
	}
	// Cap height: component heights are inflated by skew.
	capH := l.h - 0.6*pitch*math.Abs(l.b)
	if capH < 0.5*l.h {
		capH = 0.5 * l.h
	}
	lg := lineGeom{ux: ux, uy: uy, vx: vx, vy: vy, pitch: pitch, capH: capH}
	px := func(t float64) (float64, float64) {
		// Foot of the centre line point with along-line coordinate t:
		// points on the line are (x, a+b*x), whose coordinate is
		// (x + b*(a+b*x-a))/norm = x*norm.
		x := t / norm
		return x, l.yAt(x)
	}
	lg.ox, lg.oy = px(t0)
	if flip {
		lg.ox, lg.oy = px(t0 + float64(n-1)*pitch)
		lg.ux, lg.uy, lg.vx, lg.vy = -ux, -uy, -vx, -vy
	}
	return lg
}

// readLine classifies the n cells of one line in two passes: a wide offset
// search, a robust refit of the character centres, then a narrow search.
func readLine(g *gray, lg lineGeom, n int) ([]cellScores, lineGeom) {
	cells := make([]cellScores, n)
	const s1x, s1y = 5, 3
	// Cap height search: component heights are only a rough estimate.
	bestScale, bestMean := 1.0, float32(-1)
	for _, sc := range []float64{0.8, 0.88, 0.96, 1.04, 1.12} {
		t := lg
		t.capH = lg.capH * sc
		var sum float32
		cnt := 0
		for i := 1; i < n; i += 3 {
			sum += quickScore(t.sample(g, float64(i), s1x, s1y), s1x, s1y)
			cnt++
		}
		if m := sum / float32(cnt); m > bestMean {
			bestMean, bestScale = m, sc
		}
	}
	lg.capH *= bestScale
	for i := 0; i < n; i++ {
		cells[i] = classify(lg.sample(g, float64(i), s1x, s1y), s1x, s1y)
	}
	// Observed centres along the line (in pitch units) and across it.
	type obs struct{ i, t, d, wgt float64 }
	var os []obs
	for i := range cells {
		b, s := cells[i].best()
		if s < 0.5 {
			continue
		}
		os = append(os, obs{float64(i), float64(i) + float64(cells[i].offX[b])/tw, float64(cells[i].offY[b]) / tcap, float64(s)})
	}
	if len(os) >= n/3 {
		// Fit t = a + b*i and d = c + e*i, dropping outliers once.
		fit := func(use func(o obs) bool) (a, b, c, e float64) {
			var sw, si, st, sii, sit, sd, sid float64
			for _, o := range os {
				if !use(o) {
					continue
				}
				w := o.wgt
				sw += w
				si += w * o.i
				st += w * o.t
				sii += w * o.i * o.i
				sit += w * o.i * o.t
				sd += w * o.d
				sid += w * o.i * o.d
			}
			den := sw*sii - si*si
			if sw == 0 || den == 0 {
				return 0, 1, 0, 0
			}
			b = (sw*sit - si*st) / den
			a = (st - b*si) / sw
			e = (sw*sid - si*sd) / den
			c = (sd - e*si) / sw
			return
		}
		a, b, c, e := fit(func(obs) bool { return true })
		a, b, c, e = fit(func(o obs) bool {
			return math.Abs(o.t-(a+b*o.i)) < 0.15 && math.Abs(o.d-(c+e*o.i)) < 0.2
		})
		if b > 0.8 && b < 1.25 {
			ng := lg
			// New centre of char i: old centre of (a + b*i), shifted across by (c + e*i)*capH.
			ng.ox, ng.oy = lg.center(a)
			ng.pitch = lg.pitch * b
			ng.ox += c * lg.capH * lg.vx
			ng.oy += c * lg.capH * lg.vy
			// Rotate the frame slightly by the drift across the line.
			ang := math.Atan2(e*lg.capH, lg.pitch*b)
			ca, sa := math.Cos(ang), math.Sin(ang)
			ng.ux, ng.uy = ca*lg.ux+sa*lg.vx, ca*lg.uy+sa*lg.vy
			ng.vx, ng.vy = -ng.uy, ng.ux
			if lg.vx*ng.vx+lg.vy*ng.vy < 0 {
				ng.vx, ng.vy = -ng.vx, -ng.vy
			}
			lg = ng
		}
	}
	const s2x, s2y = 3, 2
	for i := 0; i < n; i++ {
		cells[i] = classify(lg.sample(g, float64(i), s2x, s2y), s2x, s2y)
	}
	// Local re-centring: follow smooth drift of the characters away from
	// the fitted lattice (curved pages, perspective) by moving every cell
	// by the median offset of its neighbours, then classify again.
	for iter := 0; iter < 2; iter++ {
		dt, dd, ok := localDrift(cells, 3)
		if !ok {
			break
		}
		ng := lg
		ng.dt = make([]float64, n)
		ng.dd = make([]float64, n)
		for i := 0; i < n; i++ {
			if len(lg.dt) > 0 {
				ng.dt[i], ng.dd[i] = lg.dt[i], lg.dd[i]
			}
			ng.dt[i] += dt[i]
			ng.dd[i] += dd[i]
		}
		lg = ng
		for i := 0; i < n; i++ {
			cells[i] = classify(lg.sample(g, float64(i), s2x, s2y), s2x, s2y)
		}
	}
	return cells, lg
}

// localDrift returns, per cell, the median offset (in pitches along and
// cap heights across) of the confidently classified cells within w cells
// of it, and whether any of them is large enough to be worth following
// (more than 1.5 grid units).
func localDrift(cells []cellScores, w int) (dt, dd []float64, ok bool) {
	n := len(cells)
	ox := make([]float64, n)
	oy := make([]float64, n)
	good := make([]bool, n)
	for i := range cells {
		b, s := cells[i].best()
		ox[i] = float64(cells[i].offX[b])
		oy[i] = float64(cells[i].offY[b])
		good[i] = s >= 0.6
	}
	dt = make([]float64, n)
	dd = make([]float64, n)
	for i := 0; i < n; i++ {
		var xs, ys []float64
		for j := max(0, i-w); j <= min(n-1, i+w); j++ {
			if good[j] {
				xs = append(xs, ox[j])
				ys = append(ys, oy[j])
			}
		}
		if len(xs) < 3 {
			continue
		}
		mx, my := medianOf(xs), medianOf(ys)
		dt[i] = mx / tw
		dd[i] = my / tcap
		if math.Abs(mx) >= 1.5 || math.Abs(my) >= 1.5 {
			ok = true
		}
	}
	return dt, dd, ok
}

func medianOf(v []float64) float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// validChecks counts the check digits that hold in rd, -1 if unparsed.
func validChecks(rd *Read) int {
	if rd.MRZ == nil {
		return -1
	}
	n := 0
	for _, c := range rd.MRZ.Checks {
		if c.Valid {
			n++
		}
	}
	return n
}

func (r *Reader) readZone(v *view, z zone, flip bool) *candidate {
	nl := len(z.lines)
	lines := z.lines
	if flip {
		lines = make([]*textLine, nl)
		for i := range z.lines {
			lines[i] = z.lines[nl-1-i]
		}
	}
	cells := make([][]cellScores, nl)
	geoms := make([]lineGeom, nl)
	for i, l := range lines {
		cells[i], geoms[i] = readLine(v.g, geometry(v.g, l, z.n, flip), z.n)
	}
	read := r.decode(cells)
	// Second opinion from the document's own glyphs: kept when it holds at
	// least as many check digits.
	if ac := adapt(v.g, geoms, cells, read.Lines, sureCells(read, cells)); ac != nil {
		if ar := r.decode(ac); validChecks(ar) >= validChecks(read) {
			read = ar
		}
	}
	// Band rectangle from the corners of the sampled lines.
	minX, minY := math.MaxFloat64, math.MaxFloat64
	maxX, maxY := -math.MaxFloat64, -math.MaxFloat64
	for _, lg := range geoms {
		for _, i := range []float64{-0.6, float64(z.n) - 0.4} {
			cx, cy := lg.center(i)
			for _, s := range []float64{-0.7, 0.7} {
				x, y := v.toInput(cx+s*lg.capH*lg.vx, cy+s*lg.capH*lg.vy)
				minX, maxX = math.Min(minX, x), math.Max(maxX, x)
				minY, maxY = math.Min(minY, y), math.Max(maxY, y)
			}
		}
	}
	read.Band = image.Rect(int(math.Floor(minX)), int(math.Floor(minY)), int(math.Ceil(maxX)), int(math.Ceil(maxY)))
	read.Rotation = v.rot
	if flip {
		read.Rotation = (read.Rotation + 180) % 360
	}
	// Rotation that brings the MRZ upright: the working image was rotated
	// clockwise by v.rot; a flip adds 180.
	var sum float64
	var cnt int
	for _, lc := range read.CharConfidence {
		for _, c := range lc {
			sum += float64(c)
			cnt++
		}
	}
	q := sum / float64(max(cnt, 1))
	if read.MRZ != nil {
		q += 0.02
		if read.MRZ.Valid() {
			q += 0.05
		}
	}
	return &candidate{read: read, quality: q}
}

// decode turns cell scores into lines, resolving ambiguous characters with
// the field types and check digits of the detected format.
func (r *Reader) decode(cells [][]cellScores) *Read {
	nl := len(cells)
	raw := make([][]byte, nl)
	for i, lc := range cells {
		raw[i] = make([]byte, len(lc))
		for j := range lc {
			b, _ := lc[j].best()
			raw[i][j] = alphabet[b]
		}
	}
	rd := &Read{}
	for _, l := range raw {
		rd.RawLines = append(rd.RawLines, string(l))
	}
	out := make([][]byte, nl)
	for i := range raw {
		out[i] = append([]byte(nil), raw[i]...)
	}
	lineStrs := func() []string {
		s := make([]string, nl)
		for i := range out {
			s[i] = string(out[i])
		}
		return s
	}
	format, err := mrz.DetectFormat(lineStrs())
	if err == nil {
		layout := mrz.Layout(format)
		tm := r.typeMargin()
		numeric := numericCodeFields(format, raw, cells)
		for p := range letterDateFields(layout, raw, cells) {
			numeric[p] = true
		}
		for i := range out {
			for j := range out[i] {
				if numeric[[2]int{i, j}] {
					continue
				}
				cl := mrz.Class(layout[i][j])
				c := &cells[i][j]
				b, bs := c.best()
				if cl.Allowed(alphabet[b]) {
					continue
				}
				a, as := c.bestIn(cl.Allowed)
				if bs-as <= tm || confusable(alphabet[b], alphabet[a]) {
					out[i][j] = alphabet[a]
				}
			}
		}
		r.resolveChecks(out, cells)
	}
	rd.Lines = lineStrs()
	for i := range out {
		conf := make([]float32, len(out[i]))
		var s float32
		for j := range out[i] {
			conf[j] = max(0, cells[i][j].score[strings.IndexByte(alphabet, out[i][j])])
			s += conf[j]
			if out[i][j] != raw[i][j] {
				rd.Resolved++
			}
		}
		rd.CharConfidence = append(rd.CharConfidence, conf)
		rd.LineConfidence = append(rd.LineConfidence, s/float32(max(1, len(conf))))
	}
	if m, err := mrz.Parse(rd.Lines); err == nil {
		rd.MRZ = m
	}
	return rd
}

// codeFields returns the positions of the three-letter state codes
// (issuing state, nationality) of format f.
func codeFields(f mrz.Format) [][2]int {
	switch f {
	case mrz.TD1:
		return [][2]int{{0, 2}, {1, 15}}
	case mrz.TD2, mrz.TD3, mrz.MRVA, mrz.MRVB:
		return [][2]int{{0, 2}, {1, 10}}
	}
	return nil
}

// numericCodeFields returns the positions of state-code fields that read
// clearly as digits: some issuers print numeric codes there (non-ICAO), so
// their digits are kept rather than forced into look-alike letters. A code
// is numeric only when all three characters classify as digits, each well
// ahead of every letter; a doubtful O/0 keeps the letter rule.
func numericCodeFields(f mrz.Format, raw [][]byte, cells [][]cellScores) map[[2]int]bool {
	const minScore, minLead = 0.75, 0.04
	res := map[[2]int]bool{}
	for _, st := range codeFields(f) {
		li, p0 := st[0], st[1]
		if li >= len(raw) || p0+3 > len(raw[li]) {
			continue
		}
		ok := true
		for j := p0; j < p0+3 && ok; j++ {
			c := &cells[li][j]
			_, bs := c.best()
			_, ls := c.bestIn(func(ch byte) bool { return ch >= 'A' && ch <= 'Z' })
			ok = raw[li][j] >= '0' && raw[li][j] <= '9' && bs >= minScore && bs-ls >= minLead
		}
		if ok {
			for j := p0; j < p0+3; j++ {
				res[[2]int{li, j}] = true
			}
		}
	}
	return res
}

// letterDateFields returns the positions of date fields that clearly hold
// text, not a misread date: at least half of their characters classify as
// letters without a digit look-alike (C, R, N...). Such fields belong to a
// non-ICAO layout (a national ID with a name where ICAO has the birth
// date); forcing their O and I into 0 and 1 would only garble them.
func letterDateFields(layout []string, raw [][]byte, cells [][]cellScores) map[[2]int]bool {
	const minScore = 0.75
	res := map[[2]int]bool{}
	for li, l := range layout {
		if li >= len(raw) {
			break
		}
		for j := 0; j < len(l); {
			if mrz.Class(l[j]) != mrz.ClassNumeric {
				j++
				continue
			}
			k := j
			for k < len(l) && mrz.Class(l[k]) == mrz.ClassNumeric {
				k++
			}
			letters := 0
			for p := j; p < k && p < len(raw[li]); p++ {
				c := raw[li][p]
				_, s := cells[li][p].best()
				if _, look := mrz.ToDigit[c]; c >= 'A' && c <= 'Z' && !look && s >= minScore {
					letters++
				}
			}
			if 2*letters >= k-j {
				for p := j; p < k; p++ {
					res[[2]int{li, p}] = true
				}
			}
			j = k
		}
	}
	return res
}

// resolveChecks makes failing check digits hold by taking, at one position
// covered by the check, a runner-up character of the position's class whose
// score is within the check margin of the chosen one. When several
// substitutions would do, the one losing least is taken only if it is
// clearly better than the others; nothing changes otherwise.
func (r *Reader) resolveChecks(out [][]byte, cells [][]cellScores) {
	lines := make([]string, len(out))
	for i := range out {
		lines[i] = string(out[i])
	}
	m, err := mrz.Parse(lines)
	if err != nil {
		return
	}
	layout := mrz.Layout(m.Format)
	margin := r.checkMargin()
	covered := map[[2]int]bool{}
	positions := map[string][][2]int{}
	for _, ck := range m.Checks {
		if ck.Name == "composite" {
			continue
		}
		ps := checkPositions(m, ck)
		positions[ck.Name] = ps
		for _, p := range ps {
			covered[p] = true
		}
	}
	for _, ck := range m.Checks {
		if ck.Name != "composite" {
			continue
		}
		// The composite alone covers the optional data of TD1/TD2 and
		// its own check character.
		var ps [][2]int
		for li, l := range layout {
			for pi := range l {
				p := [2]int{li, pi}
				if covered[p] {
					continue
				}
				cl := mrz.Class(l[pi])
				if cl == mrz.ClassAlnum && li == 0 && m.Format == mrz.TD1 || cl == mrz.ClassAlnum && li == 1 || p == [2]int{ck.Line, ck.Pos} {
					ps = append(ps, p)
				}
			}
		}
		positions["composite"] = ps
	}
	valid := func() map[string]bool {
		ls := make([]string, len(out))
		for i := range out {
			ls[i] = string(out[i])
		}
		mm, err := mrz.Parse(ls)
		res := map[string]bool{}
		if err != nil {
			return res
		}
		for _, c := range mm.Checks {
			res[c.Name] = c.Valid
		}
		return res
	}
	for _, name := range []string{"document_number", "birth_date", "expiry_date", "optional_data", "composite"} {
		ps, ok := positions[name]
		if !ok {
			continue
		}
		if valid()[name] {
			continue
		}
		if name == "composite" && !allHold(valid()) {
			// The composite covers the other fields: with one of them
			// failing it cannot point at the character to fix.
			continue
		}
		// The look-alike swaps (O/0, I/1, B/8, '<'/K...) within the margin:
		// a digit is never replaced by another digit.
		var alts []swap
		for _, p := range ps {
			cl := mrz.Class(layout[p[0]][p[1]])
			cs := &cells[p[0]][p[1]]
			cur := out[p[0]][p[1]]
			curScore := cs.score[strings.IndexByte(alphabet, cur)]
			for k := 0; k < nClasses; k++ {
				ch := alphabet[k]
				if ch != cur && cl.Allowed(ch) && confusable(cur, ch) && curScore-cs.score[k] <= margin {
					alts = append(alts, swap{p, ch, curScore - cs.score[k]})
				}
			}
		}
		var subs []swap
		for _, a := range alts {
			cur := out[a.p[0]][a.p[1]]
			out[a.p[0]][a.p[1]] = a.c
			if valid()[name] {
				subs = append(subs, a)
			}
			out[a.p[0]][a.p[1]] = cur
		}
		if len(subs) == 0 {
			// Two look-alike swaps together (e.g. two O read for 0).
			var pairs [][2]swap
			for i := 0; i < len(alts); i++ {
				for j := i + 1; j < len(alts); j++ {
					a, b := alts[i], alts[j]
					if a.p == b.p || a.loss+b.loss > margin {
						continue
					}
					oa, ob := out[a.p[0]][a.p[1]], out[b.p[0]][b.p[1]]
					out[a.p[0]][a.p[1]], out[b.p[0]][b.p[1]] = a.c, b.c
					if valid()[name] {
						pairs = append(pairs, [2]swap{a, b})
					}
					out[a.p[0]][a.p[1]], out[b.p[0]][b.p[1]] = oa, ob
				}
			}
			if len(pairs) == 1 {
				for _, a := range pairs[0] {
					out[a.p[0]][a.p[1]] = a.c
				}
			}
			continue
		}
		sort.Slice(subs, func(i, j int) bool { return subs[i].loss < subs[j].loss })
		if len(subs) > 1 && subs[1].loss-subs[0].loss < margin/3 {
			continue
		}
		out[subs[0].p[0]][subs[0].p[1]] = subs[0].c
	}
}

// swap is one character changed to a look-alike, and the template score
// it costs.
type swap struct {
	p    [2]int
	c    byte
	loss float32
}

// allHold tells whether every check but the composite holds.
func allHold(valid map[string]bool) bool {
	for name, ok := range valid {
		if name != "composite" && !ok {
			return false
		}
	}
	return true
}

// checkPositions lists the positions covered by a non-composite check,
// check character included.
func checkPositions(m *mrz.MRZ, ck mrz.Check) [][2]int {
	var ps [][2]int
	start := ck.Pos - len(ck.Data)
	if ck.Name == "document_number" && len(ck.Data) > 9 {
		base := 5
		if m.Format != mrz.TD1 {
			base = 0
		}
		for p := base; p < base+9; p++ {
			ps = append(ps, [2]int{ck.Line, p})
		}
		for p := base + 10; p <= ck.Pos; p++ {
			ps = append(ps, [2]int{ck.Line, p})
		}
		return ps
	}
	for p := start; p <= ck.Pos; p++ {
		ps = append(ps, [2]int{ck.Line, p})
	}
	return ps
}

// confusable tells whether OCR-B characters a and b are a known letter/digit
// look-alike pair.
func confusable(a, b byte) bool {
	for _, pr := range [...]string{"<K", "OD", "OQ", "DQ", "EF", "HM", "CG"} {
		if a == pr[0] && b == pr[1] || a == pr[1] && b == pr[0] {
			return true
		}
	}
	if d, ok := mrz.ToDigit[a]; ok && d == b {
		return true
	}
	if d, ok := mrz.ToDigit[b]; ok && d == a {
		return true
	}
	if l, ok := mrz.ToLetter[a]; ok && l == b {
		return true
	}
	if l, ok := mrz.ToLetter[b]; ok && l == a {
		return true
	}
	return false
}

func sampleCell(g *gray, lg lineGeom) []float32 { return lg.sample(g, 0, 3, 2) }
