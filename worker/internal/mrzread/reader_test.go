package mrzread

import (
	"bufio"
	"context"
	"encoding/json"
	"image"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// renderMRZ draws MRZ lines in OCR-B (from the embedded glyph strip) on a
// white page with some unrelated text above, rotated by angle degrees
// (counter-clockwise), with a mild blur.
func renderMRZ(lines []string, capPx float64, angle float64) image.Image {
	img, err := decodeGlyphStrip()
	if err != nil {
		panic(err)
	}
	pitch := capPx * float64(glyphCellW) / glyphCap
	n := len(lines[0])
	pageW := int(pitch*float64(n) + 4*capPx)
	lineGap := 1.9 * capPx
	pageH := int(float64(len(lines))*lineGap + 10*capPx)
	page := newGray(pageW, pageH)
	for i := range page.p {
		page.p[i] = 0.93
	}
	put := func(text string, x0, baseline float64, cap float64) {
		s := cap / glyphCap
		pt := pitch * cap / capPx
		for ci := 0; ci < len(text); ci++ {
			k := strings.IndexByte(alphabet, text[ci])
			if k < 0 {
				continue
			}
			cx := x0 + float64(ci)*pt
			top := baseline - cap - 12*s
			for y := int(top); y < int(top+glyphCellH*s)+1; y++ {
				for x := int(cx); x < int(cx+pt)+1; x++ {
					if x < 0 || y < 0 || x >= page.w || y >= page.h {
						continue
					}
					gx := (float64(x) + 0.5 - cx) / s
					gy := (float64(y) + 0.5 - top) / s
					if gx < 0 || gy < 0 || gx >= glyphCellW || gy >= glyphCellH {
						continue
					}
					v := img.at(float64(k*glyphCellW)+gx, gy) * 0.93
					if v < page.p[y*page.w+x] {
						page.p[y*page.w+x] = v
					}
				}
			}
		}
	}
	// Visual zone text: shorter lines in a smaller size.
	put("SPECIMEN", 2*capPx, 2*capPx, capPx*1.3)
	put("12345<ABC", 2*capPx, 4*capPx, capPx*0.9)
	y := 7 * capPx
	for _, l := range lines {
		put(l, 2*capPx, y, capPx)
		y += lineGap
	}
	// Rotate about the centre onto a canvas large enough for any angle.
	rad := angle * math.Pi / 180
	ca, sa := math.Cos(rad), math.Sin(rad)
	ow := int(math.Abs(float64(pageW)*ca) + math.Abs(float64(pageH)*sa) + 2)
	oh := int(math.Abs(float64(pageW)*sa) + math.Abs(float64(pageH)*ca) + 2)
	out := image.NewGray(image.Rect(0, 0, ow, oh))
	blurred := gaussBlur(page.p, page.w, page.h, 0.6)
	bp := &gray{w: page.w, h: page.h, p: blurred}
	for yy := 0; yy < oh; yy++ {
		for xx := 0; xx < ow; xx++ {
			dx := float64(xx) + 0.5 - float64(ow)/2
			dy := float64(yy) + 0.5 - float64(oh)/2
			sx := ca*dx - sa*dy + float64(pageW)/2
			sy := sa*dx + ca*dy + float64(pageH)/2
			v := float32(0.93)
			if sx >= 0 && sy >= 0 && sx < float64(pageW) && sy < float64(pageH) {
				v = bp.at(sx, sy)
			}
			out.Pix[yy*out.Stride+xx] = uint8(math.Max(0, math.Min(255, float64(v)*255)))
		}
	}
	return out
}

var specimens = []struct {
	name  string
	lines []string
}{
	{"TD1", []string{"I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6", "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"}},
	{"TD2", []string{"I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "D231458907UTO7408122F1204159<<<<<<<6"}},
	{"TD3", []string{"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"}},
	{"MRVA", []string{"V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L8988901C4XXX4009078F96121096ZE184226B<<<<<<"}},
	{"MRVB", []string{"V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "L8988901C4XXX4009078F9612109<<<<<<<<"}},
}

func TestReadSynthetic(t *testing.T) {
	r := NewReader()
	for _, sp := range specimens {
		for _, angle := range []float64{0, 90, 180, 270, 3, -4} {
			img := renderMRZ(sp.lines, 18, angle)
			rd, err := r.Read(context.Background(), img)
			if err != nil {
				t.Errorf("%s at %v°: %v", sp.name, angle, err)
				continue
			}
			if strings.Join(rd.Lines, "\n") != strings.Join(sp.lines, "\n") {
				t.Errorf("%s at %v°:\n got  %q\n want %q", sp.name, angle, rd.Lines, sp.lines)
				continue
			}
			if !rd.Valid() {
				t.Errorf("%s at %v°: not valid", sp.name, angle)
			}
			if string(rd.MRZ.Format) != sp.name {
				t.Errorf("%s: format %s", sp.name, rd.MRZ.Format)
			}
			if rd.Band.Empty() || len(rd.LineConfidence) != len(sp.lines) {
				t.Errorf("%s: band %v, confidences %v", sp.name, rd.Band, rd.LineConfidence)
			}
		}
	}
}

// A printed MRZ whose check digit is wrong must be read as printed and
// reported, not corrected.
func TestReadReportsBadCheckDigit(t *testing.T) {
	lines := []string{"I<UTOD231458907<<<<<<<<<<<<<<<", "7408123F1204159UTO<<<<<<<<<<<6", "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"}
	rd, err := NewReader().Read(context.Background(), renderMRZ(lines, 18, 0))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rd.Lines, "\n") != strings.Join(lines, "\n") {
		t.Fatalf("got %q", rd.Lines)
	}
	if rd.Valid() {
		t.Fatal("bad check digit not reported")
	}
	var failing []string
	for _, c := range rd.MRZ.FailedChecks() {
		failing = append(failing, c.Name)
	}
	if strings.Join(failing, ",") != "birth_date,composite" {
		t.Fatalf("failing %v", failing)
	}
}

func TestReadNoMRZ(t *testing.T) {
	img := image.NewGray(image.Rect(0, 0, 300, 200))
	for i := range img.Pix {
		img.Pix[i] = 200
	}
	if _, err := NewReader().Read(context.Background(), img); err != ErrNotFound {
		t.Fatalf("err = %v, want ErrNotFound", err)
	}
}

func TestLabelFields(t *testing.T) {
	fields, ok, m := labelFields([]string{"IDESPAAA1000014<00000023T<<<<<", "7212018F1101236ESP<<<<<<<<<<<8", "ESPAÑOLA<ESPAÑOLA<<CARMEN<<<<<"})
	if m != nil || len(fields) == 0 {
		t.Fatalf("fields %v m %v", fields, m)
	}
	for i, f := range fields {
		want := f.Name != "surname"
		if ok[i] != want {
			t.Errorf("field %s ok=%v", f.Name, ok[i])
		}
	}
}

// BenchmarkRead reports the median time per document of reading an MRZ:
// on the synthetic specimens, or on the mrz cases of MRZ_CASES (a
// cases.jsonl path) when set.
func BenchmarkRead(b *testing.B) {
	r := NewReader()
	var imgs []image.Image
	if p := os.Getenv("MRZ_CASES"); p != "" {
		imgs = loadCaseImages(b, p)
	} else {
		for _, sp := range specimens {
			imgs = append(imgs, renderMRZ(sp.lines, 18, 0))
		}
	}
	var times []float64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		img := imgs[i%len(imgs)]
		start := time.Now()
		_, _ = r.Read(context.Background(), img)
		times = append(times, float64(time.Since(start).Microseconds())/1000)
	}
	sort.Float64s(times)
	med := times[len(times)/2]
	b.ReportMetric(med, "median-ms/doc")
	b.Logf("median %.1f ms per document over %d reads", med, len(times))
}

func loadCaseImages(b *testing.B, path string) []image.Image {
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	var imgs []image.Image
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var c struct {
			Task  string `json:"task"`
			Image string `json:"image"`
		}
		if json.Unmarshal(sc.Bytes(), &c) != nil || c.Task != "mrz" {
			continue
		}
		g, err := os.Open(filepath.Join(filepath.Dir(path), c.Image))
		if err != nil {
			continue
		}
		img, _, err := image.Decode(g)
		g.Close()
		if err == nil {
			imgs = append(imgs, img)
		}
	}
	return imgs
}
