package document

import (
	"image"
	"image/color"
	"testing"

	"github.com/openkyc/kyc/worker/internal/mrzread"
	"github.com/openkyc/kyc/worker/internal/pipeline"
)

// fieldRows are rows of print right of a 100 px face at (100, 100): cap
// height h, one row every 2.5 h from the face's top.
func fieldRows(n int, h, slope float64) []mrzread.TextRow {
	rows := make([]mrzread.TextRow, n)
	for i := range rows {
		rows[i] = mrzread.TextRow{Left: 220, Right: 400, Y: 100 + 2.5*h*float64(i), Height: h, Slope: slope, Chars: 10}
	}
	return rows
}

func TestPortraitRows(t *testing.T) {
	face := image.Rect(100, 100, 200, 200)
	inFace := mrzread.TextRow{Left: 120, Right: 180, Y: 150, Height: 10, Chars: 5}
	split := mrzread.TextRow{Left: 300, Right: 380, Y: 101, Height: 10, Chars: 5}
	labels := fieldRows(3, 12, 0)
	for i := range labels {
		labels[i].Y += 15 // between the values' lines
		labels[i].Height = 6
	}
	crooked := fieldRows(3, 10, 0)
	crooked[2].Slope = 0.1
	tests := []struct {
		name string
		rows []mrzread.TextRow
		want int
	}{
		{"none", nil, 0},
		{"card fields", fieldRows(5, 12, 0.02), 5},
		{"labels and values", append(fieldRows(3, 12, 0), labels...), 6},
		{"print too small (held document)", fieldRows(5, 3, 0), 0},
		{"letters too large (poster)", fieldRows(5, 40, 0), 0},
		{"steep rows", fieldRows(4, 12, 0.3), 0},
		{"one row out of parallel", crooked, 2},
		{"row across the face", append(fieldRows(2, 10, 0), inFace), 2},
		{"one line split in two", append(fieldRows(2, 10, 0), split), 2},
	}
	for _, tt := range tests {
		if got := PortraitRows(face, tt.rows); got != tt.want {
			t.Errorf("%s: PortraitRows = %d, want %d", tt.name, got, tt.want)
		}
	}
}

func TestClassifyWithoutMRZ(t *testing.T) {
	portrait := pipeline.DetectedFace{Rect: image.Rect(100, 100, 200, 200)}
	ghost := pipeline.DetectedFace{Rect: image.Rect(500, 120, 540, 160)}
	person := pipeline.DetectedFace{Rect: image.Rect(0, 0, 600, 600)}
	text := func(rows []mrzread.TextRow) func(image.Rectangle) []mrzread.TextRow {
		return func(image.Rectangle) []mrzread.TextRow { return rows }
	}
	tests := []struct {
		name  string
		faces []pipeline.DetectedFace
		text  func(image.Rectangle) []mrzread.TextRow
		want  Decision
	}{
		{"nothing", nil, text(fieldRows(5, 12, 0)), Decision{ClassUnknown, -1, -1}},
		{"card front", []pipeline.DetectedFace{portrait, ghost}, text(fieldRows(5, 12, 0)), Decision{ClassDocument, -1, 0}},
		{"two rows only", []pipeline.DetectedFace{portrait}, text(fieldRows(2, 12, 0)), Decision{ClassSelfie, 0, -1}},
		{"selfie", []pipeline.DetectedFace{person}, text(nil), Decision{ClassSelfie, 0, -1}},
		// A card held by a person: its print is tiny against their face.
		{"selfie with a card", []pipeline.DetectedFace{person}, text(fieldRows(5, 12, 0)), Decision{ClassSelfie, 0, -1}},
		{"no text finder", []pipeline.DetectedFace{portrait}, nil, Decision{ClassSelfie, 0, -1}},
	}
	for _, tt := range tests {
		if got := Classify(tt.faces, nil, tt.text); got != tt.want {
			t.Errorf("%s: Classify = %+v, want %+v", tt.name, got, tt.want)
		}
	}
}

func TestPortraitRegion(t *testing.T) {
	r, scale := PortraitRegion(image.Rect(100, 100, 300, 300))
	if want := image.Rect(-500, -100, 1000, 600); r != want {
		t.Errorf("region = %v, want %v", r, want)
	}
	if scale != 0.5 {
		t.Errorf("scale = %v, want 0.5", scale)
	}
}

func TestPortraitTextFaceSize(t *testing.T) {
	// A page of rows of print beside a face box; only the face's size
	// relative to the image changes.
	img := image.NewGray(image.Rect(0, 0, 1000, 1000))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	for row := 0; row < 6; row++ {
		y0 := 300 + row*40
		for x := 520; x < 900; x += 14 {
			for y := y0; y < y0+16; y++ {
				for dx := 0; dx < 8; dx++ {
					img.SetGray(x+dx, y, color.Gray{})
				}
			}
		}
	}
	tests := []struct {
		name string
		face image.Rectangle
		none bool
	}{
		{"portrait-sized face", image.Rect(300, 280, 500, 480), false},
		{"face over 0.45 of the image", image.Rect(20, 40, 500, 520), true},
	}
	for _, tt := range tests {
		rows := PortraitText(img, tt.face)
		if tt.none != (len(rows) == 0) {
			t.Errorf("%s: %d rows, want none: %v", tt.name, len(rows), tt.none)
		}
	}
}
