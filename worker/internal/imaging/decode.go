// Package imaging decodes uploads into upright images and runs the API's
// general checks on them: bad image, too small, black and white, low light.
package imaging

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	_ "image/png" // uploads may be PNG

	"github.com/rwcarlsen/goexif/exif"
	_ "golang.org/x/image/webp" // decoded when sent, though the API names JPEG and PNG
)

// ErrTooManyPixels is returned for an image whose header declares more
// pixels than allowed; it is never decoded.
var ErrTooManyPixels = errors.New("imaging: too many pixels")

// ErrUndecodable is returned for bytes that are not a complete image of a
// supported format.
var ErrUndecodable = errors.New("imaging: not a decodable image")

// Decode decodes data after checking, from its header alone, that it has
// at most maxPixels pixels, and turns it upright by its EXIF orientation.
func Decode(data []byte, maxPixels int64) (image.Image, string, error) {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, "", fmt.Errorf("%w: %v", ErrUndecodable, err)
	}
	if int64(cfg.Width)*int64(cfg.Height) > maxPixels || cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, format, fmt.Errorf("%w: %dx%d", ErrTooManyPixels, cfg.Width, cfg.Height)
	}
	img, format, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, format, fmt.Errorf("%w: %v", ErrUndecodable, err)
	}
	if format == "jpeg" {
		img = Orient(img, exifOrientation(data))
	}
	return img, format, nil
}

// exifOrientation returns the EXIF orientation tag (1..8), 1 when absent.
func exifOrientation(data []byte) int {
	x, err := exif.Decode(bytes.NewReader(data))
	if err != nil {
		return 1
	}
	tag, err := x.Get(exif.Orientation)
	if err != nil {
		return 1
	}
	v, err := tag.Int(0)
	if err != nil || v < 1 || v > 8 {
		return 1
	}
	return v
}

// Orient returns img transformed so that EXIF orientation o (1..8) becomes
// orientation 1. Orientation 1 returns img itself.
func Orient(img image.Image, o int) image.Image {
	if o <= 1 || o > 8 {
		return img
	}
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	dw, dh := w, h
	if o >= 5 {
		dw, dh = h, w
	}
	dst := image.NewNRGBA(image.Rect(0, 0, dw, dh))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var dx, dy int
			switch o {
			case 2: // mirrored horizontally
				dx, dy = w-1-x, y
			case 3: // rotated 180
				dx, dy = w-1-x, h-1-y
			case 4: // mirrored vertically
				dx, dy = x, h-1-y
			case 5: // transposed
				dx, dy = y, x
			case 6: // rotated 90 clockwise to view
				dx, dy = h-1-y, x
			case 7: // transversed
				dx, dy = h-1-y, w-1-x
			case 8: // rotated 90 counter-clockwise to view
				dx, dy = y, w-1-x
			}
			dst.Set(dx, dy, img.At(b.Min.X+x, b.Min.Y+y))
		}
	}
	return dst
}

// EncodeJPEG encodes img as a JPEG of the given quality.
func EncodeJPEG(img image.Image, quality int) ([]byte, error) {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: quality}); err != nil {
		return nil, fmt.Errorf("imaging: encode jpeg: %w", err)
	}
	return buf.Bytes(), nil
}

// rgb returns the 8-bit colour of a pixel.
func rgb(c color.Color) (r, g, b uint8) {
	r32, g32, b32, _ := c.RGBA()
	return uint8(r32 >> 8), uint8(g32 >> 8), uint8(b32 >> 8)
}
