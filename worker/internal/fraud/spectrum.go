package fraud

import (
	"math"
	"math/cmplx"
	"sort"
)

const (
	specWin   = 128 // side of an analysis window, pixels at full resolution
	specGrid  = 3   // windows per side of the central analysis grid
	specMinR  = 6   // lowest spectral radius searched (cycles per window)
	specRings = specWin / 2
)

// fft computes the in-place radix-2 discrete Fourier transform of a
// (len(a) a power of two).
func fft(a []complex128) {
	n := len(a)
	for i, j := 1, 0; i < n; i++ {
		bit := n >> 1
		for ; j&bit != 0; bit >>= 1 {
			j ^= bit
		}
		j ^= bit
		if i < j {
			a[i], a[j] = a[j], a[i]
		}
	}
	for size := 2; size <= n; size <<= 1 {
		w := cmplx.Exp(complex(0, -2*math.Pi/float64(size)))
		for start := 0; start < n; start += size {
			wk := complex(1, 0)
			for k := 0; k < size/2; k++ {
				u, v := a[start+k], a[start+k+size/2]*wk
				a[start+k], a[start+k+size/2] = u+v, u-v
				wk *= w
			}
		}
	}
}

var hann = func() [specWin]float64 {
	var h [specWin]float64
	for i := range h {
		h[i] = 0.5 - 0.5*math.Cos(2*math.Pi*float64(i)/float64(specWin-1))
	}
	return h
}()

// peakiness is the strength of the strongest periodic pattern in a
// specWin x specWin window of plane (row stride w) at (x0, y0): the largest
// ratio, in log10, of a spectral power to the median power of its ring
// (same frequency radius, every direction), over radii from specMinR to
// Nyquist. Natural scenes and print have smooth, direction-spread spectra
// (about 1); a halftone screen, a display's pixel grid or its moiré put
// their energy into a few isolated peaks (2 and more).
func peakiness(plane []float32, w, x0, y0 int) float64 {
	buf := make([]complex128, specWin*specWin)
	var mean float64
	for y := 0; y < specWin; y++ {
		for x := 0; x < specWin; x++ {
			mean += float64(plane[(y0+y)*w+x0+x])
		}
	}
	mean /= specWin * specWin
	for y := 0; y < specWin; y++ {
		for x := 0; x < specWin; x++ {
			v := (float64(plane[(y0+y)*w+x0+x]) - mean) * hann[x] * hann[y]
			buf[y*specWin+x] = complex(v, 0)
		}
	}
	row := make([]complex128, specWin)
	for y := 0; y < specWin; y++ {
		fft(buf[y*specWin : (y+1)*specWin])
	}
	for x := 0; x < specWin; x++ {
		for y := 0; y < specWin; y++ {
			row[y] = buf[y*specWin+x]
		}
		fft(row)
		for y := 0; y < specWin; y++ {
			buf[y*specWin+x] = row[y]
		}
	}
	// Half plane (the spectrum of a real signal is symmetric).
	rings := make([][]float64, specRings+1)
	type bin struct {
		r int
		p float64
	}
	var bins []bin
	for v := 0; v <= specWin/2; v++ {
		for u := -specWin/2 + 1; u <= specWin/2; u++ {
			if v == 0 && u <= 0 {
				continue
			}
			r := int(math.Round(math.Hypot(float64(u), float64(v))))
			if r < specMinR || r > specRings {
				continue
			}
			p := cmplx.Abs(buf[v*specWin+(u+specWin)%specWin])
			p *= p
			rings[r] = append(rings[r], p)
			bins = append(bins, bin{r, p})
		}
	}
	med := make([]float64, len(rings))
	for r, ps := range rings {
		if len(ps) == 0 {
			continue
		}
		s := append([]float64(nil), ps...)
		sort.Float64s(s)
		med[r] = s[len(s)/2]
	}
	best := 0.0
	for _, b := range bins {
		if med[b.r] > 0 {
			best = max(best, b.p/med[b.r])
		}
	}
	if best <= 1 {
		return 0
	}
	return math.Log10(best)
}

// planePeakiness is the median peakiness over a grid of windows across the
// centre of a plane of size w x h; 0 when the plane is smaller than one
// window.
func planePeakiness(plane []float32, w, h int) float64 {
	if w < specWin || h < specWin {
		return 0
	}
	var vals []float64
	for gy := 0; gy < specGrid; gy++ {
		for gx := 0; gx < specGrid; gx++ {
			x0 := (w - specWin) * (gx + 1) / (specGrid + 1)
			y0 := (h - specWin) * (gy + 1) / (specGrid + 1)
			vals = append(vals, peakiness(plane, w, x0, y0))
		}
	}
	return percentile(vals, 0.5)
}
