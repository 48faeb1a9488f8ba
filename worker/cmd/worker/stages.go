package main

import (
	"fmt"
	"log/slog"

	"github.com/openkyc/kyc/pkg/config"
	"github.com/openkyc/kyc/worker/internal/document"
	"github.com/openkyc/kyc/worker/internal/face"
	"github.com/openkyc/kyc/worker/internal/pipeline"
)

// buildStages returns the recognition stages in order, the session
// finisher, and a function releasing what they hold.
func buildStages(cfg config.Config, log *slog.Logger) ([]pipeline.Stage, pipeline.Finisher, func(), error) {
	var stages []pipeline.Stage
	if cfg.DebugStageDelay > 0 {
		log.Warn("debug stage delay enabled", "delay", cfg.DebugStageDelay)
		stages = append(stages, pipeline.Delay(cfg.DebugStageDelay))
	}
	pool, err := face.NewPool(cfg.ModelsDir, cfg.Concurrency)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("%w (run make setup, or set KYC_MODELS_DIR)", err)
	}
	doc, err := document.NewStage(nil)
	if err != nil {
		pool.Close()
		return nil, nil, nil, err
	}
	stages = append(stages, face.NewStage(pool), doc)
	return stages, face.Matcher{}, pool.Close, nil
}
