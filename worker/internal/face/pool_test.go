package face

import (
	"bufio"
	"context"
	"encoding/json"
	"image"
	_ "image/jpeg"
	_ "image/png"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	xdraw "golang.org/x/image/draw"

	"github.com/openkyc/kyc/worker/internal/face/internal/dlibref"
)

// repoRoot walks up from the test's directory to the folder holding go.work.
func repoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.work")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.work not found above the test directory")
		}
		dir = parent
	}
}

// modelDir is $KYC_MODELS_DIR or <root>/models; it fails the test loudly
// when the models are missing.
func modelDir(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("KYC_MODELS_DIR")
	if dir == "" {
		dir = filepath.Join(repoRoot(t), "models")
	}
	for _, f := range []string{
		"dlib_face_recognition_resnet_model_v1.dat",
		"shape_predictor_5_face_landmarks.dat",
		"mmod_human_face_detector.dat",
	} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Fatalf("model file missing (run `bash scripts/models.sh`): %v", err)
		}
	}
	return dir
}

// testdata is ../shared/testdata next to the repository root.
func testdata(t testing.TB) string {
	t.Helper()
	dir := filepath.Join(repoRoot(t), "..", "shared", "testdata")
	if _, err := os.Stat(filepath.Join(dir, "cases.jsonl")); err != nil {
		t.Fatalf("development set missing: %v", err)
	}
	return dir
}

func loadImage(t testing.TB, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return img
}

// pools share one loaded Pool between tests and benchmarks of this binary.
var (
	poolOnce sync.Once
	pool     *Pool
	poolErr  error
	poolRSS  float64 // VmRSS right after loading, MB
)

func testPool(t testing.TB) *Pool {
	t.Helper()
	dir := modelDir(t)
	poolOnce.Do(func() {
		pool, poolErr = NewPool(dir, 1)
		poolRSS = vmRSSMB(t)
	})
	if poolErr != nil {
		t.Fatal(poolErr)
	}
	return pool
}

// TestReferenceDescriptors checks the provisioned descriptor model against
// descriptors face-api.js computed with the original float32 weights: each
// reference chip's descriptor must lie within 0.05.
func TestReferenceDescriptors(t *testing.T) {
	ref := filepath.Join(testdata(t), "reference", "faceapi")
	net, err := dlibref.Load(filepath.Join(modelDir(t), "dlib_face_recognition_resnet_model_v1.dat"), "")
	if err != nil {
		t.Fatal(err)
	}
	defer net.Close()
	var got [2]Descriptor
	for i := range got {
		raw, err := os.ReadFile(filepath.Join(ref, "faceDescriptor"+strconv.Itoa(i+1)+".json"))
		if err != nil {
			t.Fatal(err)
		}
		var want Descriptor
		var vals []float32
		if err := json.Unmarshal(raw, &vals); err != nil || len(vals) != len(want) {
			t.Fatalf("faceDescriptor%d.json: %d values, %v", i+1, len(vals), err)
		}
		copy(want[:], vals)
		d, err := net.Describe(loadImage(t, filepath.Join(ref, "face"+strconv.Itoa(i+1)+".png")))
		if err != nil {
			t.Fatal(err)
		}
		got[i] = d
		dist := Distance(got[i], want)
		t.Logf("face%d.png: distance to the float32 reference %.4f", i+1, dist)
		if dist > 0.05 {
			t.Errorf("face%d.png: distance %.4f to the reference descriptor > 0.05", i+1, dist)
		}
	}
	if d := Distance(got[0], got[1]); d < 0.6 {
		t.Errorf("the two reference faces are different people but lie %.3f apart", d)
	}
}

// TestFacesDevSet checks that one face is found in dev-set images that need
// the small-face strategy: a 150x150 face crop, document portraits.
func TestFacesDevSet(t *testing.T) {
	td := testdata(t)
	p := testPool(t)
	images := []string{
		"faces/face-api-js/stuart/stuart5.png",   // 150x150 grey crop: needs upsampling
		"faces/face-api-js/sheldon/sheldon1.png", // 150x150 crop
		"doc_selfie_pairs/idenfy/TheresaMay.jpg", // document portrait
		"doc_selfie_pairs/idenfy/BasanavicieneBirute.jpg",
		"doc_selfie_pairs/idenfy/BarackObamaFace.jpg", // face photo
	}
	for _, rel := range images {
		t.Run(rel, func(t *testing.T) {
			img := loadImage(t, filepath.Join(td, rel))
			faces, err := p.Faces(context.Background(), img)
			if err != nil {
				t.Fatal(err)
			}
			if len(faces) == 0 {
				t.Fatal("no face found")
			}
			r := faces[0].Rect
			if !r.In(img.Bounds()) || r.Dx() < 20 {
				t.Errorf("face box %v implausible in %v", r, img.Bounds())
			}
			t.Logf("%d face(s), largest %v in %v", len(faces), r, img.Bounds())
		})
	}
	// Same person in a document and a selfie; different people across.
	desc := func(rel string) Descriptor {
		faces, err := p.Faces(context.Background(), loadImage(t, filepath.Join(td, rel)))
		if err != nil || len(faces) == 0 {
			t.Fatalf("%s: %d faces, %v", rel, len(faces), err)
		}
		return faces[0].Descriptor
	}
	doc, selfie := desc("doc_selfie_pairs/idenfy/TheresaMay.jpg"), desc("doc_selfie_pairs/idenfy/TheresaMayFace.jpg")
	other := desc("doc_selfie_pairs/idenfy/BarackObamaFace.jpg")
	if d := Distance(doc, selfie); !Match(d, DefaultThreshold) {
		t.Errorf("TheresaMay document vs selfie: distance %.3f does not match", d)
	}
	if d := Distance(doc, other); Match(d, DefaultThreshold) {
		t.Errorf("TheresaMay document vs Obama selfie: distance %.3f matches", d)
	}
}

func TestPoolContextAndClose(t *testing.T) {
	p, err := NewPool(modelDir(t), 1)
	if err != nil {
		t.Fatal(err)
	}
	rec, err := p.acquire(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	img := image.NewRGBA(image.Rect(0, 0, 64, 64))
	if _, err := p.Faces(ctx, img); err == nil || !strings.Contains(err.Error(), "deadline") {
		t.Errorf("Faces with an exhausted pool and a deadline: err = %v", err)
	}
	p.recs <- rec
	faces, err := p.Faces(context.Background(), img)
	if err != nil || len(faces) != 0 {
		t.Errorf("blank image: %d faces, %v", len(faces), err)
	}
	p.Close()
	p.Close()
	if _, err := p.Faces(context.Background(), img); err != ErrClosed {
		t.Errorf("after Close: err = %v, want ErrClosed", err)
	}
}

func TestCrop(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 100, 80))
	tests := []struct {
		r      image.Rectangle
		margin float64
		want   image.Point
	}{
		{image.Rect(40, 30, 60, 50), 0, image.Pt(20, 20)},
		{image.Rect(40, 30, 60, 50), 0.5, image.Pt(40, 40)},
		{image.Rect(0, 0, 20, 20), 0.5, image.Pt(30, 30)}, // clipped
		{image.Rect(200, 200, 220, 220), 0.1, image.Pt(0, 0)},
	}
	for _, tt := range tests {
		if got := Crop(img, tt.r, tt.margin).Bounds().Size(); got != tt.want {
			t.Errorf("Crop(%v, %v) size %v, want %v", tt.r, tt.margin, got, tt.want)
		}
	}
}

// benchImage scales a dev-set face photo to the given longer side.
func benchImage(b *testing.B, side int) image.Image {
	src := loadImage(b, filepath.Join(testdata(b), "doc_selfie_pairs/idenfy/TheresaMayFace.jpg"))
	sb := src.Bounds()
	w, h := side, side*sb.Dy()/sb.Dx()
	if sb.Dy() > sb.Dx() {
		w, h = side*sb.Dx()/sb.Dy(), side
	}
	// Fit the photo into a 4:3 frame of the requested size, as a camera would.
	fw, fh := side, side*3/4
	dst := image.NewRGBA(image.Rect(0, 0, fw, fh))
	if h > fh {
		w, h = w*fh/h, fh
	}
	off := image.Pt((fw-w)/2, (fh-h)/2)
	xdraw.CatmullRom.Scale(dst, image.Rectangle{off, off.Add(image.Pt(w, h))}, src, sb, xdraw.Src, nil)
	return dst
}

func benchFaces(b *testing.B, side int) {
	p := testPool(b)
	img := benchImage(b, side)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		faces, err := p.Faces(context.Background(), img)
		if err != nil || len(faces) != 1 {
			b.Fatalf("%d faces, %v", len(faces), err)
		}
	}
}

// BenchmarkFaces640 is detection + alignment + descriptor of one face in a
// 640x480 image.
func BenchmarkFaces640(b *testing.B) { benchFaces(b, 640) }

// BenchmarkFaces2000 is the same for a 2000x1500 image.
func BenchmarkFaces2000(b *testing.B) { benchFaces(b, 2000) }

// BenchmarkStages times go-face's stages separately on one face at 640x480
// and 2000x1500: HOG detection, alignment (landmarks + chip extraction) and
// descriptor, reporting the median of each over b.N runs. "2000-pass1" is
// the 2000x1500 image as Faces' first pass sees it (scaled to 1280 px).
func BenchmarkStages(b *testing.B) {
	dir := modelDir(b)
	net, err := dlibref.Load(filepath.Join(dir, "dlib_face_recognition_resnet_model_v1.dat"),
		filepath.Join(dir, "shape_predictor_5_face_landmarks.dat"))
	if err != nil {
		b.Fatal(err)
	}
	defer net.Close()
	for _, c := range []struct {
		name       string
		side, pass int
	}{{"640", 640, 640}, {"2000", 2000, 2000}, {"2000-pass1", 2000, maxDetectSide}} {
		b.Run(c.name, func(b *testing.B) {
			img := benchImage(b, c.side)
			if c.pass != c.side {
				img = toRGB(img, float64(c.pass)/float64(c.side))
			}
			var det, ali, des []time.Duration
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				tm, err := net.Stages(img)
				if err != nil || tm.Faces != 1 {
					b.Fatalf("%d faces, %v", tm.Faces, err)
				}
				det, ali, des = append(det, tm.Detect), append(ali, tm.Align), append(des, tm.Describe)
			}
			b.ReportMetric(medianMS(det), "detect-ms")
			b.ReportMetric(medianMS(ali), "align-ms")
			b.ReportMetric(medianMS(des), "descr-ms")
		})
	}
}

func medianMS(d []time.Duration) float64 {
	s := slices.Clone(d)
	slices.Sort(s)
	return float64(s[len(s)/2]) / float64(time.Millisecond)
}

// BenchmarkResidentMemory reports the resident memory of the process (VmRSS
// of /proc/self/status) with one recogniser loaded: "MB-loaded" right after
// loading the models, "MB-working" after recognising a 2000x1500 image.
// Run it alone (-bench ResidentMemory): memory other benchmarks freed may
// not have been returned to the system.
func BenchmarkResidentMemory(b *testing.B) {
	p := testPool(b)
	img := benchImage(b, 2000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := p.Faces(context.Background(), img); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	runtime.GC()
	b.ReportMetric(poolRSS, "MB-loaded")
	b.ReportMetric(vmRSSMB(b), "MB-working")
}

func vmRSSMB(t testing.TB) float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if rest, ok := strings.CutPrefix(s.Text(), "VmRSS:"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			if err != nil {
				t.Fatal(err)
			}
			return kb / 1024
		}
	}
	t.Fatal("VmRSS not found")
	return 0
}
