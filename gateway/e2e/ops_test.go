package e2e

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/openkyc/kyc/gateway/api"
)

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestOpsEndpoints(t *testing.T) {
	// Some traffic first, a refused request among it, so that every series
	// has samples.
	svc.process(t, processReq{headers: bearer(tokenA), files: []file{{name: "a.jpg", data: selfieJPEG(t)}}})
	svc.process(t, processReq{files: []file{{name: "a.jpg", data: selfieJPEG(t)}}})
	tests := []struct {
		name string
		url  string
		want []string
	}{
		{"gateway healthz", svc.base + "/healthz", []string{`"status":"ok"`}},
		{"gateway readyz", svc.base + "/readyz", []string{`"redis":"ok"`, `"storage":"ok"`}},
		{"gateway metrics", svc.base + "/metrics", []string{
			`kyc_gateway_request_duration_seconds_bucket{code="200",method="POST",route="/v1/kyc/process"`,
			`kyc_queue_tasks{state="pending"}`, `kyc_gateway_failures_total`, `kyc_gateway_upload_bytes_total`}},
		{"openapi", svc.base + "/openapi.yaml", []string{string(api.Spec)}},
		{"worker healthz", svc.workerOps + "/healthz", []string{`"status":"ok"`}},
		{"worker readyz", svc.workerOps + "/readyz", []string{`"status":"ok"`}},
		{"worker metrics", svc.workerOps + "/metrics", []string{
			`kyc_worker_stage_duration_seconds_bucket{stage="faces"`, `kyc_worker_stage_duration_seconds_bucket{stage="document"`,
			`kyc_worker_stage_duration_seconds_bucket{stage="decode"`, `kyc_worker_tasks_total{outcome="done"}`, `kyc_queue_tasks{state="active"}`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body := get(t, tt.url)
			if code != http.StatusOK {
				t.Fatalf("%d %s", code, body)
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("missing %.80q", w)
				}
			}
		})
	}
}
