package captcha

import (
	"bytes"
	"image/png"
	"testing"
)

func TestNew(t *testing.T) {
	a, err := New()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := New()
	if a.ID == b.ID || len(a.Answer) != Digits {
		t.Fatalf("challenges %q/%q, answer %q", a.ID, b.ID, a.Answer)
	}
	for _, c := range a.Answer {
		if c < '0' || c > '9' {
			t.Fatalf("answer %q is not digits", a.Answer)
		}
	}
	img, err := png.Decode(bytes.NewReader(a.PNG))
	if err != nil || img.Bounds().Dx() != width {
		t.Fatalf("image: %v", err)
	}
}
