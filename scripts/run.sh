#!/usr/bin/env bash
# run.sh - run the whole service on loopback: Redis, MinIO, the worker and
# the gateway, with data under ${KYC_DATA_DIR:-.data}. Ctrl-C stops them all.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

DATA="${KYC_DATA_DIR:-$ROOT/.data}"
REDIS_PORT="${KYC_REDIS_PORT:-16379}"
MINIO_PORT="${KYC_MINIO_PORT:-19000}"
export KYC_HTTP_ADDR="${KYC_HTTP_ADDR:-127.0.0.1:8080}"
export KYC_WORKER_METRICS_ADDR="${KYC_WORKER_METRICS_ADDR:-127.0.0.1:9091}"
export KYC_DEV_TOKEN="${KYC_DEV_TOKEN:-kyc-dev-token}"
export KYC_REDIS_ADDR="127.0.0.1:$REDIS_PORT"
export KYC_MINIO_ENDPOINT="127.0.0.1:$MINIO_PORT"
export KYC_MINIO_ACCESS_KEY="${KYC_MINIO_ACCESS_KEY:-kycdevaccess}"
export KYC_MINIO_SECRET_KEY="${KYC_MINIO_SECRET_KEY:-kycdevsecret}"
export KYC_MODELS_DIR="${KYC_MODELS_DIR:-$ROOT/models}"

log() { printf '\033[1mrun:\033[0m %s\n' "$*"; }

mkdir -p "$DATA/redis" "$DATA/minio" "$DATA/logs" bin
log "building gateway (CGO_ENABLED=0) and worker"
CGO_ENABLED=0 go build -o bin/gateway ./gateway/cmd/gateway
go build -o bin/worker ./worker/cmd/worker

pids=()
cleanup() {
  trap - INT TERM EXIT
  log "stopping"
  # Gateway and worker first (graceful), then the stores.
  for ((i=${#pids[@]}-1; i>=0; i--)); do kill -TERM "${pids[i]}" 2>/dev/null || true; wait "${pids[i]}" 2>/dev/null || true; done
}
trap cleanup INT TERM EXIT

wait_for() { # name, command...
  local name=$1; shift
  for _ in $(seq 1 150); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
  echo "run: $name did not come up; see $DATA/logs" >&2; exit 1
}

redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$DATA/redis" --appendonly yes \
  --save "" --logfile "$DATA/logs/redis.log" &
pids+=($!)
wait_for redis redis-cli -p "$REDIS_PORT" ping

MINIO_ROOT_USER="$KYC_MINIO_ACCESS_KEY" MINIO_ROOT_PASSWORD="$KYC_MINIO_SECRET_KEY" MINIO_BROWSER=off MINIO_UPDATE=off \
  bin/minio server --quiet --address "127.0.0.1:$MINIO_PORT" --console-address "127.0.0.1:$((MINIO_PORT+1))" \
  "$DATA/minio" >"$DATA/logs/minio.log" 2>&1 &
pids+=($!)
wait_for minio curl -fsS "http://127.0.0.1:$MINIO_PORT/minio/health/ready"

bin/worker 2> >(tee -a "$DATA/logs/worker.log" >&2) &
pids+=($!)
wait_for worker curl -fsS "http://$KYC_WORKER_METRICS_ADDR/readyz"

bin/gateway 2> >(tee -a "$DATA/logs/gateway.log" >&2) &
pids+=($!)
wait_for gateway curl -fsS "http://$KYC_HTTP_ADDR/readyz"

cat <<MSG

  KYC service is up.
    gateway   http://$KYC_HTTP_ADDR   (API under /v1, /openapi.yaml, /metrics)
    worker    http://$KYC_WORKER_METRICS_ADDR/metrics
    data      $DATA
    token     KYC_DEV_TOKEN=$KYC_DEV_TOKEN

  Try:
    curl -H "Authorization: Bearer $KYC_DEV_TOKEN" \\
      -F images=@../shared/testdata/doc_selfie_pairs/idenfy/TheresaMay.jpg \\
      -F mode=sync http://$KYC_HTTP_ADDR/v1/kyc/process

  Ctrl-C stops everything.
MSG
# Exit when any service dies; cleanup stops the rest.
wait -n "${pids[@]}"
log "a service exited; see $DATA/logs"
