// Package dlibref runs go-face's recognition steps one at a time, straight on
// dlib: the descriptor network alone on a 150x150 aligned chip (go-face always
// detects and aligns first, so it cannot check a converted model against
// reference descriptors of pre-aligned chips), and the detection, alignment
// and descriptor stages timed separately for benchmarks. It is for tests and
// benchmarks of package face.
package dlibref

// #cgo CXXFLAGS: -std=c++17 -O3 -DNDEBUG -march=native
// #cgo LDFLAGS: -ldlib -lblas -lcblas -llapack
// #include <stdlib.h>
// #include "dlibref.h"
import "C"

import (
	"errors"
	"fmt"
	"image"
	"image/draw"
	"sync"
	"time"
	"unsafe"
)

// ChipSize is the side of the chips the descriptor network takes.
const ChipSize = 150

// Net holds dlib's descriptor network and, when loaded with a shape
// predictor, the HOG detector and the predictor too. It is safe for
// concurrent use (calls are serialised).
type Net struct {
	mu  sync.Mutex
	ptr *C.dlibref
}

// Load reads dlib_face_recognition_resnet_model_v1.dat from netPath and, if
// spPath is not empty, a shape predictor from spPath (needed by Stages).
func Load(netPath, spPath string) (*Net, error) {
	cnet := C.CString(netPath)
	defer C.free(unsafe.Pointer(cnet))
	var csp *C.char
	if spPath != "" {
		csp = C.CString(spPath)
		defer C.free(unsafe.Pointer(csp))
	}
	var cerr *C.char
	ptr := C.dlibref_load(cnet, csp, &cerr)
	if ptr == nil {
		defer C.free(unsafe.Pointer(cerr))
		return nil, fmt.Errorf("dlibref: load %s: %s", netPath, C.GoString(cerr))
	}
	return &Net{ptr: ptr}, nil
}

// rgb packs img into 8-bit RGB rows.
func rgb(img image.Image) []byte {
	b := img.Bounds()
	rgba := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(rgba, rgba.Bounds(), img, b.Min, draw.Src)
	n := b.Dx() * b.Dy()
	out := make([]byte, 3*n)
	for i := 0; i < n; i++ {
		copy(out[3*i:3*i+3], rgba.Pix[4*i:4*i+3])
	}
	return out
}

func (n *Net) call(f func(*C.dlibref, **C.char) C.int) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.ptr == nil {
		return errors.New("dlibref: closed")
	}
	var cerr *C.char
	if f(n.ptr, &cerr) != 0 {
		defer C.free(unsafe.Pointer(cerr))
		return fmt.Errorf("dlibref: %s", C.GoString(cerr))
	}
	return nil
}

// Describe computes the 128-D descriptor of a ChipSize x ChipSize aligned chip.
func (n *Net) Describe(chip image.Image) ([128]float32, error) {
	var out [128]float32
	if b := chip.Bounds(); b.Dx() != ChipSize || b.Dy() != ChipSize {
		return out, fmt.Errorf("dlibref: chip is %dx%d, want %dx%d", b.Dx(), b.Dy(), ChipSize, ChipSize)
	}
	px := rgb(chip)
	err := n.call(func(p *C.dlibref, cerr **C.char) C.int {
		return C.dlibref_describe(p, (*C.uchar)(&px[0]), (*C.float)(&out[0]), cerr)
	})
	return out, err
}

// Timing is the wall time of each recognition stage for one image.
type Timing struct {
	Detect, Align, Describe time.Duration
	// Faces is the number of faces detected; Align and Describe are timed
	// for the largest.
	Faces int
}

// Stages runs HOG detection on img, then landmarks and chip extraction (as
// go-face does) and the descriptor for the largest face, timing each.
func (n *Net) Stages(img image.Image) (Timing, error) {
	b := img.Bounds()
	px := rgb(img)
	var ns [3]C.longlong
	var faces C.int
	err := n.call(func(p *C.dlibref, cerr **C.char) C.int {
		return C.dlibref_stages(p, (*C.uchar)(&px[0]), C.long(b.Dy()), C.long(b.Dx()), &ns[0], &faces, cerr)
	})
	return Timing{time.Duration(ns[0]), time.Duration(ns[1]), time.Duration(ns[2]), int(faces)}, err
}

// Close frees the models.
func (n *Net) Close() {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.ptr != nil {
		C.dlibref_free(n.ptr)
		n.ptr = nil
	}
}
