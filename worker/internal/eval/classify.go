package eval

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
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
	if err := tw.Flush(); err != nil {
		return err
	}
	return classifyExtra(ctx, env, pool, reader, cases, out)
}

// grayCopies marks the fraud cases of photographed grey paper copies of
// ID documents, most of them fronts without an MRZ.
const grayCopies = "dlc2021_gray_copies"

// classifyExtra prints, outside the report, the classification of two
// sets that are not classify cases of the development set: the photos of
// grey paper copies of documents (fraud cases, expected documents) and
// the photos of the face_pair cases (expected selfies). Both are taken
// from the cases.jsonl next to the classify cases' images, when there is
// one.
func classifyExtra(ctx context.Context, env *Env, pool *face.Pool, reader *mrzread.Reader, cases []Case, out io.Writer) error {
	root := casesRoot(cases)
	if root == "" {
		return nil
	}
	all, err := LoadCases(filepath.Join(root, "cases.jsonl"))
	if err != nil {
		return nil
	}
	type set struct {
		name, want string
		images     []string
	}
	sets := []set{{name: "grey copies (fraud)", want: "document"}, {name: "face_pair photos", want: "selfie"}}
	seen := map[string]bool{}
	for _, c := range all {
		switch {
		case c.Task == "fraud" && strings.Contains(filepath.ToSlash(c.Image), grayCopies):
			sets[0].images = append(sets[0].images, c.Image)
		case c.Task == "face_pair":
			for _, im := range c.Images {
				if !seen[im] {
					seen[im] = true
					sets[1].images = append(sets[1].images, im)
				}
			}
		}
	}
	fmt.Fprintf(out, "\n== classify, extra sets (not in the report)\n")
	classes := []string{"document", "selfie", "selfie_with_document", "unknown", "failure"}
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "set\timages\texpected\taccuracy\t")
	for _, c := range classes {
		fmt.Fprintf(tw, "%s\t", c)
	}
	fmt.Fprintln(tw, "median ms\t")
	for _, s := range sets {
		if len(s.images) == 0 {
			continue
		}
		got := make([]string, len(s.images))
		ms := make([]float64, len(s.images))
		err := parallel(ctx, len(s.images), env.Workers, func(i int) {
			start := time.Now()
			class, err := classifyImage(ctx, pool, reader, s.images[i])
			ms[i] = float64(time.Since(start).Microseconds()) / 1000
			got[i] = class.String()
			if err != nil {
				got[i] = "failure"
			}
		})
		if err != nil {
			return err
		}
		count := map[string]int{}
		for _, g := range got {
			count[g]++
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%.1f%%\t", s.name, len(s.images), s.want, 100*float64(count[s.want])/float64(len(s.images)))
		for _, c := range classes {
			fmt.Fprintf(tw, "%d\t", count[c])
		}
		fmt.Fprintf(tw, "%.0f\t\n", Median(ms))
	}
	return tw.Flush()
}

// casesRoot is the folder the cases' image paths are relative to, from the
// first case whose image path ends with its relative path in the case's
// line; "" when none does.
func casesRoot(cases []Case) string {
	for _, c := range cases {
		var raw struct {
			Image string `json:"image"`
		}
		if json.Unmarshal(c.Raw, &raw) != nil || raw.Image == "" || filepath.IsAbs(raw.Image) {
			continue
		}
		rel := filepath.FromSlash(raw.Image)
		if root, ok := strings.CutSuffix(c.Image, rel); ok {
			return filepath.Clean(root)
		}
	}
	return ""
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
	text := func(f image.Rectangle) []mrzread.TextRow { return document.PortraitText(img, f) }
	return document.Classify(face.Detected(faces), band, text).Class, nil
}
