package main

import (
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"github.com/openkyc/kyc/pkg/config"
	"github.com/openkyc/kyc/worker/internal/document"
	"github.com/openkyc/kyc/worker/internal/face"
	"github.com/openkyc/kyc/worker/internal/fraud"
	"github.com/openkyc/kyc/worker/internal/pipeline"
)

// knownStages are the stages KYC_STAGES may name, in the order they run.
const knownStages = "faces,document,fraud"

// buildStages returns the recognition stages in order, the session
// finisher, and a function releasing what they hold.
func buildStages(cfg config.Config, log *slog.Logger) (stages []pipeline.Stage, fin pipeline.Finisher, closeAll func(), err error) {
	for _, name := range cfg.Stages {
		if !slices.Contains(strings.Split(knownStages, ","), name) {
			return nil, nil, nil, fmt.Errorf("KYC_STAGES: unknown stage %q (known: %s)", name, knownStages)
		}
	}
	if cfg.DebugStageDelay > 0 {
		log.Warn("debug stage delay enabled", "delay", cfg.DebugStageDelay)
		stages = append(stages, pipeline.Delay(cfg.DebugStageDelay))
	}
	closeAll = func() {}
	if slices.Contains(cfg.Stages, "faces") {
		pool, err := face.NewPool(cfg.ModelsDir, cfg.Concurrency)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("%w (run make setup, or set KYC_MODELS_DIR)", err)
		}
		closeAll = pool.Close
		stages = append(stages, face.NewStage(pool))
		fin = face.Matcher{}
	}
	if slices.Contains(cfg.Stages, "document") {
		if !slices.Contains(cfg.Stages, "faces") {
			closeAll()
			return nil, nil, nil, fmt.Errorf("KYC_STAGES: document needs faces")
		}
		doc, err := document.NewStage(nil)
		if err != nil {
			closeAll()
			return nil, nil, nil, err
		}
		closeFaces := closeAll
		closeAll = func() { doc.Close(); closeFaces() }
		stages = append(stages, doc)
	}
	if slices.Contains(cfg.Stages, "fraud") {
		// It reads the faces and the type the stages before it found.
		stages = append(stages, fraud.NewStage())
	}
	return stages, fin, closeAll, nil
}
