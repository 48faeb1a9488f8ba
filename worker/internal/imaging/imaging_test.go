package imaging

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"slices"
	"testing"

	"github.com/openkyc/kyc/pkg/kyc"
)

// grid is a 3x2 image whose pixel (x, y) has red value 10*(y*3+x)+1.
func grid() *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, 3, 2))
	for y := range 2 {
		for x := range 3 {
			img.Set(x, y, color.NRGBA{R: uint8(10*(y*3+x) + 1), A: 255})
		}
	}
	return img
}

func reds(img image.Image) [][]uint8 {
	b := img.Bounds()
	out := make([][]uint8, b.Dy())
	for y := range b.Dy() {
		for x := range b.Dx() {
			r, _, _ := rgb(img.At(b.Min.X+x, b.Min.Y+y))
			out[y] = append(out[y], r)
		}
	}
	return out
}

func TestOrient(t *testing.T) {
	// Source rows: [1 11 21] [31 41 51].
	tests := []struct {
		o    int
		want [][]uint8
	}{
		{1, [][]uint8{{1, 11, 21}, {31, 41, 51}}},
		{2, [][]uint8{{21, 11, 1}, {51, 41, 31}}},
		{3, [][]uint8{{51, 41, 31}, {21, 11, 1}}},
		{4, [][]uint8{{31, 41, 51}, {1, 11, 21}}},
		{5, [][]uint8{{1, 31}, {11, 41}, {21, 51}}},
		{6, [][]uint8{{31, 1}, {41, 11}, {51, 21}}},
		{7, [][]uint8{{51, 21}, {41, 11}, {31, 1}}},
		{8, [][]uint8{{21, 51}, {11, 41}, {1, 31}}},
	}
	for _, tt := range tests {
		got := reds(Orient(grid(), tt.o))
		if !slices.EqualFunc(got, tt.want, slices.Equal) {
			t.Errorf("Orient(%d) = %v, want %v", tt.o, got, tt.want)
		}
	}
}

func fill(w, h int, c color.Color) image.Image {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, c)
		}
	}
	return img
}

func TestGeneralErrors(t *testing.T) {
	tests := []struct {
		name         string
		img          image.Image
		want         []string
		recognisable bool
	}{
		{"fine", fill(400, 300, color.NRGBA{180, 120, 90, 255}), nil, true},
		{"too small", fill(299, 200, color.NRGBA{180, 120, 90, 255}), []string{kyc.ErrTooSmallImage}, false},
		{"grey", image.NewGray(image.Rect(0, 0, 400, 400)), []string{kyc.ErrBlackAndWhite, kyc.ErrLowLight}, true},
		{"grey bright", fill(400, 300, color.NRGBA{200, 200, 200, 255}), []string{kyc.ErrBlackAndWhite}, true},
		{"dark", fill(400, 300, color.NRGBA{30, 20, 10, 255}), []string{kyc.ErrLowLight}, true},
		{"lit subject in black borders", letterbox(), nil, true},
	}
	for _, tt := range tests {
		errs, ok := GeneralErrors(tt.img)
		if !slices.Equal(errs, tt.want) || ok != tt.recognisable {
			t.Errorf("%s: GeneralErrors = %v, %v; want %v, %v", tt.name, errs, ok, tt.want, tt.recognisable)
		}
	}
}

func TestDecode(t *testing.T) {
	var pngBuf bytes.Buffer
	if err := png.Encode(&pngBuf, fill(320, 240, color.NRGBA{1, 2, 3, 255})); err != nil {
		t.Fatal(err)
	}
	jpg, err := EncodeJPEG(fill(320, 240, color.NRGBA{100, 50, 25, 255}), 90)
	if err != nil {
		t.Fatal(err)
	}
	// A PNG header declaring 20000x20000 with no pixel data behind it.
	bomb := append([]byte(nil), pngBuf.Bytes()[:33]...)
	copy(bomb[16:24], []byte{0, 0, 0x4e, 0x20, 0, 0, 0x4e, 0x20})
	binary.BigEndian.PutUint32(bomb[29:33], crc32.ChecksumIEEE(bomb[12:29]))
	tests := []struct {
		name    string
		data    []byte
		wantErr error
		format  string
	}{
		{"png", pngBuf.Bytes(), nil, "png"},
		{"jpeg", jpg, nil, "jpeg"},
		{"text", []byte("hello, this is not an image"), ErrUndecodable, ""},
		{"truncated jpeg", jpg[:len(jpg)/2], ErrUndecodable, ""},
		{"bomb", bomb, ErrTooManyPixels, ""},
	}
	for _, tt := range tests {
		img, format, err := Decode(tt.data, 40_000_000)
		if !errors.Is(err, tt.wantErr) {
			t.Errorf("%s: err = %v, want %v", tt.name, err, tt.wantErr)
			continue
		}
		if tt.wantErr == nil && (format != tt.format || img.Bounds().Dx() != 320) {
			t.Errorf("%s: format %q bounds %v", tt.name, format, img.Bounds())
		}
	}
}

// letterbox is a bright colourful picture (a fifth of the frame) between
// wide black borders: dark on average, but not a low-light photo.
func letterbox() image.Image {
	img := image.NewNRGBA(image.Rect(0, 0, 800, 450))
	for y := range 450 {
		for x := 320; x < 480; x++ {
			img.Set(x, y, color.NRGBA{220, 180, 150, 255})
		}
	}
	for y := range 450 {
		for x := range 800 {
			if x < 320 || x >= 480 {
				img.Set(x, y, color.NRGBA{0, 0, 0, 255})
			}
		}
	}
	return img
}
