# The two commands a newcomer needs: `make demo` and `make test`. Every target runs `setup`
# first, which installs what is missing and is quick when nothing is.
SHELL := /bin/bash
.DEFAULT_GOAL := help
.PHONY: help setup pkg emulator test demo

help:
	@echo "make demo   create a backup and follow it to the end (emulator; real Zilliz Cloud with ZILLIZ_API_KEY + ZILLIZ_CLUSTER_ID)"
	@echo "make test   run every test suite"
	@echo "make pkg    build the npm package into pkg/"

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
