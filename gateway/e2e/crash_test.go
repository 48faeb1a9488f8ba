package e2e

import (
	"net/http"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/openkyc/kyc/pkg/kyc"
	"github.com/openkyc/kyc/pkg/queue"
)

// TestWorkerKilledMidJob kills the worker (SIGKILL) while it processes an
// image; after a restart the task is recovered from its expired lease and
// the session finishes with the image's result, none lost or doubled.
func TestWorkerKilledMidJob(t *testing.T) {
	t.Parallel()
	s, err := startStack(bins, "KYC_DEBUG_STAGE_DELAY=5s", "KYC_WORKER_CONCURRENCY=1")
	if err != nil {
		t.Fatal(err)
	}
	defer s.stop()

	a := s.process(t, processReq{headers: bearer(tokenA), fields: map[string]string{"mode": "async"},
		files: []file{{name: "a.jpg", data: selfieJPEG(t)}, {name: "b.jpg", data: selfieJPEG(t)}}})
	if a.code != http.StatusOK {
		t.Fatalf("process: %d %s", a.code, a.body)
	}
	var r kyc.ProcessResponse
	mustJSON(t, a.body, &r)

	insp := asynq.NewInspector(asynq.RedisClientOpt{Addr: s.redis.Addr})
	defer insp.Close()
	deadline := time.Now().Add(30 * time.Second)
	for {
		info, err := insp.GetQueueInfo(queue.Name)
		if err == nil && info.Active == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no task became active: %+v %v", info, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.killWorker()
	st := s.status(t, tokenA, map[string]string{"sessionId": r.SessionID})
	var mid kyc.SessionStatus
	mustJSON(t, st.body, &mid)
	if mid.Status != kyc.StatusProcessing {
		t.Fatalf("after the kill the session is %s, want processing", mid.Status)
	}

	if err := s.startWorker(); err != nil {
		t.Fatal(err)
	}
	// Asynq hands a task back once its lease has been expired for 30 s,
	// checked every minute: allow for two checks.
	final := s.pollFinal(t, tokenA, r.SessionID, 150*time.Second)
	if final.Status != kyc.StatusSuccess || len(final.Results) != 2 {
		t.Fatalf("final session %s with %d results: %+v", final.Status, len(final.Results), final.Results)
	}
	for _, res := range final.Results {
		if res.Status != kyc.StatusSuccess {
			t.Errorf("result %+v", res)
		}
	}
}
