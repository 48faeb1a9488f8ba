#!/usr/bin/env bash
# setup.sh - bring this Debian machine up to date for building, running and
# testing the service. Idempotent: seconds when nothing changed.
#   1. Debian packages (Redis, dlib, BLAS/LAPACK, libjpeg, tesseract, fonts)
#   2. the MinIO server, built from the Go module proxy into bin/minio
#   3. Go modules of the workspace
#   4. the face models (scripts/models.sh)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

APT_PACKAGES=(
  redis-server
  pkg-config g++
  libdlib-dev libdlib-data libblas-dev liblapack-dev libatlas-base-dev libjpeg62-turbo-dev
  tesseract-ocr tesseract-ocr-eng libtesseract-dev libleptonica-dev
  fonts-ocr-b
)
MINIO_VERSION=v0.0.0-20260212201848-7aac2a2c5b7c
STATICCHECK_VERSION=v0.8.2

log() { printf '\033[1msetup:\033[0m %s\n' "$*"; }

sudo_() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# npm fetches the face-api weights the face model is converted from.
command -v npm >/dev/null || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  log "installing Debian packages: ${missing[*]}"
  sudo_ apt-get update -qq
  sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

command -v go >/dev/null || { echo "setup: Go is required (https://go.dev/doc/install); /usr/local/go/bin must be on PATH" >&2; exit 1; }

mkdir -p bin
if [ ! -x bin/minio ]; then
  log "building the MinIO server into bin/minio (about 5 minutes on 2 cores)"
  GOBIN="$ROOT/bin" GOWORK=off go install "github.com/minio/minio@$MINIO_VERSION"
fi
if [ ! -x bin/staticcheck ]; then
  log "installing staticcheck into bin/"
  GOBIN="$ROOT/bin" GOWORK=off go install "honnef.co/go/tools/cmd/staticcheck@$STATICCHECK_VERSION" \
    || log "staticcheck could not be installed; make lint will skip it"
fi

stamp=.cache/gomod.stamp
mkdir -p .cache
if [ ! -f "$stamp" ] || [ -n "$(find go.work */go.mod */go.sum -newer "$stamp" 2>/dev/null)" ]; then
  log "downloading Go modules"
  for m in pkg gateway worker; do (cd "$m" && go mod download); done
  touch "$stamp"
fi

bash scripts/models.sh
log "ready"
