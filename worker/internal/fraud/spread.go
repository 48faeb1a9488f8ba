package fraud

import "math"

const (
	spreadBins = 16 // luma bins of the conditional chroma spread
)

// chromaSpread is the colour variety of the pixels of p inside the
// rectangle [x0,x1)x[y0,y1): the root mean square deviation of their chroma
// (B-Y, R-Y, 0..255 units) from the mean chroma of the pixels of the same
// luma. A grey copy photographed under any light, white balance or colour
// clipping keeps one colour per luma level (a curve through RGB space) and
// scores near the sensor noise; a colour document has inks of different
// hues at the same luma and scores tens of units.
func chromaSpread(p *rgbPlanes, x0, y0, x1, y1 int) (spread float64, lumaStd float64) {
	var n [spreadBins]float64
	var scb, scr, scb2, scr2 [spreadBins]float64
	var sy, sy2, cnt float64
	for y := y0; y < y1; y++ {
		for x := x0; x < x1; x++ {
			i := y*p.w + x
			r, g, b := float64(p.r[i]), float64(p.g[i]), float64(p.b[i])
			l := 0.299*r + 0.587*g + 0.114*b
			cb, cr := b-l, r-l
			k := min(int(l*spreadBins/256), spreadBins-1)
			n[k]++
			scb[k] += cb
			scr[k] += cr
			scb2[k] += cb * cb
			scr2[k] += cr * cr
			sy += l
			sy2 += l * l
			cnt++
		}
	}
	if cnt == 0 {
		return 0, 0
	}
	var ss, m float64
	for k := range n {
		if n[k] < 4 {
			continue
		}
		ss += scb2[k] - scb[k]*scb[k]/n[k] + scr2[k] - scr[k]*scr[k]/n[k]
		m += n[k]
	}
	mean := sy / cnt
	lumaStd = math.Sqrt(max(0, sy2/cnt-mean*mean))
	if m == 0 {
		return 0, lumaStd
	}
	return math.Sqrt(max(0, ss/m)), lumaStd
}

// tileSpreads computes chromaSpread over tiles of side t and returns the
// spreads of the tiles with content (luma standard deviation above
// minStd).
func tileSpreads(p *rgbPlanes, t int, minStd float64) []float64 {
	var out []float64
	for y := 0; y+t <= p.h; y += t {
		for x := 0; x+t <= p.w; x += t {
			s, sd := chromaSpread(p, x, y, x+t, y+t)
			if sd >= minStd {
				out = append(out, s)
			}
		}
	}
	return out
}
