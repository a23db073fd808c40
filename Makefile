# Reproduce the study and check the reproduction.
#
#   make reproduce   set up, regenerate the derived data, execute every
#                    notebook in place (figures/ and tables/ are rewritten)
#   make test        set up, gofmt, go vet, go test, the notebook runner's
#                    own tests, then execute every notebook and fail if any
#                    output, figure or table differs from the committed one
#   make notebook    Jupyter (classic notebook) on 127.0.0.1 with the Go kernel
#   make setup       install what is missing (environment/setup.sh)
#   make check-env   print each component's version and what is missing
#
# Variables: NB_JOBS (notebooks run at once, default 2), NB_PORT (default
# 8888), NOTEBOOKS (a subset, e.g. NOTEBOOKS=notebooks/00_environment.ipynb).

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c

# Jupyter runs under Debian's Python whatever python3 comes first on PATH.
PYTHON := /usr/bin/python3
NB_JOBS ?= 2
NB_PORT ?= 8888
NOTEBOOKS ?=

# The kernel spec and Jupyter's own files live in the project (see
# environment/setup.sh); the project's module path is not on the public proxy.
export JUPYTER_DATA_DIR := $(CURDIR)/.cache/jupyter
export JUPYTER_CONFIG_DIR := $(CURDIR)/.cache/jupyter-config
export GOPRIVATE := example.org
export PYTHONDONTWRITEBYTECODE := 1

RUNNER := $(PYTHON) environment/run_notebooks.py --jobs $(NB_JOBS)

.PHONY: setup check-env reproduce data notebooks test fmt vet gotest runner-test \
	check-notebooks notebook

setup:
	@environment/setup.sh >/dev/null

check-env:
	@environment/setup.sh --check

.NOTPARALLEL:

reproduce: setup
	$(MAKE) --no-print-directory data
	$(MAKE) --no-print-directory notebooks

# Regenerate the derived data with the command-line tool. A subcommand that
# is not built yet is skipped with a note, so that the target works while the
# data layer is being written.
bin/smartcity: FORCE
	@mkdir -p bin
	go build -o bin/smartcity ./cmd/smartcity

data: bin/smartcity
	@if bin/smartcity help 2>&1 | grep -q '^  simulate '; then \
		echo "bin/smartcity simulate"; bin/smartcity simulate; \
	else \
		echo "note: smartcity has no simulate command; data/ left as committed" >&2; \
	fi

notebooks: setup
	$(RUNNER) $(NOTEBOOKS)

test: setup fmt vet gotest runner-test check-notebooks

fmt:
	@files=$$(gofmt -l .); if [ -n "$$files" ]; then \
		echo "gofmt -l: these files need gofmt -w:"; echo "$$files"; exit 1; fi

vet:
	go vet ./...

gotest:
	go test ./...

runner-test: setup
	$(PYTHON) environment/test_runner.py

check-notebooks: setup
	$(RUNNER) --check $(NOTEBOOKS)

notebook: setup
	@mkdir -p $(JUPYTER_CONFIG_DIR)
	$(PYTHON) -m notebook --ip=127.0.0.1 --port=$(NB_PORT) --no-browser \
		--notebook-dir=$(CURDIR)/notebooks \
		--MultiKernelManager.default_kernel_name=gonb $(if $(filter 0,$(shell id -u)),--allow-root)

FORCE:
