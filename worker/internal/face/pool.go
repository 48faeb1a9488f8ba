package face

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"image/jpeg"
	"math"
	"sort"
	"sync"

	goface "github.com/Kagami/go-face"
	xdraw "golang.org/x/image/draw"
)

// ErrClosed is returned by Pool.Faces after Pool.Close.
var ErrClosed = errors.New("face: pool closed")

const (
	// maxDetectSide bounds the longer side of the image the first detection
	// pass sees: larger images are scaled down (a face needs ~80 px to be
	// detected and 150 px for its descriptor, so nothing is lost for faces
	// above ~10% of the image), which keeps HOG detection time bounded.
	maxDetectSide = 1280
	// maxRetryPixels bounds the retry pass, which upsamples the image when the
	// first pass found nothing (small faces, document portraits).
	maxRetryPixels = 4 << 20
	// jpegQuality is used to hand images to go-face, which decodes JPEG only.
	jpegQuality = 95
)

// Pool holds a fixed number of go-face recognisers (each ~100 MB with the
// models loaded) and lends them to callers; a recogniser serialises its calls,
// so the pool size bounds the concurrency of face recognition. Size it to the
// worker's concurrency. A Pool is safe for concurrent use.
type Pool struct {
	recs chan *goface.Recognizer
	size int

	mu     sync.Mutex
	closed bool
	done   chan struct{}
}

// NewPool loads size recognisers from modelDir, which must hold
// dlib_face_recognition_resnet_model_v1.dat,
// shape_predictor_5_face_landmarks.dat and mmod_human_face_detector.dat
// (scripts/models.sh provisions them). Loading takes about a second per
// recogniser.
func NewPool(modelDir string, size int) (*Pool, error) {
	if size < 1 {
		return nil, fmt.Errorf("face: pool size %d < 1", size)
	}
	p := &Pool{recs: make(chan *goface.Recognizer, size), size: size, done: make(chan struct{})}
	for i := 0; i < size; i++ {
		rec, err := goface.NewRecognizer(modelDir)
		if err != nil {
			p.closeAll(i)
			return nil, fmt.Errorf("face: load models from %s: %w", modelDir, err)
		}
		p.recs <- rec
	}
	return p, nil
}

// Size is the number of recognisers in the pool.
func (p *Pool) Size() int { return p.size }

// Close waits for the recognisers in use to be returned and frees them all.
// Faces fails with ErrClosed afterwards. Close is idempotent.
func (p *Pool) Close() {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return
	}
	p.closed = true
	close(p.done)
	p.mu.Unlock()
	p.closeAll(p.size)
}

func (p *Pool) closeAll(n int) {
	for i := 0; i < n; i++ {
		(<-p.recs).Close()
	}
}

// acquire lends a recogniser, waiting for one while ctx allows.
func (p *Pool) acquire(ctx context.Context) (*goface.Recognizer, error) {
	select {
	case <-p.done:
		return nil, ErrClosed
	default:
	}
	select {
	case rec := <-p.recs:
		return rec, nil
	case <-p.done:
		return nil, ErrClosed
	case <-ctx.Done():
		return nil, fmt.Errorf("face: waiting for a recogniser: %w", ctx.Err())
	}
}

// Faces finds every face in img, largest first, with its descriptor. Images
// larger than 1280 px are scaled down for detection; when nothing is found
// the image is searched again upsampled (up to 2x, 4 Mpixel), which finds
// faces of 40–80 px such as document portraits and tight face crops. It
// returns no faces and no error when there are none. ctx bounds the wait for
// a recogniser and is checked between passes (a pass itself runs to its end).
func (p *Pool) Faces(ctx context.Context, img image.Image) ([]Face, error) {
	b := img.Bounds()
	if b.Empty() {
		return nil, errors.New("face: empty image")
	}
	long := max(b.Dx(), b.Dy())
	scale := 1.0
	if long > maxDetectSide {
		scale = float64(maxDetectSide) / float64(long)
	}
	rec, err := p.acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer func() { p.recs <- rec }()

	faces, err := recognize(rec, img, scale)
	if err != nil || len(faces) > 0 {
		return faces, err
	}
	retry := 2 * scale
	if px := float64(b.Dx()) * float64(b.Dy()); retry*retry*px > maxRetryPixels {
		retry = math.Sqrt(maxRetryPixels / px)
	}
	if retry < 1.25*scale {
		return nil, nil
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("face: %w", err)
	}
	return recognize(rec, img, retry)
}

// recognize runs go-face over img resampled by scale and maps the faces back.
func recognize(rec *goface.Recognizer, img image.Image, scale float64) ([]Face, error) {
	data, err := encodeJPEG(img, scale)
	if err != nil {
		return nil, err
	}
	found, err := rec.Recognize(data)
	if err != nil {
		return nil, fmt.Errorf("face: recognise: %w", err)
	}
	b := img.Bounds()
	faces := make([]Face, 0, len(found))
	for _, f := range found {
		r := f.Rectangle
		if scale != 1 {
			r = image.Rect(
				int(float64(r.Min.X)/scale+0.5), int(float64(r.Min.Y)/scale+0.5),
				int(float64(r.Max.X)/scale+0.5), int(float64(r.Max.Y)/scale+0.5))
		}
		r = r.Add(b.Min).Intersect(b)
		faces = append(faces, Face{Rect: r, Descriptor: Descriptor(f.Descriptor)})
	}
	sort.SliceStable(faces, func(i, j int) bool {
		return area(faces[i].Rect) > area(faces[j].Rect)
	})
	return faces, nil
}

func area(r image.Rectangle) int { return r.Dx() * r.Dy() }

// encodeJPEG resamples img by scale into an opaque 3-channel image (go-face
// rejects grey JPEGs; transparency is composited over white) and encodes it
// at high quality.
func encodeJPEG(img image.Image, scale float64) ([]byte, error) {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, toRGB(img, scale), &jpeg.Options{Quality: jpegQuality}); err != nil {
		return nil, fmt.Errorf("face: encode JPEG: %w", err)
	}
	return buf.Bytes(), nil
}

func toRGB(img image.Image, scale float64) image.Image {
	b := img.Bounds()
	if scale == 1 {
		switch v := img.(type) {
		case *image.YCbCr:
			return img
		case *image.RGBA:
			if v.Opaque() {
				return img
			}
		}
	}
	w, h := b.Dx(), b.Dy()
	if scale != 1 {
		w, h = max(1, int(float64(w)*scale+0.5)), max(1, int(float64(h)*scale+0.5))
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(dst, dst.Bounds(), image.White, image.Point{}, draw.Src)
	switch {
	case scale == 1:
		draw.Draw(dst, dst.Bounds(), img, b.Min, draw.Over)
	case scale < 0.5:
		// Proper filtering: the approximate kernels alias below half size.
		xdraw.BiLinear.Scale(dst, dst.Bounds(), img, b, xdraw.Over, nil)
	case scale < 1:
		xdraw.ApproxBiLinear.Scale(dst, dst.Bounds(), img, b, xdraw.Over, nil)
	default:
		xdraw.CatmullRom.Scale(dst, dst.Bounds(), img, b, xdraw.Over, nil)
	}
	return dst
}

// Crop returns the part of img inside r enlarged by margin (a fraction of the
// box's width and height on each side), clipped to the image, as a new RGBA
// image for storing face crops. An empty result means r lies outside img.
func Crop(img image.Image, r image.Rectangle, margin float64) image.Image {
	mx, my := int(float64(r.Dx())*margin+0.5), int(float64(r.Dy())*margin+0.5)
	r = image.Rect(r.Min.X-mx, r.Min.Y-my, r.Max.X+mx, r.Max.Y+my).Intersect(img.Bounds())
	out := image.NewRGBA(image.Rect(0, 0, r.Dx(), r.Dy()))
	draw.Draw(out, out.Bounds(), img, r.Min, draw.Src)
	return out
}
