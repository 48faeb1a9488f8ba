package eval

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/openkyc/kyc/worker/internal/mrzread"
)

// MRZ evaluates the mrz task: documents whose MRZ is read exactly, field
// accuracy, check-digit failures reported, time per document.
type MRZ struct{}

// Task implements Evaluator.
func (MRZ) Task() string { return "mrz" }

// Evaluate implements Evaluator.
func (MRZ) Evaluate(ctx context.Context, env *Env, cases []Case, rep *Report, out io.Writer) error {
	mc := make([]mrzread.MRZCase, 0, len(cases))
	for _, c := range cases {
		var raw struct {
			MRZ              []string `json:"mrz"`
			CheckDigitsValid *bool    `json:"checkDigitsValid"`
		}
		if err := json.Unmarshal(c.Raw, &raw); err != nil {
			return fmt.Errorf("eval: case %s: %w", c.ID, err)
		}
		mc = append(mc, mrzread.MRZCase{ID: c.ID, ImagePath: c.Image, Lines: raw.MRZ,
			CheckDigitsValid: raw.CheckDigitsValid == nil || *raw.CheckDigitsValid})
	}
	r := mrzread.Evaluate(ctx, mc, env.Workers)
	if err := ctx.Err(); err != nil {
		return err
	}
	rep.MRZ = &r
	fmt.Fprintf(out, "\n== mrz: %d documents\n", r.Cases)
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "documents read exactly\t%.1f%%\n", 100*r.ExactRate)
	fmt.Fprintf(tw, "fields correct\t%.1f%%\n", 100*r.FieldAccuracy)
	fmt.Fprintf(tw, "invalid MRZs flagged\t%.1f%%\n", 100*r.InvalidFlaggedRate)
	fmt.Fprintf(tw, "failures (no MRZ found)\t%d\n", r.Failures)
	fmt.Fprintf(tw, "median time per document\t%.0f ms\n", r.MedianMS)
	return tw.Flush()
}
