package locate

import (
	"context"
	"image"
	"math"
	"testing"
)

// synthetic renders a white document of layout l (pxmm pixels per mm) with
// an MRZ of glyph-like blocks, turned by angle (radians, clockwise in image
// coordinates), centred on a dark w×h canvas. It returns the image, the
// document's corners and the MRZ's bounding box.
func synthetic(l Layout, pxmm, angle float64, w, h int) (*image.Gray, Quad, image.Rectangle) {
	img := image.NewGray(image.Rect(0, 0, w, h))
	dw, dh := l.Width*pxmm, l.Height*pxmm
	cx, cy := float64(w)/2, float64(h)/2
	ux, uy := math.Cos(angle), math.Sin(angle)
	vx, vy := -uy, ux
	toImg := func(x, y float64) Point { // document coordinates, origin top-left
		x, y = x-dw/2, y-dh/2
		return Point{cx + x*ux + y*vx, cy + x*uy + y*vy}
	}
	pitch := 2.54 * pxmm
	capH := 2.4 * pxmm
	rowStep := 4.2 * pxmm
	lastBottom := dh - l.Bottom*pxmm
	textW := float64(l.Chars-1)*pitch + 0.72*pitch
	x0 := (dw - textW) / 2
	ink := func(x, y float64) bool {
		for r := 0; r < l.Lines; r++ {
			bot := lastBottom - float64(l.Lines-1-r)*rowStep
			if y < bot-capH || y >= bot {
				continue
			}
			k := (x - x0) / pitch
			if k < 0 || k >= float64(l.Chars) {
				return false
			}
			return k-math.Floor(k) < 0.72
		}
		return false
	}
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range []Point{{x0, lastBottom - float64(l.Lines-1)*rowStep - capH}, {x0 + textW, lastBottom - float64(l.Lines-1)*rowStep - capH}, {x0, lastBottom}, {x0 + textW, lastBottom}} {
		q := toImg(p.X, p.Y)
		minX, minY, maxX, maxY = math.Min(minX, q.X), math.Min(minY, q.Y), math.Max(maxX, q.X), math.Max(maxY, q.Y)
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			px, py := float64(x)+0.5-cx, float64(y)+0.5-cy
			dx, dy := px*ux+py*uy+dw/2, px*vx+py*vy+dh/2
			v := uint8(40)
			if dx >= 0 && dx < dw && dy >= 0 && dy < dh {
				v = 225
				if ink(dx, dy) {
					v = 20
				}
			}
			img.Pix[y*img.Stride+x] = v
		}
	}
	pad := 0.6 * pitch
	band := image.Rect(int(minX-pad), int(minY-pad), int(maxX+pad), int(maxY+pad))
	return img, Quad{toImg(0, 0), toImg(dw, 0), toImg(dw, dh), toImg(0, dh)}, band
}

func TestLocateSynthetic(t *testing.T) {
	tests := []struct {
		name     string
		l        Layout
		angle    float64 // degrees
		rotation int
	}{
		{"TD3 upright", TD3, 0, 0},
		{"TD3 skewed", TD3, 6, 0},
		{"TD1 skewed the other way", TD1, -9, 0},
		{"TD2 quarter turn", TD2, -90 + 3, 90},
		{"TD3 upside down", TD3, 180 - 2, 180},
		{"MRVA three quarters", MRVA, 90, 270},
	}
	for _, tt := range tests {
		img, want, band := synthetic(tt.l, 7, tt.angle*math.Pi/180, 1300, 1300)
		res, err := Locate(context.Background(), img, MRZ{Band: band, Rotation: tt.rotation, Layout: tt.l})
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		for i := range want {
			if d := math.Hypot(res.Quad[i].X-want[i].X, res.Quad[i].Y-want[i].Y); d > 10 {
				t.Errorf("%s: corner %d at %.0f, want %.0f (%.0f px off); refined %d", tt.name, i, res.Quad[i], want[i], d, res.Refined)
			}
		}
		if res.Refined != 4 {
			t.Errorf("%s: %d sides refined, want 4", tt.name, res.Refined)
		}
	}
}

func TestLocateNoDocument(t *testing.T) {
	img := image.NewGray(image.Rect(0, 0, 200, 200))
	if _, err := Locate(context.Background(), img, MRZ{Band: image.Rect(10, 10, 190, 40), Layout: TD3}); err == nil {
		t.Error("outline found in a blank image")
	}
	if _, err := Locate(context.Background(), img, MRZ{Band: image.Rect(10, 10, 190, 40)}); err == nil {
		t.Error("outline found without a layout")
	}
}

func TestLayoutFor(t *testing.T) {
	tests := []struct {
		lines, chars int
		visa         bool
		want         string
	}{
		{3, 30, false, "TD1"}, {2, 36, false, "TD2"}, {2, 44, false, "TD3"},
		{2, 36, true, "MRVB"}, {2, 44, true, "MRVA"}, {3, 44, false, ""}, {2, 30, false, ""},
	}
	for _, tt := range tests {
		l, ok := LayoutFor(tt.lines, tt.chars, tt.visa)
		if ok != (tt.want != "") || l.Name != tt.want {
			t.Errorf("LayoutFor(%d, %d, %v) = %s %v, want %q", tt.lines, tt.chars, tt.visa, l.Name, ok, tt.want)
		}
	}
}

func TestSquareToQuad(t *testing.T) {
	quads := []Quad{
		{{0, 0}, {100, 0}, {100, 50}, {0, 50}},
		{{10, 20}, {110, 30}, {100, 90}, {5, 70}},
	}
	for _, q := range quads {
		m := squareToQuad(q)
		for i, uv := range [4][2]float64{{0, 0}, {1, 0}, {1, 1}, {0, 1}} {
			x, y := m.apply(uv[0], uv[1])
			if math.Hypot(x-q[i].X, y-q[i].Y) > 1e-6 {
				t.Errorf("%v: corner %d maps to (%.3f, %.3f)", q, i, x, y)
			}
		}
	}
}

func TestRectify(t *testing.T) {
	// A 40×20 rectangle, turned upside down: rectifying its quad listed
	// from its bottom-right corner turns it back.
	img := image.NewGray(image.Rect(0, 0, 60, 40))
	for y := 10; y < 30; y++ {
		for x := 10; x < 50; x++ {
			img.Pix[y*img.Stride+x] = 200
		}
	}
	img.Pix[29*img.Stride+49] = 0 // a dark pixel in the bottom-right corner
	out := Rectify(img, Quad{{50, 30}, {10, 30}, {10, 10}, {50, 10}}, 40, 20)
	if got := out.Bounds(); got.Dx() != 40 || got.Dy() != 20 {
		t.Fatalf("size %v", got)
	}
	if v := out.Pix[0]; v > 120 {
		t.Errorf("top-left pixel %d, want the dark corner", v)
	}
	if v := out.Pix[out.PixOffset(20, 10)]; v != 200 {
		t.Errorf("middle pixel %d, want 200", v)
	}
	if w, h := Size(Quad{{0, 0}, {2000, 0}, {2000, 1400}, {0, 1400}}, TD3, 400, 1200); w != 1200 || h != 845 {
		t.Errorf("Size = %d×%d, want 1200×845", w, h)
	}
}
