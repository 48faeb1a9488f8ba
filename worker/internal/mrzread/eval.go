package mrzread

import (
	"context"
	"fmt"
	"image"
	_ "image/gif"  // decoders for evaluation images
	_ "image/jpeg" // decoders for evaluation images
	_ "image/png"  // decoders for evaluation images
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	_ "golang.org/x/image/webp" // decoders for evaluation images

	"github.com/openkyc/kyc/worker/internal/mrz"
)

// MRZCase is one labelled MRZ image of an evaluation set.
type MRZCase struct {
	ID        string
	ImagePath string
	// Lines is the MRZ printed on the document.
	Lines []string
	// CheckDigitsValid is false for documents whose printed MRZ fails its
	// own ICAO 9303 check digits.
	CheckDigitsValid bool
}

// MRZResult is the outcome of one case.
type MRZResult struct {
	ID            string   `json:"id"`
	Want          []string `json:"want"`
	Got           []string `json:"got,omitempty"`
	Exact         bool     `json:"exact"`
	Fields        int      `json:"fields"`
	FieldsCorrect int      `json:"fields_correct"`
	// Invalid is set for cases labelled checkDigitsValid:false; Flagged
	// tells whether the reader reported their failing check digits.
	Invalid bool    `json:"invalid"`
	Flagged bool    `json:"flagged"`
	Err     string  `json:"error,omitempty"`
	MS      float64 `json:"ms"`
}

// MRZReport holds the figures of EVALUATION.md for the mrz task.
type MRZReport struct {
	Cases              int         `json:"cases"`
	Failures           int         `json:"failures"`
	ExactRate          float64     `json:"exact_rate"`
	FieldAccuracy      float64     `json:"field_accuracy"`
	InvalidFlaggedRate float64     `json:"invalid_flagged_rate"`
	MedianMS           float64     `json:"median_ms"`
	Results            []MRZResult `json:"-"`
}

// Evaluate reads every case with workers goroutines (at least 1) and
// measures exact_rate (documents whose lines all read exactly),
// field_accuracy (correct fields over all MRZ fields of the labels),
// invalid_flagged_rate (documents labelled checkDigitsValid:false whose
// failing check digits the reader reported) and median_ms (median wall time
// of decoding and reading one image). A case whose image cannot be decoded or
// whose MRZ is not found counts in failures and against every figure.
func Evaluate(ctx context.Context, cases []MRZCase, workers int) MRZReport {
	if workers < 1 {
		workers = 1
	}
	r := NewReader()
	results := make([]MRZResult, len(cases))
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				results[i] = evalCase(ctx, r, cases[i])
			}
		}()
	}
	for i := range cases {
		next <- i
	}
	close(next)
	wg.Wait()

	rep := MRZReport{Cases: len(cases), Results: results}
	var exact, fields, correct, invalid, flagged int
	var ms []float64
	for _, res := range results {
		if res.Err != "" {
			rep.Failures++
		}
		if res.Exact {
			exact++
		}
		fields += res.Fields
		correct += res.FieldsCorrect
		if res.Invalid {
			invalid++
			if res.Flagged {
				flagged++
			}
		}
		ms = append(ms, res.MS)
	}
	if len(cases) > 0 {
		rep.ExactRate = float64(exact) / float64(len(cases))
	}
	if fields > 0 {
		rep.FieldAccuracy = float64(correct) / float64(fields)
	}
	if invalid > 0 {
		rep.InvalidFlaggedRate = float64(flagged) / float64(invalid)
	}
	rep.MedianMS = median(ms)
	return rep
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// labelFields parses label lines that may hold characters outside the MRZ
// alphabet (e.g. Ñ printed by a non-conforming issuer). Such characters are
// replaced to parse; fields that contain one can never be read correctly and
// come back with ok false.
func labelFields(lines []string) (fields []mrz.Field, ok []bool, m *mrz.MRZ) {
	sub := func(r rune) func(string) string {
		return func(s string) string {
			return strings.Map(func(c rune) rune {
				if c < 128 && mrz.CharValue(byte(c)) >= 0 {
					return c
				}
				return r
			}, s)
		}
	}
	a := make([]string, len(lines))
	b := make([]string, len(lines))
	for i, l := range lines {
		a[i] = sub('<')(strings.ToUpper(l))
		b[i] = sub('X')(strings.ToUpper(l))
	}
	ma, errA := mrz.Parse(a)
	mb, errB := mrz.Parse(b)
	if errA != nil || errB != nil {
		return nil, nil, nil
	}
	fa, fb := ma.Fields(), mb.Fields()
	ok = make([]bool, len(fa))
	for i := range fa {
		ok[i] = fa[i] == fb[i]
	}
	if strings.Join(a, "") == strings.Join(lines, "") {
		m = ma
	}
	return fa, ok, m
}

func evalCase(ctx context.Context, r *Reader, c MRZCase) MRZResult {
	res := MRZResult{ID: c.ID, Want: c.Lines, Invalid: !c.CheckDigitsValid}
	want, wantOK, wantMRZ := labelFields(c.Lines)
	res.Fields = len(want)
	if res.Fields == 0 {
		res.Fields = 1 // an unparseable label still counts as one field
	}
	start := time.Now()
	rd, err := func() (*Read, error) {
		f, err := os.Open(c.ImagePath)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		img, _, err := image.Decode(f)
		if err != nil {
			return nil, fmt.Errorf("decode: %w", err)
		}
		return r.Read(ctx, img)
	}()
	res.MS = float64(time.Since(start).Microseconds()) / 1000
	if err != nil {
		res.Err = err.Error()
		return res
	}
	res.Got = rd.Lines
	res.Exact = strings.Join(rd.Lines, "\n") == strings.Join(c.Lines, "\n")
	if rd.MRZ != nil && want != nil {
		got := rd.MRZ.Fields()
		if rd.MRZ.Format == wantFormat(c.Lines) {
			for i := range want {
				if i < len(got) && wantOK[i] && got[i] == want[i] {
					res.FieldsCorrect++
				}
			}
		}
	}
	if res.Invalid && rd.MRZ != nil && !rd.MRZ.Valid() {
		res.Flagged = true
		if wantMRZ != nil {
			// Every check that fails on the document must be reported.
			failing := map[string]bool{}
			for _, ck := range rd.MRZ.FailedChecks() {
				failing[ck.Name] = true
			}
			for _, ck := range wantMRZ.FailedChecks() {
				if !failing[ck.Name] {
					res.Flagged = false
				}
			}
		}
	}
	return res
}

func wantFormat(lines []string) mrz.Format {
	f, _ := mrz.DetectFormat(lines)
	if f == "" && len(lines) == 3 {
		return mrz.TD1
	}
	return f
}
