// Package eval measures the worker's recognition code on a labelled set in
// the cases.jsonl format of ../shared/testdata/README.md and writes the report
// described in ../shared/EVALUATION.md.
//
// Each task (face_pair, doc_selfie, mrz, ...) has one Evaluator, in its own
// file; Evaluators lists them. An evaluator reads the cases of its task, runs
// the same code as the service over them through the shared Env (models,
// worker count, decoded images), fills its section of the Report and prints a
// table.
package eval

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	_ "image/gif"  // decoders for the set's images
	_ "image/jpeg" //
	_ "image/png"  //
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"sync"

	_ "golang.org/x/image/webp" //

	"github.com/openkyc/kyc/worker/internal/face"
	"github.com/openkyc/kyc/worker/internal/mrzread"
)

// Case is one line of cases.jsonl. The fields common to several tasks are
// decoded; Raw keeps the whole line for task-specific fields. Image paths are
// absolute (resolved against the folder holding cases.jsonl).
type Case struct {
	ID     string   `json:"id"`
	Task   string   `json:"task"`
	Image  string   `json:"image,omitempty"`
	Images []string `json:"images,omitempty"`
	Same   *bool    `json:"same,omitempty"`
	// Raw is the case's JSON line, for fields only one task knows.
	Raw json.RawMessage `json:"-"`
}

// LoadCases reads a cases.jsonl file, resolving image paths relative to its
// folder. Blank lines are skipped.
func LoadCases(path string) ([]Case, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("eval: %w", err)
	}
	defer f.Close()
	dir := filepath.Dir(path)
	abs := func(p string) string {
		if p == "" || filepath.IsAbs(p) {
			return p
		}
		return filepath.Join(dir, filepath.FromSlash(p))
	}
	var cases []Case
	s := bufio.NewScanner(f)
	s.Buffer(make([]byte, 0, 64<<10), 16<<20)
	for n := 1; s.Scan(); n++ {
		line := bytes.TrimSpace(s.Bytes())
		if len(line) == 0 {
			continue
		}
		var c Case
		if err := json.Unmarshal(line, &c); err != nil {
			return nil, fmt.Errorf("eval: %s:%d: %w", path, n, err)
		}
		if c.Task == "" {
			return nil, fmt.Errorf("eval: %s:%d: no task", path, n)
		}
		c.Raw = append(json.RawMessage(nil), line...)
		c.Image = abs(c.Image)
		for i := range c.Images {
			c.Images[i] = abs(c.Images[i])
		}
		cases = append(cases, c)
	}
	if err := s.Err(); err != nil {
		return nil, fmt.Errorf("eval: read %s: %w", path, err)
	}
	return cases, nil
}

// Evaluator evaluates the cases of one task.
type Evaluator interface {
	// Task is the cases.jsonl task name the evaluator handles.
	Task() string
	// Evaluate runs the recognition code over cases (all of its task, at
	// least one), fills the evaluator's section of rep and prints readable
	// tables to out. A case that cannot be evaluated is counted as a
	// failure, not returned as an error.
	Evaluate(ctx context.Context, env *Env, cases []Case, rep *Report, out io.Writer) error
}

// Evaluators lists the known evaluators, in report order.
func Evaluators() []Evaluator {
	return []Evaluator{FacePair{}, DocSelfie{}, MRZ{}, Classify{}, Fraud{}, Liveness{}}
}

// Report is the JSON report of EVALUATION.md. Sections of tasks without
// cases are nil and omitted.
type Report struct {
	FacePair  *FacePairReport  `json:"face_pair,omitempty"`
	DocSelfie *DocSelfieReport `json:"doc_selfie,omitempty"`
	MRZ       *MRZReport       `json:"mrz,omitempty"`
	Classify  *ClassifyReport  `json:"classify,omitempty"`
	Fraud     *FraudReport     `json:"fraud,omitempty"`
	Liveness  *LivenessReport  `json:"liveness,omitempty"`
}

// FacePairReport is the face_pair section. Rates are fractions in [0, 1].
type FacePairReport struct {
	Cases     int `json:"cases"`
	Failures  int `json:"failures"`
	Impostors int `json:"impostors"`
	// Threshold is the distance threshold of AccuracyAtThreshold (the
	// service's default).
	Threshold           float64 `json:"threshold"`
	FNMRAtFMR1e2        float64 `json:"fnmr_at_fmr_1e-2"`
	FNMRAtFMR1e3        float64 `json:"fnmr_at_fmr_1e-3"`
	AccuracyAtThreshold float64 `json:"accuracy_at_threshold"`
	MedianMS            float64 `json:"median_ms"`
}

// DocSelfieReport is the doc_selfie section.
type DocSelfieReport struct {
	Cases               int     `json:"cases"`
	Failures            int     `json:"failures"`
	AccuracyAtThreshold float64 `json:"accuracy_at_threshold"`
}

// MRZReport is the mrz section, as mrzread.Evaluate measures it.
type MRZReport = mrzread.MRZReport

// ClassifyReport is the classify section. Confusion counts expected → got.
type ClassifyReport struct {
	Cases     int                       `json:"cases"`
	Failures  int                       `json:"failures"`
	Accuracy  float64                   `json:"accuracy"`
	Confusion map[string]map[string]int `json:"confusion"`
}

// FraudReport is the fraud section: one entry per check name (isPrinted,
// isDisplay, isEdited).
type FraudReport map[string]FraudCheckReport

// FraudCheckReport is the figures of one fraud check.
type FraudCheckReport struct {
	Attacks   int     `json:"attacks"`
	BonaFide  int     `json:"bona_fide"`
	APCER     float64 `json:"apcer"`
	BPCER     float64 `json:"bpcer"`
	Threshold float64 `json:"threshold"`
}

// LivenessReport is the liveness section; APCER is per attack kind.
type LivenessReport struct {
	Cases int                `json:"cases"`
	APCER map[string]float64 `json:"apcer"`
	BPCER float64            `json:"bpcer"`
}

// Env is what evaluators share: configuration, the loaded models and decoded
// images. Its zero value is not usable; fill ModelDir and Workers.
type Env struct {
	// ModelDir holds the face models (scripts/models.sh).
	ModelDir string
	// Workers is the number of cases evaluated at once (and of face
	// recognisers loaded).
	Workers int
	// FaceThreshold is the face distance threshold of the service's default
	// schema; 0 means face.DefaultThreshold.
	FaceThreshold float64

	poolOnce sync.Once
	pool     *face.Pool
	poolErr  error

	facesMu sync.Mutex
	faces   map[string]*faceResult
}

// FacePool returns the face recogniser pool, loading it on first use.
func (e *Env) FacePool() (*face.Pool, error) {
	e.poolOnce.Do(func() { e.pool, e.poolErr = face.NewPool(e.ModelDir, max(1, e.Workers)) })
	return e.pool, e.poolErr
}

func (e *Env) faceThreshold() float64 {
	if e.FaceThreshold > 0 {
		return e.FaceThreshold
	}
	return face.DefaultThreshold
}

// Close frees the models.
func (e *Env) Close() {
	if e.pool != nil {
		e.pool.Close()
	}
}

// DecodeImage reads and decodes an image file.
func DecodeImage(path string) (image.Image, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	img, _, err := image.Decode(bufio.NewReader(f))
	if err != nil {
		return nil, fmt.Errorf("decode %s: %w", path, err)
	}
	return img, nil
}

// Run evaluates every case whose task one of evaluators knows and returns
// the report; cases of other tasks are ignored. Progress and tables go to
// out.
func Run(ctx context.Context, env *Env, cases []Case, evaluators []Evaluator, out io.Writer) (*Report, error) {
	if env.Workers < 1 {
		env.Workers = runtime.NumCPU()
	}
	byTask := map[string][]Case{}
	for _, c := range cases {
		byTask[c.Task] = append(byTask[c.Task], c)
	}
	rep := &Report{}
	known := map[string]bool{}
	for _, ev := range evaluators {
		known[ev.Task()] = true
		cs := byTask[ev.Task()]
		if len(cs) == 0 {
			continue
		}
		if err := ev.Evaluate(ctx, env, cs, rep, out); err != nil {
			return rep, fmt.Errorf("eval: %s: %w", ev.Task(), err)
		}
	}
	var skipped []string
	for task, cs := range byTask {
		if !known[task] {
			skipped = append(skipped, fmt.Sprintf("%s (%d)", task, len(cs)))
		}
	}
	if len(skipped) > 0 {
		sort.Strings(skipped)
		fmt.Fprintf(out, "tasks without an evaluator, skipped: %v\n", skipped)
	}
	return rep, nil
}

// WriteReport writes rep as indented JSON to path.
func WriteReport(path string, rep *Report) error {
	data, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return fmt.Errorf("eval: %w", err)
	}
	if err := os.WriteFile(path, append(data, '\n'), 0o644); err != nil {
		return fmt.Errorf("eval: %w", err)
	}
	return nil
}

// parallel calls fn(i) for i in [0, n) on workers goroutines, stopping early
// when ctx ends.
func parallel(ctx context.Context, n, workers int, fn func(i int)) error {
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < max(1, workers); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				fn(i)
			}
		}()
	}
	var err error
loop:
	for i := 0; i < n; i++ {
		select {
		case next <- i:
		case <-ctx.Done():
			err = ctx.Err()
			break loop
		}
	}
	close(next)
	wg.Wait()
	return err
}
