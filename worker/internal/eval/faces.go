package eval

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/openkyc/kyc/worker/internal/face"
)

// faceResult is the largest face of one image, computed once per image and
// shared by the face tasks.
type faceResult struct {
	once  sync.Once
	desc  face.Descriptor
	faces int
	ms    float64
	err   error // unreadable image or no face
}

var errNoFace = errors.New("no face found")

// imageFaces computes the largest face of every path (once per path per
// Env), env.Workers at a time, and returns the results by path.
func (e *Env) imageFaces(ctx context.Context, paths []string) (map[string]*faceResult, error) {
	pool, err := e.FacePool()
	if err != nil {
		return nil, err
	}
	e.facesMu.Lock()
	if e.faces == nil {
		e.faces = map[string]*faceResult{}
	}
	out := make(map[string]*faceResult, len(paths))
	var uniq []string
	for _, p := range paths {
		if _, ok := out[p]; ok {
			continue
		}
		r := e.faces[p]
		if r == nil {
			r = &faceResult{}
			e.faces[p] = r
		}
		out[p] = r
		uniq = append(uniq, p)
	}
	e.facesMu.Unlock()
	err = parallel(ctx, len(uniq), e.Workers, func(i int) {
		r := out[uniq[i]]
		r.once.Do(func() { r.compute(ctx, pool, uniq[i]) })
	})
	return out, err
}

func (r *faceResult) compute(ctx context.Context, pool *face.Pool, path string) {
	img, err := DecodeImage(path)
	if err != nil {
		r.err = err
		return
	}
	start := time.Now()
	faces, err := pool.Faces(ctx, img)
	r.ms = float64(time.Since(start).Microseconds()) / 1000
	switch {
	case err != nil:
		r.err = err
	case len(faces) == 0:
		r.err = errNoFace
	default:
		r.faces = len(faces)
		r.desc = faces[0].Descriptor
	}
}

// distance between the largest faces of two images; +Inf when either failed.
func distance(a, b *faceResult) float64 {
	if a.err != nil || b.err != nil {
		return math.Inf(1)
	}
	return face.Distance(a.desc, b.desc)
}

// pairCase is a two-image case with a same/different label.
type pairCase struct {
	a, b string
	same bool
}

func pairCases(cases []Case) ([]pairCase, error) {
	out := make([]pairCase, 0, len(cases))
	for _, c := range cases {
		if len(c.Images) != 2 || c.Same == nil {
			return nil, fmt.Errorf("case %s: want two images and same", c.ID)
		}
		out = append(out, pairCase{c.Images[0], c.Images[1], *c.Same})
	}
	return out, nil
}

func pairPaths(pairs []pairCase) []string {
	var paths []string
	for _, p := range pairs {
		paths = append(paths, p.a, p.b)
	}
	return paths
}

// failureList describes the images that failed, for printing.
func failureList(results map[string]*faceResult) []string {
	var out []string
	for p, r := range results {
		if r.err != nil {
			out = append(out, fmt.Sprintf("%s: %v", shortPath(p), r.err))
		}
	}
	sort.Strings(out)
	return out
}

func shortPath(p string) string {
	if i := strings.Index(p, "/testdata/"); i >= 0 {
		return p[i+len("/testdata/"):]
	}
	return p
}

// FacePair evaluates the face_pair task: verification of two face photos.
// Thresholds for a false-match rate are set over every impostor comparison
// the set allows: the labelled same:false pairs plus every pair of images of
// different identities (connected groups of images joined by same:true
// pairs). A pair with a face not found never matches.
type FacePair struct{}

// Task implements Evaluator.
func (FacePair) Task() string { return "face_pair" }

// Evaluate implements Evaluator.
func (FacePair) Evaluate(ctx context.Context, env *Env, cases []Case, rep *Report, out io.Writer) error {
	pairs, err := pairCases(cases)
	if err != nil {
		return err
	}
	results, err := env.imageFaces(ctx, pairPaths(pairs))
	if err != nil {
		return err
	}
	thr := env.faceThreshold()

	// Identities and impostor comparisons.
	index := map[string]int{}
	var names []string
	id := func(p string) int {
		i, ok := index[p]
		if !ok {
			i = len(names)
			index[p] = i
			names = append(names, p)
		}
		return i
	}
	var edges [][2]int
	for _, p := range pairs {
		a, b := id(p.a), id(p.b)
		if p.same {
			edges = append(edges, [2]int{a, b})
		}
	}
	comp := Components(len(names), edges)
	impostorPairs := map[[2]int]bool{}
	for _, p := range pairs {
		if !p.same {
			a, b := index[p.a], index[p.b]
			impostorPairs[[2]int{min(a, b), max(a, b)}] = true
		}
	}
	for a := range names {
		for b := a + 1; b < len(names); b++ {
			if comp[a] != comp[b] {
				impostorPairs[[2]int{a, b}] = true
			}
		}
	}
	type scored struct {
		d    float64
		a, b string
	}
	impostors := make([]scored, 0, len(impostorPairs))
	for k := range impostorPairs {
		a, b := names[k[0]], names[k[1]]
		impostors = append(impostors, scored{distance(results[a], results[b]), a, b})
	}
	sort.Slice(impostors, func(i, j int) bool { return impostors[i].d < impostors[j].d })
	impDist := make([]float64, len(impostors))
	for i, s := range impostors {
		impDist[i] = s.d
	}

	var genuine []float64
	var genuinePairs []scored
	correct, failures := 0, 0
	for _, p := range pairs {
		ra, rb := results[p.a], results[p.b]
		d := distance(ra, rb)
		if ra.err != nil || rb.err != nil {
			failures++
		} else if face.Match(d, thr) == p.same {
			correct++
		}
		if p.same {
			genuine = append(genuine, d)
			genuinePairs = append(genuinePairs, scored{d, p.a, p.b})
		}
	}
	var ms []float64
	for _, p := range names {
		if r := results[p]; r.ms > 0 {
			ms = append(ms, r.ms)
		}
	}
	r := &FacePairReport{
		Cases:               len(pairs),
		Failures:            failures,
		Impostors:           len(impostors),
		Threshold:           thr,
		AccuracyAtThreshold: float64(correct) / float64(len(pairs)),
		MedianMS:            math.Round(Median(ms)*10) / 10,
	}
	var thr1e2, thr1e3 float64
	r.FNMRAtFMR1e2, thr1e2 = FNMRAtFMR(genuine, impDist, 1e-2)
	r.FNMRAtFMR1e3, thr1e3 = FNMRAtFMR(genuine, impDist, 1e-3)
	rep.FacePair = r

	fmt.Fprintf(out, "\n== face_pair: %d labelled pairs (%d same), %d images, %d impostor comparisons ==\n",
		r.Cases, len(genuine), len(names), r.Impostors)
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "operating point\tdistance threshold\tFNMR\tFMR\t")
	row := func(name string, thr, fnmr, fmr float64) {
		fmt.Fprintf(tw, "%s\t%.4f\t%.2f%%\t%.3f%%\t\n", name, thr, 100*fnmr, 100*fmr)
	}
	// At FMR points, pairs match strictly below the threshold.
	row("FMR 1e-2", thr1e2, r.FNMRAtFMR1e2, fractionBelow(impDist, thr1e2))
	row("FMR 1e-3", thr1e3, r.FNMRAtFMR1e3, fractionBelow(impDist, thr1e3))
	row("default threshold", thr, 1-RateBelow(genuine, thr), RateBelow(impDist, thr))
	row("dlib's 0.6", 0.6, 1-RateBelow(genuine, 0.6), RateBelow(impDist, 0.6))
	tw.Flush()
	fmt.Fprintf(out, "accuracy at threshold %.4f: %.2f%%; failures %d; median %.1f ms/image\n",
		thr, 100*r.AccuracyAtThreshold, r.Failures, r.MedianMS)
	fmt.Fprintf(out, "genuine distance median %.3f, max %.3f; impostor median %.3f\n",
		Median(finite(genuine)), maxFinite(genuine), Median(finite(impDist)))
	fmt.Fprintln(out, "nearest impostors:")
	for _, s := range impostors[:min(5, len(impostors))] {
		fmt.Fprintf(out, "  %.3f  %s ~ %s\n", s.d, shortPath(s.a), shortPath(s.b))
	}
	sort.Slice(genuinePairs, func(i, j int) bool { return genuinePairs[i].d > genuinePairs[j].d })
	fmt.Fprintln(out, "farthest same-person pairs:")
	for _, s := range genuinePairs[:min(5, len(genuinePairs))] {
		fmt.Fprintf(out, "  %.3f  %s ~ %s\n", s.d, shortPath(s.a), shortPath(s.b))
	}
	printFailures(out, failureList(results))
	return nil
}

func printFailures(out io.Writer, failures []string) {
	if len(failures) == 0 {
		return
	}
	fmt.Fprintln(out, "images that failed:")
	for _, f := range failures {
		fmt.Fprintln(out, "  "+f)
	}
}

// fractionBelow is the fraction of distances strictly below threshold.
func fractionBelow(distances []float64, threshold float64) float64 {
	n := 0
	for _, d := range distances {
		if d < threshold {
			n++
		}
	}
	return float64(n) / float64(len(distances))
}

func finite(xs []float64) []float64 {
	var out []float64
	for _, x := range xs {
		if !math.IsInf(x, 0) {
			out = append(out, x)
		}
	}
	return out
}

func maxFinite(xs []float64) float64 {
	m := 0.0
	for _, x := range finite(xs) {
		m = max(m, x)
	}
	return m
}

// DocSelfie evaluates the doc_selfie task: does the face photo show the
// holder of the document? The largest face of each image is compared at the
// default threshold; a face not found is a wrong answer.
type DocSelfie struct{}

// Task implements Evaluator.
func (DocSelfie) Task() string { return "doc_selfie" }

// Evaluate implements Evaluator.
func (DocSelfie) Evaluate(ctx context.Context, env *Env, cases []Case, rep *Report, out io.Writer) error {
	pairs, err := pairCases(cases)
	if err != nil {
		return err
	}
	results, err := env.imageFaces(ctx, pairPaths(pairs))
	if err != nil {
		return err
	}
	thr := env.faceThreshold()
	r := &DocSelfieReport{Cases: len(pairs)}
	fmt.Fprintf(out, "\n== doc_selfie: %d pairs, threshold %.4f ==\n", len(pairs), thr)
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "document\tface photo\tsame\tdistance\tsimilarity\tresult\t")
	correct := 0
	for _, p := range pairs {
		ra, rb := results[p.a], results[p.b]
		d := distance(ra, rb)
		result := "wrong"
		switch {
		case ra.err != nil || rb.err != nil:
			r.Failures++
			result = "failed"
		case face.Match(d, thr) == p.same:
			correct++
			result = "ok"
		}
		fmt.Fprintf(tw, "%s\t%s\t%v\t%.3f\t%d%%\t%s\t\n", shortPath(p.a), shortPath(p.b), p.same, d, face.Similarity(d), result)
	}
	tw.Flush()
	r.AccuracyAtThreshold = float64(correct) / float64(len(pairs))
	fmt.Fprintf(out, "accuracy at threshold: %.2f%%; failures %d\n", 100*r.AccuracyAtThreshold, r.Failures)
	printFailures(out, failureList(results))
	rep.DocSelfie = r
	return nil
}
