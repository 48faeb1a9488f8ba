package mrzread

import (
	"math"
	"sort"
)

// comp is a connected component of ink.
type comp struct {
	x0, y0, x1, y1 int // inclusive bounds
	n              int
}

func (c comp) w() int         { return c.x1 - c.x0 + 1 }
func (c comp) h() int         { return c.y1 - c.y0 + 1 }
func (c comp) cx() float64    { return float64(c.x0+c.x1+1) / 2 }
func (c comp) cy() float64    { return float64(c.y0+c.y1+1) / 2 }
func (c comp) fh() float64    { return float64(c.h()) }
func (c comp) right() float64 { return float64(c.x1 + 1) }
func (c comp) left() float64  { return float64(c.x0) }

// textLine is a straight row of components: y = a + b*x through the middle
// of the capitals, with cap height h, from x = left to x = right.
type textLine struct {
	comps       []comp
	a, b        float64
	h           float64
	left, right float64
	pitch       float64
	// Lattice of character centres along the line (coordinate t = x*norm
	// for points of the centre line): centre of cell k is c0 + k*lp; cells
	// kmin..kmax hold components (hits).
	lp, c0     float64
	kmin, kmax int
	hits       map[int]int
	latticeOK  bool
}

func (l *textLine) yAt(x float64) float64 { return l.a + l.b*x }

// binarize marks pixels darker than their neighbourhood mean by margin k.
func binarize(g *gray, win int, k float32) []bool {
	s := g.integral()
	w1 := g.w + 1
	ink := make([]bool, g.w*g.h)
	r := win / 2
	for y := 0; y < g.h; y++ {
		y0, y1 := max(0, y-r), min(g.h, y+r+1)
		for x := 0; x < g.w; x++ {
			x0, x1 := max(0, x-r), min(g.w, x+r+1)
			sum := s[y1*w1+x1] - s[y0*w1+x1] - s[y1*w1+x0] + s[y0*w1+x0]
			mean := float32(sum / float64((y1-y0)*(x1-x0)))
			ink[y*g.w+x] = g.p[y*g.w+x] < mean-k
		}
	}
	return ink
}

// components labels 8-connected ink components.
func components(ink []bool, w, h int) []comp {
	label := make([]int32, len(ink))
	var out []comp
	stack := make([]int, 0, 1024)
	for i, v := range ink {
		if !v || label[i] != 0 {
			continue
		}
		id := int32(len(out) + 1)
		c := comp{x0: i % w, x1: i % w, y0: i / w, y1: i / w}
		stack = append(stack[:0], i)
		label[i] = id
		for len(stack) > 0 {
			j := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			x, y := j%w, j/w
			c.n++
			c.x0, c.x1 = min(c.x0, x), max(c.x1, x)
			c.y0, c.y1 = min(c.y0, y), max(c.y1, y)
			for dy := -1; dy <= 1; dy++ {
				yy := y + dy
				if yy < 0 || yy >= h {
					continue
				}
				for dx := -1; dx <= 1; dx++ {
					xx := x + dx
					if xx < 0 || xx >= w {
						continue
					}
					k := yy*w + xx
					if ink[k] && label[k] == 0 {
						label[k] = id
						stack = append(stack, k)
					}
				}
			}
		}
		out = append(out, c)
	}
	return out
}

type unionFind []int

func (u unionFind) find(i int) int {
	for u[i] != i {
		u[i] = u[u[i]]
		i = u[i]
	}
	return i
}
func (u unionFind) union(a, b int) { u[u.find(a)] = u.find(b) }

// findLines chains character-like components into straight text lines
// long enough for an MRZ row: at least 8 components over 12 cap heights.
func findLines(g *gray) []*textLine {
	var out []*textLine
	for _, l := range chainRows(g) {
		if len(l.comps) >= 8 && l.right-l.left >= 12*l.h {
			out = append(out, l)
		}
	}
	return out
}

// chainRows chains character-like components into straight rows of at
// least 4 components over 4 cap heights.
func chainRows(g *gray) []*textLine {
	dim := max(g.w, g.h)
	win := max(15, dim/30)
	ink := binarize(g, win, 0.06)
	all := components(ink, g.w, g.h)
	maxH := dim / 12
	var cs []comp
	for _, c := range all {
		h, w := c.h(), c.w()
		// Wide components are allowed when they are short: runs of
		// touching fillers.
		if h < 4 || h > maxH || w > 40*h || c.n < 6 {
			continue
		}
		// Too sparse (frames, lines) or too solid blobs.
		fill := float64(c.n) / float64(h*w)
		if fill < 0.08 {
			continue
		}
		cs = append(cs, c)
	}
	sort.Slice(cs, func(i, j int) bool { return cs[i].x0 < cs[j].x0 })
	uf := make(unionFind, len(cs))
	for i := range uf {
		uf[i] = i
	}
	// Link each component to its nearest compatible right neighbour, when
	// it is also that neighbour's nearest left one (so that close lines do
	// not chain into each other).
	right := make([]int, len(cs))
	leftOf := make([]int, len(cs))
	leftGap := make([]float64, len(cs))
	for i := range leftOf {
		leftOf[i] = -1
		leftGap[i] = math.MaxFloat64
	}
	for i, a := range cs {
		best, bestGap := -1, math.MaxFloat64
		for j := i + 1; j < len(cs); j++ {
			b := cs[j]
			hmax := math.Max(a.fh(), b.fh())
			if b.left()-a.right() > 1.3*hmax {
				if b.left()-a.right() > 3*float64(maxH) {
					break
				}
				continue
			}
			if b.cx() <= a.cx() {
				continue
			}
			hr := a.fh() / b.fh()
			if hr > 2.6 || hr < 1/2.6 {
				continue
			}
			if math.Abs(a.cy()-b.cy()) > 0.3*hmax {
				continue
			}
			gap := b.left() - a.right()
			if gap < bestGap {
				best, bestGap = j, gap
			}
		}
		right[i] = best
		if best >= 0 && bestGap+math.Abs(a.cy()-cs[best].cy()) < leftGap[best] {
			leftGap[best] = bestGap + math.Abs(a.cy()-cs[best].cy())
			leftOf[best] = i
		}
	}
	for i, j := range right {
		if j >= 0 && leftOf[j] == i {
			uf.union(i, j)
		}
	}
	groups := map[int][]comp{}
	for i, c := range cs {
		r := uf.find(i)
		groups[r] = append(groups[r], c)
	}
	var lines []*textLine
	for _, gcs := range groups {
		if len(gcs) < 4 {
			continue
		}
		l := fitLine(gcs)
		if l.right-l.left < 4*l.h {
			continue
		}
		lines = append(lines, l)
	}
	lines = mergeLines(lines)
	// Extend lines with collinear leftovers at their ends (runs of
	// touching fillers, characters that did not chain).
	used := map[comp]bool{}
	for _, l := range lines {
		for _, c := range l.comps {
			used[c] = true
		}
	}
	for _, l := range lines {
		for changed := true; changed; {
			changed = false
			for _, c := range cs {
				if used[c] {
					continue
				}
				if math.Abs(c.cy()-l.yAt(c.cx())) > 0.3*l.h || c.fh() > 1.3*l.h || c.fh() < 0.3*l.h {
					continue
				}
				if (c.left() > l.right && c.left()-l.right < 2*l.h) || (c.right() < l.left && l.left-c.right() < 2*l.h) {
					used[c] = true
					cs2 := append(append([]comp(nil), l.comps...), c)
					*l = *fitLine(cs2)
					changed = true
				}
			}
		}
	}
	return lines
}

// fitLine fits the centre line of a group of components.
func fitLine(cs []comp) *textLine {
	sort.Slice(cs, func(i, j int) bool { return cs[i].x0 < cs[j].x0 })
	hs := make([]float64, len(cs))
	for i, c := range cs {
		hs[i] = c.fh()
	}
	sort.Float64s(hs)
	capH := hs[len(hs)*3/4]
	// Least squares over components of (nearly) full height; fall back to all.
	var sx, sy, sxx, sxy, n float64
	for _, c := range cs {
		if c.fh() < 0.7*capH {
			continue
		}
		x, y := c.cx(), c.cy()
		sx += x
		sy += y
		sxx += x * x
		sxy += x * y
		n++
	}
	l := &textLine{comps: cs, h: capH}
	den := n*sxx - sx*sx
	if n >= 2 && den != 0 {
		l.b = (n*sxy - sx*sy) / den
		l.a = (sy - l.b*sx) / n
	} else {
		l.a = cs[0].cy()
	}
	l.left = math.MaxFloat64
	l.right = -math.MaxFloat64
	for _, c := range cs {
		l.left = math.Min(l.left, c.left())
		l.right = math.Max(l.right, c.right())
	}
	// Pitch: median distance between neighbouring full-height centres.
	var ds []float64
	var prev *comp
	for i := range cs {
		c := &cs[i]
		if c.fh() < 0.7*capH || float64(c.w()) > 1.3*capH {
			prev = nil
			continue
		}
		if prev != nil {
			d := c.cx() - prev.cx()
			if d > 0.5*capH && d < 1.6*capH {
				ds = append(ds, d)
			}
		}
		prev = c
	}
	if len(ds) > 0 {
		sort.Float64s(ds)
		l.pitch = ds[len(ds)/2]
	} else {
		l.pitch = capH
	}
	l.fitLattice()
	return l
}

// fitLattice fits character centres to a regular lattice through the
// centres of the single-character components.
func (l *textLine) fitLattice() {
	norm := math.Sqrt(1 + l.b*l.b)
	var ts []float64
	for _, c := range l.comps {
		if c.fh() >= 0.4*l.h && float64(c.w()) <= 1.2*l.pitch {
			ts = append(ts, (c.cx()+l.b*(c.cy()-l.a))/norm)
		}
	}
	if len(ts) < 8 {
		return
	}
	sort.Float64s(ts)
	p := l.pitch
	c0 := latticePhase(ts, p)
	for iter := 0; iter < 4; iter++ {
		var sk, st, skk, skt, cnt float64
		for _, t := range ts {
			k := math.Round((t - c0) / p)
			if math.Abs(t-(c0+k*p)) > 0.3*p {
				continue
			}
			sk += k
			st += t
			skk += k * k
			skt += k * t
			cnt++
		}
		den := cnt*skk - sk*sk
		if cnt < 3 || den == 0 {
			break
		}
		np := (cnt*skt - sk*st) / den
		if np < 0.7*p || np > 1.4*p {
			break
		}
		p = np
		c0 = (st - p*sk) / cnt
	}
	l.hits = map[int]int{}
	l.kmin, l.kmax = math.MaxInt, math.MinInt
	for _, t := range ts {
		k := int(math.Round((t - c0) / p))
		if math.Abs(t-(c0+float64(k)*p)) > 0.35*p {
			continue
		}
		l.hits[k]++
		l.kmin, l.kmax = min(l.kmin, k), max(l.kmax, k)
	}
	l.lp, l.c0 = p, c0
	l.latticeOK = l.kmax > l.kmin
}

// latticePhase returns the first centre of ts on the lattice of pitch p
// that most centres share, so that stray marks at a row's ends (border
// marks, ink of neighbouring print) do not set the phase of the lattice.
func latticePhase(ts []float64, p float64) float64 {
	best, bestN := ts[0], -1
	for _, a := range ts {
		n := 0
		for _, t := range ts {
			d := (t - a) / p
			if math.Abs(d-math.Round(d)) < 0.2 {
				n++
			}
		}
		if n > bestN {
			best, bestN = a, n
		}
	}
	// The first centre in phase with the best anchor.
	for _, t := range ts {
		d := (t - best) / p
		if math.Abs(d-math.Round(d)) < 0.2 {
			return t
		}
	}
	return best
}

// mergeLines joins collinear pieces of the same text line.
func mergeLines(lines []*textLine) []*textLine {
	for {
		merged := false
		sort.Slice(lines, func(i, j int) bool { return lines[i].left < lines[j].left })
		for i := 0; i < len(lines) && !merged; i++ {
			for j := i + 1; j < len(lines); j++ {
				a, b := lines[i], lines[j]
				h := math.Max(a.h, b.h)
				if a.h/b.h > 1.4 || b.h/a.h > 1.4 {
					continue
				}
				gap := b.left - a.right
				if gap < -2*h || gap > 3*h && !(gap < 14*h && latticeAligned(a, b)) {
					continue
				}
				if math.Abs(a.yAt(b.left)-b.yAt(b.left)) > 0.3*h || math.Abs(a.yAt(a.right)-b.yAt(a.right)) > 0.3*h {
					continue
				}
				cs := append(append([]comp(nil), a.comps...), b.comps...)
				lines[i] = fitLine(cs)
				lines = append(lines[:j], lines[j+1:]...)
				merged = true
				break
			}
		}
		if !merged {
			return lines
		}
	}
}

// latticeAligned tells whether two pieces of a line share one character
// lattice: same pitch and character centres of b falling on the cells of a,
// as for the parts of a monospaced MRZ line split by a damaged stretch
// (a stamp over touching fillers).
func latticeAligned(a, b *textLine) bool {
	if !a.latticeOK || !b.latticeOK || a.kmax-a.kmin < 5 || b.kmax-b.kmin < 5 {
		return false
	}
	if math.Abs(a.lp-b.lp) > 0.05*a.lp || math.Abs(a.b-b.b) > 0.02 {
		return false
	}
	// Centres are along-line coordinates t = x*sqrt(1+b*b) on each line.
	na, nb := math.Sqrt(1+a.b*a.b), math.Sqrt(1+b.b*b.b)
	k := (b.c0/nb - a.c0/na) * na / a.lp
	return math.Abs(k-math.Round(k)) < 0.2
}

// zone is a candidate MRZ: 2 or 3 parallel lines of n characters.
type zone struct {
	lines []*textLine
	n     int
	score float64
}

// findZones groups parallel lines of equal length into candidate MRZs,
// best first.
func findZones(lines []*textLine) []zone {
	sort.Slice(lines, func(i, j int) bool { return lines[i].yAt(lines[i].left) < lines[j].yAt(lines[j].left) })
	var zones []zone
	for i := range lines {
		for cnt := 2; cnt <= 3; cnt++ {
			z := []*textLine{lines[i]}
			for j := i + 1; j < len(lines) && len(z) < cnt; j++ {
				prev := z[len(z)-1]
				c := lines[j]
				h := math.Max(prev.h, c.h)
				if prev.h/c.h > 1.35 || c.h/prev.h > 1.35 {
					continue
				}
				mid := (c.left + c.right) / 2
				dy := c.yAt(mid) - prev.yAt(mid)
				if dy < 1.1*h || dy > 4*h {
					continue
				}
				wp, wc := prev.right-prev.left, c.right-c.left
				if math.Abs(wp-wc) > 0.12*math.Max(wp, wc) {
					continue
				}
				if math.Abs(prev.left-c.left) > 0.1*wp+h {
					continue
				}
				z = append(z, c)
			}
			if len(z) != cnt {
				continue
			}
			n := estimateCount(z)
			if n == 0 {
				continue
			}
			var width float64
			for _, l := range z {
				width += l.right - l.left
			}
			zones = append(zones, zone{lines: z, n: n, score: width})
		}
	}
	sort.Slice(zones, func(i, j int) bool { return zones[i].score > zones[j].score })
	return zones
}

// estimateCount returns the characters per line (30, 36 or 44) that fits the
// lines' length and pitch, or 0.
func estimateCount(z []*textLine) int {
	var est float64
	for _, l := range z {
		if l.latticeOK {
			est += float64(l.kmax - l.kmin + 1)
		} else {
			est += (l.right-l.left)/l.pitch + 0.3
		}
	}
	est /= float64(len(z))
	if len(z) == 3 {
		if est > 22 && est < 40 {
			return 30
		}
		return 0
	}
	switch {
	case est > 28 && est < 40.5:
		return 36
	case est >= 40.5 && est < 54:
		return 44
	}
	return 0
}

// dominantSkew returns the angle (radians) of the text rows when most of
// the ink in rows runs at a clear slant (beyond about 5 degrees), weighted
// by the components of each row.
func dominantSkew(lines []*textLine) (float64, bool) {
	var sum, wsum, all float64
	for _, l := range lines {
		n := float64(len(l.comps))
		all += n
		if math.Abs(l.b) < 0.09 {
			continue
		}
		sum += n * math.Atan(l.b)
		wsum += n
	}
	if wsum == 0 || wsum < 0.3*all {
		return 0, false
	}
	return sum / wsum, true
}
