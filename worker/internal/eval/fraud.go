package eval

import (
	"context"
	"encoding/json"
	"fmt"
	"image"
	"io"
	"os"
	"text/tabwriter"

	"github.com/openkyc/kyc/worker/internal/fraud"
)

// fraudChecks are the fraud check names, in report order.
var fraudChecks = []string{fraud.CheckPrinted, fraud.CheckDisplay, fraud.CheckEdited}

// fraudScored is one evaluated image: its scores, or the error that kept it
// from being scored.
type fraudScored struct {
	img    image.Image
	scores fraud.Scores
	err    error
}

// scoreImage decodes path (unless img is given) and scores it the way the
// fraud stage does, with the largest face the face recogniser finds.
func scoreImage(ctx context.Context, env *Env, path string, img image.Image) fraudScored {
	var raw []byte
	if img == nil {
		var err error
		if raw, err = os.ReadFile(path); err != nil {
			return fraudScored{err: err}
		}
		if img, err = DecodeImage(path); err != nil {
			return fraudScored{err: err}
		}
	}
	pool, err := env.FacePool()
	if err != nil {
		return fraudScored{err: err}
	}
	faces, err := pool.Faces(ctx, img)
	if err != nil {
		return fraudScored{img: img, err: err}
	}
	var face image.Rectangle
	if len(faces) > 0 {
		face = faces[0].Rect
	}
	return fraudScored{img: img, scores: fraud.Measure(img, raw, face).Score()}
}

func checkScore(s fraud.Scores, check string) float64 {
	switch check {
	case fraud.CheckPrinted:
		return s.Printed
	case fraud.CheckDisplay:
		return s.Display
	case fraud.CheckEdited:
		return s.Edited
	}
	return s.Liveness
}

// tally counts the decisions of one check at its threshold.
type tally struct {
	attacks, bonaFide, missed, rejected int
}

func (t *tally) add(attack bool, score, threshold float64, failed bool) {
	flagged := !failed && score >= threshold
	if attack {
		t.attacks++
		if !flagged {
			t.missed++
		}
	} else {
		t.bonaFide++
		if flagged || failed {
			t.rejected++
		}
	}
}

func (t tally) report(threshold float64) FraudCheckReport {
	r := FraudCheckReport{Attacks: t.attacks, BonaFide: t.bonaFide, Threshold: threshold}
	if t.attacks > 0 {
		r.APCER = float64(t.missed) / float64(t.attacks)
	}
	if t.bonaFide > 0 {
		r.BPCER = float64(t.rejected) / float64(t.bonaFide)
	}
	return r
}

func printFraudTable(out io.Writer, title string, rep FraudReport) {
	fmt.Fprintln(out, title)
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "check\tattacks\tbona fide\tAPCER\tBPCER\tthreshold\t")
	for _, c := range fraudChecks {
		r, ok := rep[c]
		if !ok {
			continue
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%s\t%.2f\t\n", c, r.Attacks, r.BonaFide,
			rate(r.APCER, r.Attacks), rate(r.BPCER, r.BonaFide), r.Threshold)
	}
	tw.Flush()
}

func rate(v float64, n int) string {
	if n == 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.1f%%", 100*v)
}

// Fraud evaluates the fraud task (ISO/IEC 30107-3 style): for each check,
// APCER over the cases labelled true (attacks) and BPCER over those labelled
// false (bona fide), at the default threshold. A case that cannot be scored
// counts as an error of its kind. It then reports, separately, synthetic
// attacks made from the set's bona fide images with a fixed seed (printed
// halftone copies, screen captures, splices) against re-encoded copies of
// the same images; synthetic figures are printed, not written to the report.
type Fraud struct{}

// Task implements Evaluator.
func (Fraud) Task() string { return "fraud" }

// Evaluate implements Evaluator.
func (Fraud) Evaluate(ctx context.Context, env *Env, cases []Case, rep *Report, out io.Writer) error {
	expects := make([]map[string]bool, len(cases))
	for i, c := range cases {
		var v struct {
			Expect map[string]bool `json:"expect"`
		}
		if err := json.Unmarshal(c.Raw, &v); err != nil {
			return fmt.Errorf("case %s: %w", c.ID, err)
		}
		expects[i] = v.Expect
	}
	scored := make([]fraudScored, len(cases))
	if err := parallel(ctx, len(cases), env.Workers, func(i int) {
		scored[i] = scoreImage(ctx, env, cases[i].Image, nil)
	}); err != nil {
		return err
	}
	tallies := map[string]*tally{}
	failures := 0
	var bonaFide []image.Image
	// unedited counts isEdited decisions on the cases that do not label it:
	// real images nobody reports as altered, an estimate of its BPCER.
	unedited := &tally{}
	for i, c := range cases {
		s := scored[i]
		if s.err != nil {
			failures++
			fmt.Fprintf(out, "fraud: %s: %v\n", shortPath(c.Image), s.err)
		}
		if _, ok := expects[i][fraud.CheckEdited]; !ok {
			unedited.add(false, s.scores.Edited, fraud.Threshold(nil, fraud.CheckEdited), s.err != nil)
		}
		allFalse := len(expects[i]) > 0
		for check, attack := range expects[i] {
			if tallies[check] == nil {
				tallies[check] = &tally{}
			}
			tallies[check].add(attack, checkScore(s.scores, check), fraud.Threshold(nil, check), s.err != nil)
			if attack {
				allFalse = false
			}
		}
		if allFalse && s.img != nil {
			bonaFide = append(bonaFide, s.img)
		}
	}
	fr := FraudReport{}
	for check, t := range tallies {
		fr[check] = t.report(fraud.Threshold(nil, check))
	}
	rep.Fraud = &fr
	printFraudTable(out, fmt.Sprintf("\n== fraud (%d cases, %d failures; development-set images)", len(cases), failures), fr)
	ur := unedited.report(fraud.Threshold(nil, fraud.CheckEdited))
	fmt.Fprintf(out, "isEdited on the %d cases that do not label it (assumed unedited; not in the report): BPCER %s (%d)\n",
		ur.BonaFide, rate(ur.BPCER, ur.BonaFide), unedited.rejected)

	syn, err := syntheticFraud(ctx, env, bonaFide)
	if err != nil {
		return err
	}
	printFraudTable(out, fmt.Sprintf("\n== fraud, synthetic (made from the %d bona fide images above, seed 1; not in the report)", len(bonaFide)), syn)
	return nil
}

// syntheticFraud scores the simulated attacks of package fraud made from
// the bona fide images: every check's attacks are the simulations of its
// kind (print for isPrinted, screen for isDisplay, splice for isEdited), its
// bona fide cases the re-encoded captures of the same images.
func syntheticFraud(ctx context.Context, env *Env, imgs []image.Image) (FraudReport, error) {
	type job struct {
		check string // "" for a bona fide capture
		img   image.Image
	}
	var jobs []job
	for i, img := range imgs {
		seed := uint64(i + 1)
		jobs = append(jobs,
			job{"", fraud.SimulateCapture(img, seed)},
			job{fraud.CheckPrinted, fraud.SimulatePrint(img, seed)},
			job{fraud.CheckDisplay, fraud.SimulateScreen(img, seed)},
			job{fraud.CheckEdited, fraud.SimulateSplice(img, imgs[(i+1)%len(imgs)], seed)})
	}
	scored := make([]fraudScored, len(jobs))
	if err := parallel(ctx, len(jobs), env.Workers, func(i int) {
		scored[i] = scoreImage(ctx, env, "", jobs[i].img)
	}); err != nil {
		return nil, err
	}
	tallies := map[string]*tally{}
	for _, c := range fraudChecks {
		tallies[c] = &tally{}
	}
	for i, j := range jobs {
		s := scored[i]
		for _, c := range fraudChecks {
			switch j.check {
			case "":
				tallies[c].add(false, checkScore(s.scores, c), fraud.Threshold(nil, c), s.err != nil)
			case c:
				tallies[c].add(true, checkScore(s.scores, c), fraud.Threshold(nil, c), s.err != nil)
			}
		}
	}
	rep := FraudReport{}
	for c, t := range tallies {
		rep[c] = t.report(fraud.Threshold(nil, c))
	}
	return rep, nil
}
