// Command kyc-eval measures the worker's recognition code on a labelled set
// (../shared/EVALUATION.md):
//
//	kyc-eval [-cases PATH] [-report PATH] [-models DIR] [-workers N]
//
// It prints readable tables and writes the JSON report. The exit status is 0
// whenever it ran; the figures are judged elsewhere.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"time"

	"github.com/openkyc/kyc/worker/internal/eval"
)

// repoRoot is the closest folder above the working directory that holds
// go.work, or "" when there is none.
func repoRoot() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.work")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

func main() {
	root := repoRoot()
	if root == "" {
		root = "."
	}
	models := os.Getenv("KYC_MODELS_DIR")
	if models == "" {
		models = filepath.Join(root, "models")
	}
	casesPath := flag.String("cases", filepath.Join(root, "..", "shared", "testdata", "cases.jsonl"), "labelled cases (cases.jsonl); image paths are relative to its folder")
	reportPath := flag.String("report", "eval-report.json", "where to write the JSON report")
	modelDir := flag.String("models", models, "face model directory ($KYC_MODELS_DIR, default <repo>/models)")
	workers := flag.Int("workers", runtime.NumCPU(), "cases evaluated at once")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	cases, err := eval.LoadCases(*casesPath)
	if err != nil {
		fmt.Fprintln(os.Stderr, "kyc-eval:", err)
		os.Exit(1)
	}
	env := &eval.Env{ModelDir: *modelDir, Workers: *workers}
	defer env.Close()
	start := time.Now()
	fmt.Printf("kyc-eval: %d cases from %s, %d workers\n", len(cases), *casesPath, *workers)
	rep, err := eval.Run(ctx, env, cases, eval.Evaluators(), os.Stdout)
	if err != nil {
		fmt.Fprintln(os.Stderr, "kyc-eval:", err)
		os.Exit(1)
	}
	if err := eval.WriteReport(*reportPath, rep); err != nil {
		fmt.Fprintln(os.Stderr, "kyc-eval:", err)
		os.Exit(1)
	}
	fmt.Printf("\nkyc-eval: report written to %s (%.1f s)\n", *reportPath, time.Since(start).Seconds())
}
