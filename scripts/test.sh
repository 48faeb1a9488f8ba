#!/usr/bin/env bash
# test.sh - every check the project has: formatting, vet, staticcheck, the
# gateway building without cgo, the evaluation over the development set, and
# the Go tests (real Redis and MinIO started by the tests on free ports, real
# dlib; the end-to-end tests run the gateway and worker as processes).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
MODULES=(./pkg/... ./gateway/... ./worker/...)
SHARED="${KYC_SHARED_DIR:-$ROOT/../shared}"
[ -f "$SHARED/testdata/cases.jsonl" ] || { echo "test: the development set is missing at $SHARED (set KYC_SHARED_DIR)" >&2; exit 1; }

echo "== lint"
make --no-print-directory lint

echo "== gateway builds without cgo"
CGO_ENABLED=0 go build -o /dev/null ./gateway/cmd/gateway

echo "== evaluation over the development set (make eval)"
report="$(mktemp -d)/eval-report.json"
go run ./worker/cmd/kyc-eval -cases "$SHARED/testdata/cases.jsonl" -report "$report"

echo "== go test"
go test -count=1 -timeout 30m "${MODULES[@]}"
