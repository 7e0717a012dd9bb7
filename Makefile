# The two commands a newcomer needs: `make demo` and `make test`. Every target runs `setup`
# first, which installs what is missing and is quick when nothing is.
SHELL := /bin/bash
.DEFAULT_GOAL := help
.PHONY: help setup pkg emulator test demo soak fuzz bench

help:
	@echo "make demo   create a backup and follow it to the end (emulator; real Zilliz Cloud with ZILLIZ_API_KEY + ZILLIZ_CLUSTER_ID)"
	@echo "make test   run every test suite"
	@echo "make pkg    build the npm package into pkg/"
	@echo "make soak   1000 create-and-wait cycles on 50 emulated clusters with 5% random faults"
	@echo "make fuzz   every cargo-fuzz target for FUZZ_SECONDS (default 60) each"
	@echo "make bench  size, cold start, per-call overhead, polling and fleet benchmarks (bench/REPORT.md)"

setup:
	@bash scripts/setup.sh

pkg: setup
	@bash scripts/build-pkg.sh

emulator: setup
	@cargo build -p zilliz-cloud-emulator

test: setup
	@bash scripts/test.sh

demo: setup
	@bash scripts/demo.sh

soak: setup
	@bash scripts/build-pkg.sh >/dev/null && cargo build --quiet -p zilliz-cloud-emulator
	@bash tests/soak/run.sh 1000 50

fuzz: setup
	@bash fuzz/run.sh $(or $(FUZZ_SECONDS),60)

bench: setup
	@bash scripts/bench.sh
