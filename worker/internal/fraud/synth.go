package fraud

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"math"
	"math/rand/v2"
)

// Synthetic attacks, made from a bona fide image with a fixed seed, for
// tests and for the evaluator's synthetic report. They model the physics
// only roughly; they measure whether each detector reacts to the artefact it
// is built for, not how it fares on real attacks.

// SimulatePrint renders img as a photographed greyscale laser copy: grey
// levels turned into a 45-degree clustered-dot halftone (period cell
// pixels at twice the size), scaled back, with a warm colour cast, sensor
// noise and JPEG compression.
func SimulatePrint(img image.Image, seed uint64) image.Image {
	p := toPlanes(img)
	rng := rand.New(rand.NewPCG(seed, 1))
	const up, cell = 2, 6.0
	out := image.NewRGBA(image.Rect(0, 0, p.w, p.h))
	lum := p.luma()
	c, s := math.Cos(math.Pi/4), math.Sin(math.Pi/4)
	cast := [3]float64{1.0, 0.96, 0.88}
	for y := 0; y < p.h; y++ {
		for x := 0; x < p.w; x++ {
			var ink float64
			for dy := 0; dy < up; dy++ {
				for dx := 0; dx < up; dx++ {
					X, Y := float64(x*up+dx), float64(y*up+dy)
					u, v := (c*X+s*Y)/cell, (-s*X+c*Y)/cell
					fu, fv := u-math.Floor(u)-0.5, v-math.Floor(v)-0.5
					d := math.Sqrt(fu*fu+fv*fv) / 0.7071 // 0 at the dot centre, 1 at a corner
					dark := 1 - float64(lum[y*p.w+x])/255
					if d < math.Sqrt(dark) {
						ink++
					}
				}
			}
			v := 245 - 225*ink/float64(up*up)
			n := rng.NormFloat64() * 3
			var px [3]uint8
			for k := range px {
				px[k] = clamp8(v*cast[k] + n)
			}
			out.SetRGBA(x, y, color.RGBA{px[0], px[1], px[2], 255})
		}
	}
	return jpegRoundTrip(out, 88)
}

// SimulateScreen renders img as photographed off a display: each source
// pixel lit as vertical red, green and blue subpixel stripes with a dark
// gap, sampled by the camera at a slightly rotated, non-integer pitch
// (which folds the subpixel grid into moiré), with a cool cast, glare,
// noise and JPEG compression.
func SimulateScreen(img image.Image, seed uint64) image.Image {
	p := toPlanes(img)
	rng := rand.New(rand.NewPCG(seed, 2))
	const sub = 4 // screen pixels are 4x4 camera units: R, G, B stripes and a gap
	scale := 1.0 / 1.37
	ang := 2.0 * math.Pi / 180
	W, H := p.w, p.h
	out := image.NewRGBA(image.Rect(0, 0, W, H))
	c, s := math.Cos(ang), math.Sin(ang)
	for y := 0; y < H; y++ {
		for x := 0; x < W; x++ {
			// Camera pixel -> screen coordinates in subpixel units.
			fx := (c*float64(x)-s*float64(y))*sub*scale + float64(W)*0.1
			fy := (s*float64(x)+c*float64(y))*sub*scale + float64(H)*0.1
			sx, sy := int(fx/sub), int(fy/sub)
			sx, sy = min(max(sx, 0), p.w-1), min(max(sy, 0), p.h-1)
			i := sy*p.w + sx
			phase := (int(math.Floor(fx))%sub + sub) % sub
			row := (int(math.Floor(fy))%sub + sub) % sub
			var rgb [3]float64
			if phase < 3 && row != 3 {
				rgb[phase] = 3 * float64([3]float32{p.r[i], p.g[i], p.b[i]}[phase])
			}
			gx, gy := float64(x)/float64(W)-0.7, float64(y)/float64(H)-0.3
			glare := 60 * math.Exp(-(gx*gx+gy*gy)/0.02)
			n := rng.NormFloat64() * 2
			out.SetRGBA(x, y, color.RGBA{
				clamp8(0.5*rgb[0] + glare + n + 10),
				clamp8(0.5*rgb[1] + glare + n + 12),
				clamp8(0.55*rgb[2] + glare + n + 16), 255})
		}
	}
	return jpegRoundTrip(blur3(out), 88)
}

// SimulateSplice pastes into img a rectangle (a third of each side, at the
// portrait's usual place on the left) taken from donor after the donor was
// saved as a low-quality JPEG and shifted off the 8x8 grid, then saves the
// whole at quality 92, like a forger's export.
func SimulateSplice(img, donor image.Image, seed uint64) image.Image {
	rng := rand.New(rand.NewPCG(seed, 3))
	b := img.Bounds()
	out := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			out.Set(x, y, img.At(b.Min.X+x, b.Min.Y+y))
		}
	}
	d := jpegRoundTrip(donor, 50+rng.IntN(20))
	db := d.Bounds()
	rw, rh := b.Dx()/3, b.Dy()/3
	x0, y0 := b.Dx()/16+3, b.Dy()/4+5
	ox, oy := rng.IntN(max(1, db.Dx()-rw)), rng.IntN(max(1, db.Dy()-rh))
	for y := 0; y < rh && y+y0 < b.Dy(); y++ {
		for x := 0; x < rw && x+x0 < b.Dx(); x++ {
			out.Set(x0+x, y0+y, d.At(db.Min.X+(ox+x)%db.Dx(), db.Min.Y+(oy+y)%db.Dy()))
		}
	}
	return jpegRoundTrip(out, 92)
}

// SimulateCapture is the bona fide counterpart of the simulations: the same
// noise and JPEG compression without the attack.
func SimulateCapture(img image.Image, seed uint64) image.Image {
	p := toPlanes(img)
	rng := rand.New(rand.NewPCG(seed, 4))
	out := image.NewRGBA(image.Rect(0, 0, p.w, p.h))
	for i := range p.r {
		n := rng.NormFloat64() * 2
		out.Pix[4*i] = clamp8(float64(p.r[i]) + n)
		out.Pix[4*i+1] = clamp8(float64(p.g[i]) + n)
		out.Pix[4*i+2] = clamp8(float64(p.b[i]) + n)
		out.Pix[4*i+3] = 255
	}
	return jpegRoundTrip(out, 88)
}

func blur3(m *image.RGBA) *image.RGBA {
	b := m.Bounds()
	out := image.NewRGBA(b)
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			var s [3]int
			n := 0
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					X, Y := x+dx, y+dy
					if X < 0 || Y < 0 || X >= b.Dx() || Y >= b.Dy() {
						continue
					}
					o := Y*m.Stride + 4*X
					s[0] += int(m.Pix[o])
					s[1] += int(m.Pix[o+1])
					s[2] += int(m.Pix[o+2])
					n++
				}
			}
			o := y*out.Stride + 4*x
			out.Pix[o], out.Pix[o+1], out.Pix[o+2], out.Pix[o+3] = uint8(s[0]/n), uint8(s[1]/n), uint8(s[2]/n), 255
		}
	}
	return out
}

func jpegRoundTrip(img image.Image, q int) image.Image {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: q}); err != nil {
		return img
	}
	out, err := jpeg.Decode(&buf)
	if err != nil {
		return img
	}
	return out
}

func clamp8(v float64) uint8 {
	return uint8(min(max(math.Round(v), 0), 255))
}
