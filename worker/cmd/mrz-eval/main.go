// Command mrz-eval measures the MRZ reader on the mrz cases of a
// cases.jsonl file (see testdata/README.md of the shared set) and prints a
// per-case table and the summary figures of EVALUATION.md.
//
//	go run ./cmd/mrz-eval -cases /work/shared/testdata/cases.jsonl [-workers 2] [-v] [-json report.json]
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"

	"github.com/openkyc/kyc/worker/internal/mrzread"
)

type jsonCase struct {
	ID               string   `json:"id"`
	Task             string   `json:"task"`
	Image            string   `json:"image"`
	MRZ              []string `json:"mrz"`
	CheckDigitsValid *bool    `json:"checkDigitsValid"`
}

func main() {
	casesPath := flag.String("cases", "", "cases.jsonl")
	workers := flag.Int("workers", 2, "parallel readers")
	verbose := flag.Bool("v", false, "print every case, not only the inexact ones")
	jsonOut := flag.String("json", "", "write the report as JSON to this file")
	match := flag.String("match", "", "only cases whose id contains this string")
	flag.Parse()
	if *casesPath == "" {
		log.Fatal("-cases is required")
	}
	f, err := os.Open(*casesPath)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	dir := filepath.Dir(*casesPath)
	var cases []mrzread.MRZCase
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var c jsonCase
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			log.Fatal(err)
		}
		if c.Task != "mrz" || !strings.Contains(c.ID, *match) {
			continue
		}
		valid := c.CheckDigitsValid == nil || *c.CheckDigitsValid
		cases = append(cases, mrzread.MRZCase{ID: c.ID, ImagePath: filepath.Join(dir, c.Image), Lines: c.MRZ, CheckDigitsValid: valid})
	}
	if err := sc.Err(); err != nil {
		log.Fatal(err)
	}
	rep := mrzread.Evaluate(context.Background(), cases, *workers)
	for _, r := range rep.Results {
		if r.Exact && !*verbose {
			continue
		}
		mark := "ok "
		if !r.Exact {
			mark = "BAD"
		}
		fmt.Printf("%s %-60s fields %2d/%2d %7.0f ms", mark, r.ID, r.FieldsCorrect, r.Fields, r.MS)
		if r.Invalid {
			fmt.Printf("  invalid flagged=%v", r.Flagged)
		}
		fmt.Println()
		if r.Err != "" {
			fmt.Println("    error:", r.Err)
			continue
		}
		for i, w := range r.Want {
			g := ""
			if i < len(r.Got) {
				g = r.Got[i]
			}
			if g != w {
				fmt.Printf("    want %s\n    got  %s\n    diff %s\n", w, g, diff(w, g))
			}
		}
	}
	fmt.Printf("\n%-22s %d\n%-22s %d\n%-22s %.3f\n%-22s %.3f\n%-22s %.3f\n%-22s %.1f\n",
		"cases", rep.Cases, "failures", rep.Failures, "exact_rate", rep.ExactRate,
		"field_accuracy", rep.FieldAccuracy, "invalid_flagged_rate", rep.InvalidFlaggedRate,
		"median_ms", rep.MedianMS)
	if *jsonOut != "" {
		b, _ := json.MarshalIndent(map[string]any{"mrz": rep}, "", "  ")
		if err := os.WriteFile(*jsonOut, b, 0o644); err != nil {
			log.Fatal(err)
		}
	}
}

func diff(a, b string) string {
	ra, rb := []rune(a), []rune(b)
	var s strings.Builder
	for i := 0; i < max(len(ra), len(rb)); i++ {
		if i < len(ra) && i < len(rb) && ra[i] == rb[i] {
			s.WriteByte(' ')
		} else {
			s.WriteByte('^')
		}
	}
	return s.String()
}
