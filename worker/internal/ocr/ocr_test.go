package ocr

import (
	"context"
	"image"
	"image/draw"
	"strings"
	"testing"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

// rendered draws lines of text in basicfont, magnified by scale, black on
// white.
func rendered(lines []string, scale int) *image.Gray {
	small := image.NewGray(image.Rect(0, 0, 260, 20*len(lines)+10))
	draw.Draw(small, small.Bounds(), image.White, image.Point{}, draw.Src)
	d := font.Drawer{Dst: small, Src: image.Black, Face: basicfont.Face7x13}
	for i, l := range lines {
		d.Dot = fixed.P(10, 20*(i+1))
		d.DrawString(l)
	}
	b := small.Bounds()
	big := image.NewGray(image.Rect(0, 0, b.Dx()*scale, b.Dy()*scale))
	for y := 0; y < big.Rect.Dy(); y++ {
		for x := 0; x < big.Rect.Dx(); x++ {
			big.Pix[y*big.Stride+x] = small.Pix[(y/scale)*small.Stride+x/scale]
		}
	}
	return big
}

func TestRead(t *testing.T) {
	p := NewPool(1)
	defer p.Close()
	img := rendered([]string{"SURNAME ERIKSSON", "DATE OF BIRTH 12.08.1974"}, 3)
	// Twice: the second read reuses the pooled client.
	for i := 0; i < 2; i++ {
		lines, err := p.Read(context.Background(), img)
		if err != nil {
			t.Fatal(err)
		}
		var all []string
		for _, l := range lines {
			all = append(all, l.Text())
		}
		text := strings.Join(all, "\n")
		if !strings.Contains(text, "ERIKSSON") || !strings.Contains(text, "1974") {
			t.Errorf("read %q", text)
		}
	}
}

func TestReadCancelled(t *testing.T) {
	p := NewPool(1)
	defer p.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := p.Read(ctx, rendered([]string{"X"}, 2)); err == nil {
		t.Error("read with a cancelled context")
	}
}

func TestPGM(t *testing.T) {
	img := image.NewGray(image.Rect(0, 0, 3, 2))
	copy(img.Pix, []byte{1, 2, 3, 4, 5, 6})
	if got := string(pgm(img)); got != "P5\n3 2\n255\n\x01\x02\x03\x04\x05\x06" {
		t.Errorf("pgm = %q", got)
	}
	sub := img.SubImage(image.Rect(1, 0, 3, 2)).(*image.Gray)
	if got := string(pgm(sub)); got != "P5\n2 2\n255\n\x02\x03\x05\x06" {
		t.Errorf("pgm of a sub-image = %q", got)
	}
}
