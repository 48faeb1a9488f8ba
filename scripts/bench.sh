#!/usr/bin/env bash
# bench.sh - the project's benchmarks, each printing a table:
#   the service's own overhead (sync round trip with no recognition stage),
#   face detection/alignment/descriptor times and resident memory,
#   MRZ reading time per document.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

echo "== gateway + queue overhead"
go test -run XXX -bench SyncRoundTrip -benchtime 300x ./gateway/e2e/

echo "== faces"
(cd worker && go test -run XXX -bench 'Stages|Faces' -benchtime 15x ./internal/face/)
(cd worker && go test -run XXX -bench ResidentMemory -benchtime 5x ./internal/face/)

echo "== documents"
(cd worker && MRZ_CASES="$ROOT/../shared/testdata/cases.jsonl" go test -run XXX -bench Read -benchtime 51x ./internal/mrzread/)
(cd worker && go test -run XXX -bench DocumentSteps -benchtime 51x ./internal/document/)
