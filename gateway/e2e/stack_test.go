package e2e

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/openkyc/kyc/pkg/testenv"
)

// Tokens of the test stacks: two accounts, so that cross-account access
// can be tried.
const (
	tokenA = "token-account-a"
	tokenB = "token-account-b"
)

// Limits of the test stacks, small so that the limit tests stay fast.
const (
	maxBody   = 8 << 20
	maxFile   = 3 << 20
	maxImages = 4
)

// binaries are the gateway and worker built once for all tests.
type binaries struct{ gateway, worker string }

func build(dir string) (binaries, error) {
	root, err := testenv.RepoRoot()
	if err != nil {
		return binaries{}, err
	}
	b := binaries{gateway: filepath.Join(dir, "gateway"), worker: filepath.Join(dir, "worker")}
	for _, c := range []struct{ out, pkg, cgo string }{
		{b.gateway, "./gateway/cmd/gateway", "0"},
		{b.worker, "./worker/cmd/worker", "1"},
	} {
		cmd := exec.Command("go", "build", "-o", c.out, c.pkg)
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "CGO_ENABLED="+c.cgo)
		if out, err := cmd.CombinedOutput(); err != nil {
			return binaries{}, fmt.Errorf("build %s: %w\n%s", c.pkg, err, out)
		}
	}
	return b, nil
}

// stack is one running service: Redis, MinIO, a worker and a gateway.
type stack struct {
	bin          binaries
	redis, minio *testenv.Server
	env          []string
	base         string // the gateway's base URL
	workerOps    string // the worker's ops base URL
	gateway      *exec.Cmd
	worker       *exec.Cmd
}

// startStack starts a whole service; extraEnv adds or overrides settings.
func startStack(bin binaries, extraEnv ...string) (s *stack, err error) {
	s = &stack{bin: bin}
	defer func() {
		if err != nil {
			s.stop()
		}
	}()
	if s.redis, err = testenv.StartRedis(); err != nil {
		return s, err
	}
	if s.minio, err = testenv.StartMinIO(); err != nil {
		return s, err
	}
	gwPort, err := testenv.FreePort()
	if err != nil {
		return s, err
	}
	opsPort, err := testenv.FreePort()
	if err != nil {
		return s, err
	}
	root, err := testenv.RepoRoot()
	if err != nil {
		return s, err
	}
	s.base = "http://127.0.0.1:" + strconv.Itoa(gwPort)
	s.workerOps = "http://127.0.0.1:" + strconv.Itoa(opsPort)
	s.env = append(os.Environ(),
		"KYC_REDIS_ADDR="+s.redis.Addr,
		"KYC_MINIO_ENDPOINT="+s.minio.Addr,
		"KYC_MINIO_ACCESS_KEY="+testenv.MinIOAccessKey,
		"KYC_MINIO_SECRET_KEY="+testenv.MinIOSecretKey,
		"KYC_HTTP_ADDR=127.0.0.1:"+strconv.Itoa(gwPort),
		"KYC_WORKER_METRICS_ADDR=127.0.0.1:"+strconv.Itoa(opsPort),
		"KYC_TOKENS="+tokenA+"=acct-a,"+tokenB+"=acct-b",
		"KYC_MAX_BODY_BYTES="+strconv.Itoa(maxBody),
		"KYC_MAX_FILE_BYTES="+strconv.Itoa(maxFile),
		"KYC_MAX_IMAGES="+strconv.Itoa(maxImages),
		"KYC_SYNC_TIMEOUT=60s",
		"KYC_MODELS_DIR="+filepath.Join(root, "models"),
		"KYC_LOG_LEVEL=warn",
	)
	s.env = append(s.env, extraEnv...)
	if err := s.startWorker(); err != nil {
		return s, err
	}
	if s.gateway, err = s.spawn(bin.gateway, s.base+"/readyz"); err != nil {
		return s, err
	}
	return s, nil
}

func (s *stack) spawn(bin, ready string) (*exec.Cmd, error) {
	cmd := exec.Command(bin)
	cmd.Env = s.env
	if os.Getenv("KYC_TEST_SERVER_LOGS") != "" {
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-exited:
			return nil, fmt.Errorf("%s exited at start: %v", filepath.Base(bin), err)
		default:
		}
		if resp, err := http.Get(ready); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return cmd, nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	_ = cmd.Process.Kill()
	return nil, fmt.Errorf("%s not ready within 60s", filepath.Base(bin))
}

func (s *stack) startWorker() (err error) {
	s.worker, err = s.spawn(s.bin.worker, s.workerOps+"/readyz")
	return err
}

// killWorker ends the worker abruptly, as a crash or an OOM kill would.
func (s *stack) killWorker() {
	if s.worker != nil && s.worker.Process != nil {
		_ = s.worker.Process.Signal(syscall.SIGKILL)
		for i := 0; i < 100 && s.worker.Process.Signal(syscall.Signal(0)) == nil; i++ {
			time.Sleep(20 * time.Millisecond)
		}
		s.worker = nil
	}
}

func (s *stack) stop() {
	for _, c := range []*exec.Cmd{s.gateway, s.worker} {
		if c != nil && c.Process != nil {
			_ = c.Process.Signal(syscall.SIGTERM)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for _, c := range []*exec.Cmd{s.gateway, s.worker} {
		if c == nil || c.Process == nil {
			continue
		}
		for ctx.Err() == nil && c.Process.Signal(syscall.Signal(0)) == nil {
			time.Sleep(20 * time.Millisecond)
		}
		_ = c.Process.Kill()
	}
	if s.redis != nil {
		s.redis.Stop()
	}
	if s.minio != nil {
		s.minio.Stop()
	}
}
