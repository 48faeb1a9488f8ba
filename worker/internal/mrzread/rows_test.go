package mrzread

import (
	"image"
	"image/color"
	"math"
	"testing"
)

// printedRows draws n rows of 12 hollow 'characters' of cap height h
// (width 0.6 h, pitch 0.9 h) from (x0, y0), one row every 2.5 h.
func printedRows(w, hImg, x0, y0, n int, h float64) *image.Gray {
	img := image.NewGray(image.Rect(0, 0, w, hImg))
	for i := range img.Pix {
		img.Pix[i] = 235
	}
	cw := int(0.6 * h)
	stroke := max(1, int(h/6))
	for r := 0; r < n; r++ {
		top := y0 + int(2.5*h*float64(r))
		for c := 0; c < 12; c++ {
			left := x0 + int(0.9*h*float64(c))
			for y := top; y < top+int(h); y++ {
				for x := left; x < left+cw; x++ {
					if x-left < stroke || left+cw-1-x < stroke || y-top < stroke || top+int(h)-1-y < stroke {
						img.SetGray(x, y, color.Gray{Y: 30})
					}
				}
			}
		}
	}
	return img
}

func TestTextRows(t *testing.T) {
	tests := []struct {
		name   string
		region image.Rectangle
		scale  float64
		rows   int
	}{
		{"whole image, native", image.Rect(0, 0, 600, 400), 1, 3},
		{"region down-scaled", image.Rect(50, 50, 550, 350), 0.6, 3},
		{"region beyond the image", image.Rect(-200, -100, 700, 500), 0.5, 3},
		{"region without text", image.Rect(0, 300, 600, 400), 1, 0},
		{"empty region", image.Rectangle{}, 1, 0},
	}
	img := printedRows(600, 400, 100, 100, 3, 20)
	for _, tt := range tests {
		got := TextRows(img, tt.region, tt.scale)
		if len(got) != tt.rows {
			t.Errorf("%s: %d rows, want %d", tt.name, len(got), tt.rows)
			continue
		}
		for _, r := range got {
			// Rows of cap height 20 at y = 110, 160, 210 (centres),
			// from x = 100, in the image's coordinates.
			k := math.Round((r.Y - 110) / 50)
			if math.Abs(r.Height-20) > 4 || math.Abs(r.Y-(110+50*k)) > 3 || math.Abs(r.Left-100) > 4 || math.Abs(r.Slope) > 0.02 {
				t.Errorf("%s: row %+v, want height 20 at y 110+50k from x 100", tt.name, r)
			}
		}
	}
}
