package locate

import "math"

// side is one side of the outline in the MRZ frame: a horizontal side is
// the line v = pos + tilt*u, a vertical one u = pos + tilt*v. normal is -1
// for the top and left sides, +1 for the bottom and right ones.
type side struct {
	pos, tilt float64
	normal    float64
	horiz     bool
}

// grad holds the image's gradient (central differences, grey levels per
// pixel).
type grad struct {
	w, h   int
	gx, gy []float32
}

func gradients(g *grayImg) *grad {
	r := &grad{w: g.w, h: g.h, gx: make([]float32, g.w*g.h), gy: make([]float32, g.w*g.h)}
	for y := 1; y < g.h-1; y++ {
		for x := 1; x < g.w-1; x++ {
			i := y*g.w + x
			r.gx[i] = (g.p[i+1] - g.p[i-1]) / 2
			r.gy[i] = (g.p[i+g.w] - g.p[i-g.w]) / 2
		}
	}
	return r
}

// Edge search bounds.
const (
	// minEdge is the mean gradient across a side (grey levels per pixel)
	// below which a side keeps its prediction.
	minEdge = 6
	// maxTilt is the largest tilt searched (about 4.6 degrees).
	maxTilt = 0.08
	// inside is the smallest fraction of a side's samples that must fall
	// inside the image.
	inside = 0.6
)

// score is the mean gradient across the line of s over its middle 80%,
// signed consistently (a document edge is one long step of one polarity;
// text lines alternate), with the along-side extent [a0, a1].
func (gr *grad) score(f mrzFrame, s side, a0, a1 float64) float64 {
	const n = 160
	var sum float64
	in := 0
	norm := math.Hypot(1, s.tilt)
	for k := 0; k < n; k++ {
		a := a0 + (a1-a0)*(0.1+0.8*(float64(k)+0.5)/n)
		var u, v, nu, nv float64
		if s.horiz {
			u, v = a, s.pos+s.tilt*a
			nu, nv = -s.tilt/norm, 1/norm
		} else {
			u, v = s.pos+s.tilt*a, a
			nu, nv = 1/norm, -s.tilt/norm
		}
		p := f.toImage(u, v)
		x, y := int(p.X), int(p.Y)
		if x < 1 || y < 1 || x >= gr.w-1 || y >= gr.h-1 {
			continue
		}
		in++
		nx := nu*f.ux + nv*f.vx
		ny := nu*f.uy + nv*f.vy
		i := y*gr.w + x
		sum += float64(gr.gx[i])*nx + float64(gr.gy[i])*ny
	}
	if float64(in) < inside*n {
		return 0
	}
	return math.Abs(sum) / float64(in)
}

// refineSide moves s onto the strongest straight edge near its prediction,
// staying clear of the MRZ, and reports whether it moved. all are the four
// predicted sides (for the along-side extent), s the scale in px per mm.
func refineSide(gr *grad, f mrzFrame, s *side, all [4]side, l Layout, pxmm float64) bool {
	var a0, a1 float64
	if s.horiz {
		a0, a1 = all[3].pos, all[1].pos
	} else {
		a0, a1 = all[0].pos, all[2].pos
	}
	span := 0.1 * math.Min(l.Width, l.Height) * pxmm
	lo, hi := s.pos-span, s.pos+span
	// Stay clear of the MRZ's ink.
	margin := 0.8 * pxmm
	switch {
	case s.horiz && s.normal > 0:
		lo = math.Max(lo, f.v1+margin)
	case s.horiz:
		hi = math.Min(hi, f.v0-margin)
	case s.normal > 0:
		lo = math.Max(lo, f.u1+margin)
	default:
		hi = math.Min(hi, f.u0-margin)
	}
	if lo >= hi {
		return false
	}
	best, bestS := *s, 0.0
	// The tilt is about the side's middle: pos moves so that the middle
	// stays at the searched offset.
	mid := (a0 + a1) / 2
	step := math.Max(1, pxmm*0.25)
	for off := lo; off <= hi; off += step {
		for t := -maxTilt; t <= maxTilt+1e-9; t += 0.01 {
			c := side{pos: off - t*mid, tilt: t, normal: s.normal, horiz: s.horiz}
			if sc := gr.score(f, c, a0, a1); sc > bestS {
				best, bestS = c, sc
			}
		}
	}
	if bestS < minEdge {
		return false
	}
	// Fine tilt around the best.
	off := best.pos + best.tilt*mid
	for t := best.tilt - 0.01; t <= best.tilt+0.01; t += 0.0025 {
		for _, d := range []float64{-step / 2, 0, step / 2} {
			c := side{pos: off + d - t*mid, tilt: t, normal: s.normal, horiz: s.horiz}
			if sc := gr.score(f, c, a0, a1); sc > bestS {
				best, bestS = c, sc
			}
		}
	}
	*s = best
	return true
}
