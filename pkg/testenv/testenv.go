// Package testenv starts the real servers that tests talk to (redis-server
// and the MinIO server built into the repository's bin/) on free loopback
// ports, and finds the repository's shared development data. Nothing here
// mocks a server: a test that cannot start one fails.
package testenv

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// Server is a running child process; Stop ends it and removes its data.
type Server struct {
	Addr string
	cmd  *exec.Cmd
	dir  string
	done chan struct{}
}

// Stop kills the server and removes its data directory.
func (s *Server) Stop() {
	if s.cmd.Process != nil {
		_ = s.cmd.Process.Kill()
		<-s.done
	}
	_ = os.RemoveAll(s.dir)
}

// RepoRoot returns the repository root: the nearest directory upwards of
// the working directory that holds go.work.
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.work")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("testenv: no go.work above the working directory")
		}
		dir = parent
	}
}

// FindShared returns the shared development data folder: KYC_SHARED_DIR,
// or ../shared beside the repository, or an error when it is missing.
func FindShared() (string, error) {
	dir := os.Getenv("KYC_SHARED_DIR")
	if dir == "" {
		root, err := RepoRoot()
		if err != nil {
			return "", err
		}
		dir = filepath.Join(root, "..", "shared")
	}
	if _, err := os.Stat(filepath.Join(dir, "testdata", "cases.jsonl")); err != nil {
		return "", fmt.Errorf("testenv: the shared development set is missing (%w); set KYC_SHARED_DIR", err)
	}
	return dir, nil
}

// SharedDir is FindShared for a test; it fails the test when the folder is
// missing: tests that need it must not pass silently without it.
func SharedDir(tb testing.TB) string {
	tb.Helper()
	dir, err := FindShared()
	if err != nil {
		tb.Fatal(err)
	}
	return dir
}

// FreePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func start(name string, args []string, env []string) (*Server, error) {
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), env...)
	if os.Getenv("KYC_TEST_SERVER_LOGS") != "" {
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("testenv: start %s: %w", name, err)
	}
	s := &Server{cmd: cmd, done: make(chan struct{})}
	go func() { _ = cmd.Wait(); close(s.done) }()
	return s, nil
}

// StartRedis starts redis-server with no persistence on a free port.
func StartRedis() (*Server, error) {
	port, err := FreePort()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "kyc-redis-")
	if err != nil {
		return nil, err
	}
	s, err := start("redis-server", []string{
		"--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
		"--dir", dir,
	}, nil)
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	s.dir, s.Addr = dir, "127.0.0.1:"+strconv.Itoa(port)
	rdb := redis.NewClient(&redis.Options{Addr: s.Addr})
	defer rdb.Close()
	if err := waitFor(s, func() error { return rdb.Ping(context.Background()).Err() }); err != nil {
		s.Stop()
		return nil, fmt.Errorf("testenv: redis on %s: %w", s.Addr, err)
	}
	return s, nil
}

// MinIO credentials of the servers StartMinIO starts.
const (
	MinIOAccessKey = "kyctestaccess"
	MinIOSecretKey = "kyctestsecret"
)

// MinIOBinary returns KYC_MINIO_BIN or bin/minio of the repository.
func MinIOBinary() (string, error) {
	if p := os.Getenv("KYC_MINIO_BIN"); p != "" {
		return p, nil
	}
	root, err := RepoRoot()
	if err != nil {
		return "", err
	}
	p := filepath.Join(root, "bin", "minio")
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("testenv: no MinIO server at %s (run make setup): %w", p, err)
	}
	return p, nil
}

// StartMinIO starts a MinIO server with a fresh data folder on a free port.
func StartMinIO() (*Server, error) {
	bin, err := MinIOBinary()
	if err != nil {
		return nil, err
	}
	port, err := FreePort()
	if err != nil {
		return nil, err
	}
	console, err := FreePort()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "kyc-minio-")
	if err != nil {
		return nil, err
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	s, err := start(bin, []string{"server", "--quiet", "--address", addr,
		"--console-address", "127.0.0.1:" + strconv.Itoa(console), dir},
		[]string{"MINIO_ROOT_USER=" + MinIOAccessKey, "MINIO_ROOT_PASSWORD=" + MinIOSecretKey,
			"MINIO_BROWSER=off", "MINIO_UPDATE=off"})
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	s.dir, s.Addr = dir, addr
	if err := waitFor(s, func() error {
		resp, err := http.Get("http://" + addr + "/minio/health/ready")
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("status %d", resp.StatusCode)
		}
		return nil
	}); err != nil {
		s.Stop()
		return nil, fmt.Errorf("testenv: minio on %s: %w", addr, err)
	}
	return s, nil
}

// waitFor polls ready for up to 30 s, failing early when the process exits.
func waitFor(s *Server, ready func() error) error {
	deadline := time.Now().Add(30 * time.Second)
	for {
		err := ready()
		if err == nil {
			return nil
		}
		select {
		case <-s.done:
			return errors.New("process exited")
		default:
		}
		if time.Now().After(deadline) {
			return err
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Redis starts a Redis server for the test and stops it at cleanup.
func Redis(tb testing.TB) string {
	tb.Helper()
	s, err := StartRedis()
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(s.Stop)
	return s.Addr
}

// MinIO starts a MinIO server for the test and stops it at cleanup.
func MinIO(tb testing.TB) string {
	tb.Helper()
	s, err := StartMinIO()
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(s.Stop)
	return s.Addr
}
