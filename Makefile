# The two commands a newcomer needs: `make run` and `make test`. Both bring
# the machine up to date first through `make setup` (idempotent).
SHELL := /bin/bash
export PATH := /usr/local/go/bin:$(PATH)

CASES ?= $(abspath ../shared/testdata/cases.jsonl)
REPORT ?= eval-report.json
MODULES := ./pkg/... ./gateway/... ./worker/...

.PHONY: setup run test eval bench lint build clean

setup:
	@bash scripts/setup.sh

run: setup
	@bash scripts/run.sh

test: setup
	@bash scripts/test.sh

eval: setup
	go run ./worker/cmd/kyc-eval -cases "$(CASES)" -report "$(REPORT)"

bench: setup
	@bash scripts/bench.sh

lint:
	@test -z "$$(gofmt -l pkg gateway worker)" || { gofmt -l pkg gateway worker; exit 1; }
	go vet $(MODULES)
	@if [ -x bin/staticcheck ]; then bin/staticcheck $(MODULES); else echo "staticcheck not installed (make setup)"; fi

build:
	CGO_ENABLED=0 go build -o bin/gateway ./gateway/cmd/gateway
	go build -o bin/worker ./worker/cmd/worker

clean:
	rm -rf .data eval-report.json bin/gateway bin/worker
