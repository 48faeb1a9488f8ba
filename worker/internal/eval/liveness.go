package eval

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"text/tabwriter"

	"github.com/openkyc/kyc/worker/internal/fraud"
)

// Liveness evaluates the liveness task: the selfie presentation-attack
// score at its default threshold; APCER per attack kind (print, replay and
// mask always reported, other kinds when present), BPCER over bona fide
// cases. A case that cannot be scored counts as an error of its kind.
type Liveness struct{}

// Task implements Evaluator.
func (Liveness) Task() string { return "liveness" }

// Evaluate implements Evaluator.
func (Liveness) Evaluate(ctx context.Context, env *Env, cases []Case, rep *Report, out io.Writer) error {
	kinds := make([]string, len(cases))
	for i, c := range cases {
		var v struct {
			Expect string `json:"expect"`
		}
		if err := json.Unmarshal(c.Raw, &v); err != nil {
			return fmt.Errorf("case %s: %w", c.ID, err)
		}
		kinds[i] = v.Expect
	}
	scored := make([]fraudScored, len(cases))
	if err := parallel(ctx, len(cases), env.Workers, func(i int) {
		scored[i] = scoreImage(ctx, env, cases[i].Image, nil)
	}); err != nil {
		return err
	}
	thr := fraud.Threshold(nil, fraud.CheckLiveness)
	byKind := map[string]*tally{"print": {}, "replay": {}, "mask": {}}
	bona := &tally{}
	for i, k := range kinds {
		s := scored[i]
		if s.err != nil {
			fmt.Fprintf(out, "liveness: %s: %v\n", shortPath(cases[i].Image), s.err)
		}
		if k == "bona_fide" {
			bona.add(false, s.scores.Liveness, thr, s.err != nil)
			continue
		}
		if byKind[k] == nil {
			byKind[k] = &tally{}
		}
		byKind[k].add(true, s.scores.Liveness, thr, s.err != nil)
	}
	lr := &LivenessReport{Cases: len(cases), APCER: map[string]float64{}}
	lr.BPCER = bona.report(thr).BPCER
	var names []string
	for k := range byKind {
		names = append(names, k)
	}
	sort.Strings(names)
	fmt.Fprintf(out, "\n== liveness (%d cases, threshold %.2f)\n", len(cases), thr)
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "kind\tcases\terror rate\t")
	for _, k := range names {
		r := byKind[k].report(thr)
		lr.APCER[k] = r.APCER
		fmt.Fprintf(tw, "%s (APCER)\t%d\t%s\t\n", k, r.Attacks, rate(r.APCER, r.Attacks))
	}
	fmt.Fprintf(tw, "bona_fide (BPCER)\t%d\t%s\t\n", bona.bonaFide, rate(lr.BPCER, bona.bonaFide))
	tw.Flush()
	rep.Liveness = lr
	return nil
}
