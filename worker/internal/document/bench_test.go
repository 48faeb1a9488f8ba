package document

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"image"
	_ "image/gif"  // decoders for the development set
	_ "image/jpeg" //
	_ "image/png"  //
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	_ "golang.org/x/image/webp" //

	"github.com/openkyc/kyc/pkg/kyc"
	"github.com/openkyc/kyc/pkg/testenv"
	"github.com/openkyc/kyc/worker/internal/imaging"
)

// devDocument is an mrz case of the development set.
type devDocument struct {
	id  string
	img image.Image
}

// devDocuments decodes the development set's mrz documents.
func devDocuments(tb testing.TB) []devDocument {
	tb.Helper()
	dir := filepath.Join(testenv.SharedDir(tb), "testdata")
	f, err := os.Open(filepath.Join(dir, "cases.jsonl"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var docs []devDocument
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var c struct{ ID, Task, Image string }
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil || c.Task != "mrz" {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(c.Image)))
		if err != nil {
			tb.Fatal(err)
		}
		img, _, err := imaging.Decode(data, 1<<31)
		if err != nil {
			tb.Fatalf("%s: %v", c.ID, err)
		}
		docs = append(docs, devDocument{id: c.ID, img: img})
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	if len(docs) == 0 {
		tb.Fatal("no mrz case in the development set")
	}
	return docs
}

// BenchmarkDocumentSteps prints the median time per document of the
// document stage's steps over the development set's mrz documents: MRZ
// reading, localisation with rectification, visual-zone OCR with the MRZ
// comparison; and the outcomes of the consistency item. Run it with
// -benchtime 51x to read each document once:
//
//	go test -run XXX -bench DocumentSteps -benchtime 51x ./internal/document/
func BenchmarkDocumentSteps(b *testing.B) {
	docs := devDocuments(b)
	st, err := NewStage(nil)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	var mrzMS, locMS, ocrMS []float64
	outcomes := map[string]int{}
	var lines []string
	ms := func(t time.Time) float64 { return float64(time.Since(t).Microseconds()) / 1000 }
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d := docs[i%len(docs)]
		t := time.Now()
		read, err := st.Reader().Read(ctx, d.img)
		mrzMS = append(mrzMS, ms(t))
		if err != nil {
			outcomes["no MRZ"]++
			continue
		}
		t = time.Now()
		loc, err := Localise(ctx, d.img, read)
		if err != nil {
			b.Fatal(err)
		}
		locMS = append(locMS, ms(t))
		if loc == nil || read.MRZ == nil {
			outcomes["not located or MRZ unparsed"]++
			if i < len(docs) {
				lines = append(lines, fmt.Sprintf("%-60s not located, or its MRZ unparsed", d.id))
			}
			continue
		}
		t = time.Now()
		cons, err := st.ReadVisual(ctx, d.img, loc, read.MRZ)
		if err != nil {
			b.Fatal(err)
		}
		ocrMS = append(ocrMS, ms(t))
		it := cons.Item()
		outcomes[string(it.Status)]++
		if i < len(docs) {
			lines = append(lines, fmt.Sprintf("%-60s %-10s %s", d.id, it.Status, it.Value))
		}
	}
	b.StopTimer()
	if b.N < len(docs) {
		return
	}
	med := func(v []float64) float64 {
		if len(v) == 0 {
			return 0
		}
		s := append([]float64(nil), v...)
		sort.Float64s(s)
		return s[len(s)/2]
	}
	b.ReportMetric(med(locMS), "locate-ms/doc")
	b.ReportMetric(med(mrzMS), "mrz-ms/doc")
	b.ReportMetric(med(ocrMS), "visual-ms/doc")
	fmt.Printf("\n| step (%d documents) | median ms per document | documents |\n|---|---|---|\n", len(docs))
	fmt.Printf("| localisation + rectification | %.0f | %d |\n", med(locMS), len(locMS))
	fmt.Printf("| MRZ reading | %.0f | %d |\n", med(mrzMS), len(mrzMS))
	fmt.Printf("| visual field OCR + comparison | %.0f | %d |\n", med(ocrMS), len(ocrMS))
	fmt.Printf("\nmrzVisualConsistency: %d %s, %d %s, %d %s; %d no MRZ, %d not located\n",
		outcomes[string(kyc.StatusSuccess)], kyc.StatusSuccess, outcomes[string(kyc.StatusFailed)], kyc.StatusFailed,
		outcomes[string(kyc.StatusIdle)], kyc.StatusIdle, outcomes["no MRZ"], outcomes["not located or MRZ unparsed"])
	if testing.Verbose() {
		for _, l := range lines {
			fmt.Println(l)
		}
	}
}
