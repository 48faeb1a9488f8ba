package eval

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"io"
	"os"
	"sort"
	"text/tabwriter"
	"time"

	"github.com/openkyc/kyc/worker/internal/document"
	"github.com/openkyc/kyc/worker/internal/face"
	"github.com/openkyc/kyc/worker/internal/imaging"
	"github.com/openkyc/kyc/worker/internal/mrzread"
)

// Classify evaluates the classify task with the service's own signals:
// the faces of the face stage, the MRZ zone of the document stage and
// document.Classify. The general size check is not applied: it refuses
// small images before classification in the service, and the task
// measures the classification itself.
type Classify struct{}

// Task implements Evaluator.
func (Classify) Task() string { return "classify" }

// Evaluate implements Evaluator.
func (Classify) Evaluate(ctx context.Context, env *Env, cases []Case, rep *Report, out io.Writer) error {
	pool, err := env.FacePool()
	if err != nil {
		return err
	}
	reader := mrzread.NewReader()
	got := make([]string, len(cases))
	want := make([]string, len(cases))
	ms := make([]float64, len(cases))
	err = parallel(ctx, len(cases), env.Workers, func(i int) {
		var raw struct {
			Expect string `json:"expect"`
		}
		_ = json.Unmarshal(cases[i].Raw, &raw)
		want[i] = raw.Expect
		start := time.Now()
		class, err := classifyImage(ctx, pool, reader, cases[i].Image)
		ms[i] = float64(time.Since(start).Microseconds()) / 1000
		if err != nil {
			got[i] = "failure"
			return
		}
		got[i] = class.String()
	})
	if err != nil {
		return err
	}
	r := &ClassifyReport{Cases: len(cases), Confusion: map[string]map[string]int{}}
	correct := 0
	for i := range cases {
		if got[i] == "failure" {
			r.Failures++
		}
		if got[i] == want[i] {
			correct++
		}
		if r.Confusion[want[i]] == nil {
			r.Confusion[want[i]] = map[string]int{}
		}
		r.Confusion[want[i]][got[i]]++
	}
	r.Accuracy = float64(correct) / float64(len(cases))
	rep.Classify = r

	fmt.Fprintf(out, "\n== classify: %d images, accuracy %.1f%%, %d failures, median %.0f ms\n",
		len(cases), 100*r.Accuracy, r.Failures, Median(ms))
	classes := []string{"document", "selfie", "selfie_with_document", "unknown", "failure"}
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "expected \\ got\t")
	for _, c := range classes {
		fmt.Fprintf(tw, "%s\t", c)
	}
	fmt.Fprintln(tw)
	var exp []string
	for e := range r.Confusion {
		exp = append(exp, e)
	}
	sort.Strings(exp)
	for _, e := range exp {
		fmt.Fprintf(tw, "%s\t", e)
		for _, c := range classes {
			fmt.Fprintf(tw, "%d\t", r.Confusion[e][c])
		}
		fmt.Fprintln(tw)
	}
	return tw.Flush()
}

// classifyImage runs the service's classification signals over one file.
func classifyImage(ctx context.Context, pool *face.Pool, reader *mrzread.Reader, path string) (document.Class, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	img, _, err := imaging.Decode(data, 1<<31)
	if err != nil {
		return 0, err
	}
	faces, err := pool.Faces(ctx, img)
	if err != nil {
		return 0, err
	}
	var band *image.Rectangle
	read, err := reader.Read(ctx, img)
	switch {
	case err == nil:
		band = &read.Band
	case !errors.Is(err, mrzread.ErrNotFound):
		return 0, err
	}
	return document.Classify(face.Detected(faces), band).Class, nil
}
