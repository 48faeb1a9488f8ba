package fraud_test

import (
	"context"
	"image"
	"os"
	"path/filepath"
	"testing"

	"github.com/openkyc/kyc/pkg/testenv"
	"github.com/openkyc/kyc/worker/internal/eval"
	"github.com/openkyc/kyc/worker/internal/fraud"
)

// TestSelfieBPCER measures the liveness check's bona fide rejection rate on
// the face photos of a development set's face_pair cases (every one a bona
// fide photo of a person), with the largest face the face stage finds, and
// holds it under maxSelfieBPCER. It needs ../shared and the face models
// ($KYC_MODELS_DIR or <repo>/models):
//
//	go test ./internal/fraud -run SelfieBPCER -v
func TestSelfieBPCER(t *testing.T) {
	const maxSelfieBPCER = 0.05
	cases, err := eval.LoadCases(filepath.Join(testenv.SharedDir(t), "testdata", "cases.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	models := os.Getenv("KYC_MODELS_DIR")
	if models == "" {
		root, err := testenv.RepoRoot()
		if err != nil {
			t.Fatal(err)
		}
		models = filepath.Join(root, "models")
	}
	env := &eval.Env{ModelDir: models, Workers: 1}
	defer env.Close()
	pool, err := env.FacePool()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	n, rejected := 0, 0
	for _, c := range cases {
		if c.Task != "face_pair" {
			continue
		}
		for _, p := range c.Images {
			if seen[p] {
				continue
			}
			seen[p] = true
			img, err := eval.DecodeImage(p)
			if err != nil {
				t.Errorf("%s: %v", p, err)
				continue
			}
			faces, err := pool.Faces(context.Background(), img)
			if err != nil {
				t.Errorf("%s: %v", p, err)
				continue
			}
			var face image.Rectangle
			if len(faces) > 0 {
				face = faces[0].Rect
			}
			sc := fraud.Measure(img, nil, face).Score()
			n++
			if sc.Liveness >= fraud.Threshold(nil, fraud.CheckLiveness) {
				rejected++
				t.Logf("rejected: %s (liveness %.2f)", p, sc.Liveness)
			}
		}
	}
	if n == 0 {
		t.Fatal("no face_pair images in the development set")
	}
	bpcer := float64(rejected) / float64(n)
	t.Logf("liveness BPCER on %d face_pair photos: %.1f%% (%d)", n, 100*bpcer, rejected)
	if bpcer > maxSelfieBPCER {
		t.Errorf("liveness rejects %.1f%% of bona fide face photos, more than %.0f%%", 100*bpcer, 100*maxSelfieBPCER)
	}
}
