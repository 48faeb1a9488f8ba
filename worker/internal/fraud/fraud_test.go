package fraud

import (
	"bytes"
	"context"
	"encoding/binary"
	"image"
	"image/color"
	"image/jpeg"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/openkyc/kyc/pkg/kyc"
	"github.com/openkyc/kyc/pkg/schema"
	"github.com/openkyc/kyc/pkg/sessions"
	"github.com/openkyc/kyc/worker/internal/pipeline"
)

// colourDoc draws a w x h colour "document": a pale guilloche of several
// hues, dark text bars and a skin-toned portrait oval, and returns it with
// the portrait's face box.
func colourDoc(w, h int) (*image.RGBA, image.Rectangle) {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	face := image.Rect(w/10, h/4, w/10+w/6, h/4+w/5)
	cx, cy := float64(face.Min.X+face.Max.X)/2, float64(face.Min.Y+face.Max.Y)/2
	rng := rand.New(rand.NewPCG(7, 7))
	// Text: words of random length on lines of random height.
	text := make([]bool, w*h)
	for y := h / 20; y < h-h/20; {
		lh := 6 + rng.IntN(10)
		for x := w / 3; x < w-w/20; {
			wl := 10 + rng.IntN(60)
			for yy := y; yy < y+lh && yy < h; yy++ {
				for xx := x; xx < x+wl && xx < w; xx++ {
					text[yy*w+xx] = rng.IntN(3) > 0
				}
			}
			x += wl + 5 + rng.IntN(15)
		}
		y += lh + 4 + rng.IntN(14)
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			fx, fy := float64(x), float64(y)
			r := 225 + 25*math.Sin(fx/9+fy/23+4*math.Sin(fy/37))
			g := 225 + 25*math.Sin(fx/13-fy/7+1+5*math.Sin(fx/41))
			b := 225 + 25*math.Sin(math.Hypot(fx-cx, fy)/6+2)
			if text[y*w+x] {
				// Text: blue and red inks.
				if (y/40)%2 == 0 {
					r, g, b = 30, 40, 140
				} else {
					r, g, b = 150, 30, 40
				}
			}
			dx, dy := (fx-cx)/float64(face.Dx()), (fy-cy)/float64(face.Dy())
			if dx*dx+dy*dy < 0.3 {
				shade := 1 - 0.5*(dx*dx+dy*dy)
				r, g, b = 220*shade, 170*shade, 140*shade
				if math.Abs(dy+0.1) < 0.06 && math.Abs(math.Abs(dx)-0.18) < 0.08 {
					r, g, b = 40, 30, 30 // eyes
				}
				if math.Abs(dy-0.3) < 0.04 && math.Abs(dx) < 0.15 {
					r, g, b = 180, 60, 70 // lips
				}
			}
			m.SetRGBA(x, y, color.RGBA{clamp8(r), clamp8(g), clamp8(b), 255})
		}
	}
	return m, face
}

// greyCopy turns img into a grey copy under a coloured light.
func greyCopy(img *image.RGBA, cast [3]float64) *image.RGBA {
	out := image.NewRGBA(img.Bounds())
	for i := 0; i < len(img.Pix); i += 4 {
		l := 0.299*float64(img.Pix[i]) + 0.587*float64(img.Pix[i+1]) + 0.114*float64(img.Pix[i+2])
		out.Pix[i], out.Pix[i+1], out.Pix[i+2], out.Pix[i+3] = clamp8(l*cast[0]), clamp8(l*cast[1]), clamp8(l*cast[2]), 255
	}
	return out
}

func TestPrintedScore(t *testing.T) {
	doc, face := colourDoc(640, 420)
	tests := []struct {
		name   string
		img    image.Image
		face   image.Rectangle
		attack bool
	}{
		{"colour document", doc, face, false},
		{"colour document, JPEG capture", SimulateCapture(doc, 1), face, false},
		{"grey copy, neutral light", greyCopy(doc, [3]float64{1, 1, 1}), face, true},
		{"grey copy, warm light", greyCopy(doc, [3]float64{1, 0.9, 0.75}), face, true},
		{"grey copy, magenta clipping", greyCopy(doc, [3]float64{1.3, 0.4, 1.2}), face, true},
		{"halftone print", SimulatePrint(doc, 1), face, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := PrintedScore(tt.img, tt.face)
			if got := s >= DefaultThresholds[CheckPrinted]; got != tt.attack {
				t.Errorf("score %.2f, attack %v, want %v", s, got, tt.attack)
			}
		})
	}
}

func TestDisplayScore(t *testing.T) {
	doc, _ := colourDoc(640, 420)
	tests := []struct {
		name   string
		img    image.Image
		attack bool
	}{
		{"document", doc, false},
		{"document, JPEG capture", SimulateCapture(doc, 2), false},
		{"screen capture", SimulateScreen(doc, 2), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := DisplayScore(tt.img)
			if got := s >= DefaultThresholds[CheckDisplay]; got != tt.attack {
				t.Errorf("score %.2f, attack %v, want %v", s, got, tt.attack)
			}
		})
	}
}

func TestLivenessScore(t *testing.T) {
	doc, face := colourDoc(640, 420)
	tests := []struct {
		name   string
		img    image.Image
		attack bool
	}{
		{"colour selfie", SimulateCapture(doc, 3), false},
		// A black-and-white photo is bona fide: no colour is not a print.
		{"black-and-white selfie", greyCopy(doc, [3]float64{1, 1, 1}), false},
		{"warm-toned grey selfie", greyCopy(doc, [3]float64{1, 0.9, 0.75}), false},
		{"replay on a screen", SimulateScreen(doc, 3), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := LivenessScore(tt.img, face)
			if got := s >= DefaultThresholds[CheckLiveness]; got != tt.attack {
				t.Errorf("score %.2f, attack %v, want %v", s, got, tt.attack)
			}
		})
	}
}

// jpegWithSoftware encodes img as JPEG with an EXIF APP1 segment whose IFD0
// holds a Software tag.
func jpegWithSoftware(t *testing.T, img image.Image, software string) []byte {
	t.Helper()
	var enc bytes.Buffer
	if err := jpeg.Encode(&enc, img, nil); err != nil {
		t.Fatal(err)
	}
	val := append([]byte(software), 0)
	tiff := []byte("MM\x00\x2a\x00\x00\x00\x08")
	tiff = binary.BigEndian.AppendUint16(tiff, 1)
	tiff = binary.BigEndian.AppendUint16(tiff, 0x0131)
	tiff = binary.BigEndian.AppendUint16(tiff, 2)
	tiff = binary.BigEndian.AppendUint32(tiff, uint32(len(val)))
	tiff = binary.BigEndian.AppendUint32(tiff, 8+2+12+4)
	tiff = binary.BigEndian.AppendUint32(tiff, 0)
	tiff = append(tiff, val...)
	app1 := append([]byte("Exif\x00\x00"), tiff...)
	seg := []byte{0xff, 0xe1}
	seg = binary.BigEndian.AppendUint16(seg, uint16(len(app1)+2))
	seg = append(seg, app1...)
	b := enc.Bytes()
	return append(append(append([]byte{}, b[:2]...), seg...), b[2:]...)
}

func TestEditedScore(t *testing.T) {
	doc, _ := colourDoc(200, 120)
	tests := []struct {
		name   string
		data   []byte
		attack bool
	}{
		{"no metadata", nil, false},
		{"camera firmware", jpegWithSoftware(t, doc, "G9820XXU1AUA1"), false},
		{"Photoshop in EXIF", jpegWithSoftware(t, doc, "Adobe Photoshop CC 2015 (Windows)"), true},
		{"GIMP in EXIF", jpegWithSoftware(t, doc, "GIMP 2.10.30"), true},
		{"XMP CreatorTool", []byte(`<x:xmpmeta><rdf:Description xmp:CreatorTool="Adobe Photoshop CC (Macintosh)"/>`), true},
		{"XMP toolkit only", []byte(`<x:xmpmeta x:xmptk="Adobe XMP Core 5.6-c140">`), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.data != nil && bytes.HasPrefix(tt.data, []byte{0xff, 0xd8}) {
				if _, err := jpeg.Decode(bytes.NewReader(tt.data)); err != nil {
					t.Fatalf("test JPEG does not decode: %v", err)
				}
			}
			s := EditedScore(doc, tt.data)
			if got := s >= DefaultThresholds[CheckEdited]; got != tt.attack {
				t.Errorf("score %.2f, attack %v, want %v", s, got, tt.attack)
			}
		})
	}
}

func TestCheckStatuses(t *testing.T) {
	sc := Scores{Edited: 1, Display: 0.1, Printed: 0.7, Liveness: 0.2}
	tests := []struct {
		name       string
		thresholds map[string]float64
		selfie     bool
		want       map[string]kyc.Status
	}{
		{"defaults, document", nil, false, map[string]kyc.Status{
			CheckEdited: kyc.StatusFailed, CheckDisplay: kyc.StatusSuccess, CheckPrinted: kyc.StatusFailed}},
		{"schema thresholds, selfie", map[string]float64{CheckPrinted: 0.8, CheckLiveness: 0.15}, true, map[string]kyc.Status{
			CheckEdited: kyc.StatusFailed, CheckDisplay: kyc.StatusSuccess, CheckPrinted: kyc.StatusSuccess, CheckLiveness: kyc.StatusFailed}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Check(sc, tt.thresholds, tt.selfie)
			if c.Caption != "fraud" || len(c.Items) != len(tt.want) {
				t.Fatalf("check %+v", c)
			}
			for _, it := range c.Items {
				if it.Status != tt.want[it.Caption] {
					t.Errorf("%s: status %s, want %s", it.Caption, it.Status, tt.want[it.Caption])
				}
			}
		})
	}
}

func TestStage(t *testing.T) {
	doc, face := colourDoc(320, 210)
	for _, typ := range []string{kyc.TypeDocument, kyc.TypeSelfie} {
		in := &pipeline.Input{Image: greyCopy(doc, [3]float64{1, 0.95, 0.9}), Schema: schema.Schema{},
			Faces: []pipeline.DetectedFace{{Rect: face}}}
		rec := &sessions.Record{Result: kyc.Result{Type: typ}}
		if err := NewStage().Run(context.Background(), in, rec); err != nil {
			t.Fatal(err)
		}
		if len(rec.Result.Checks) != 1 {
			t.Fatalf("%s: checks %+v", typ, rec.Result.Checks)
		}
		items := rec.Result.Checks[0].Items
		want := 3
		if typ == kyc.TypeSelfie {
			want = 4
		}
		if len(items) != want {
			t.Fatalf("%s: items %+v", typ, items)
		}
		if items[2].Caption != CheckPrinted || items[2].Status != kyc.StatusFailed {
			t.Errorf("%s: grey copy not flagged: %+v", typ, items[2])
		}
	}
}

// benchImage is a phone-frame-sized (1080x1920) document photo.
func benchImage() (image.Image, image.Rectangle, []byte) {
	doc, face := colourDoc(1080, 1920)
	img := SimulateCapture(doc, 9)
	var buf bytes.Buffer
	_ = jpeg.Encode(&buf, img, nil)
	return img, face, buf.Bytes()
}

func BenchmarkPrinted(b *testing.B) {
	img, face, _ := benchImage()
	for b.Loop() {
		PrintedScore(img, face)
	}
}

func BenchmarkDisplay(b *testing.B) {
	img, _, _ := benchImage()
	for b.Loop() {
		DisplayScore(img)
	}
}

func BenchmarkEdited(b *testing.B) {
	img, _, data := benchImage()
	for b.Loop() {
		EditedScore(img, data)
	}
}

func BenchmarkLiveness(b *testing.B) {
	img, face, _ := benchImage()
	for b.Loop() {
		LivenessScore(img, face)
	}
}

// BenchmarkStage is every check at once, as the stage runs them (the image
// is converted once).
func BenchmarkStage(b *testing.B) {
	img, face, data := benchImage()
	for b.Loop() {
		Measure(img, data, face).Score()
	}
}
