# Deep Learning & Visualization: the course site. `make help` lists the targets.
.DEFAULT_GOAL := build

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
# (v2: the .pth below became relative; an older .venv is set up again once.)
STAMP  := $(VENV)/.installed-v2-$(shell cat requirements.txt | cksum | cut -d' ' -f1)
HOST   ?= 127.0.0.1:8000
# The engine that renders the expanded Markdown: mkdocs (MkDocs + Material) or zensical.
ENGINE ?= mkdocs
ZENSICAL_VERSION ?= $(shell sed -n 's/^zensical==//p' requirements-zensical.txt)
ZENSICAL_STAMP := $(VENV)/.zensical-$(ZENSICAL_VERSION)-$(shell cat requirements-zensical.txt | cksum | cut -d' ' -f1)
ifeq ($(ENGINE),zensical)
ENGINE_STAMP := $(ZENSICAL_STAMP)
else ifeq ($(ENGINE),mkdocs)
ENGINE_STAMP := $(STAMP)
else
$(error ENGINE=$(ENGINE) is not an engine this course builds with: use ENGINE=mkdocs (the default) or ENGINE=zensical)
endif
SITE := $(PY) -m generators.site

# Reproducible builds: timestamps in the site (sitemap) come from the last commit.
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 315532800)
export MPLBACKEND := Agg
# Limits of each figure job: make TIMEOUT=SECONDS (default 1800) MEMORY=MB (default none).
ifdef TIMEOUT
export DLV_TIMEOUT := $(TIMEOUT)
endif
ifdef MEMORY
export DLV_MEMORY := $(MEMORY)
endif
# Where the figure jobs run: make EXECUTOR=dask://HOST:PORT (default: worker processes here).
ifdef EXECUTOR
export DLV_EXECUTOR := $(EXECUTOR)
endif
# A Dask cluster for it: `make dask-scheduler` on one machine, `make dask-worker
# SCHEDULER=HOST:8786` in a checkout of the same commit on each worker machine.
SCHEDULER ?= 127.0.0.1:8786
WORKER_JOBS ?= $(shell nproc 2>/dev/null || echo 1)
# Material's end-of-life notice is known (README, "Limits"); keep build logs readable.
export NO_MKDOCS_2_WARNING := 1

.PHONY: help build expand figures serve preview test screenshots clean clean-all list-figures describe \
        dask-scheduler dask-worker bench-build bench-serve bench-nn bench-weight bench-playground bench-explorers deploy deploy-check new-lesson

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

build: $(STAMP) $(ENGINE_STAMP)  ## build site/: out-of-date figures, expand, render (ENGINE=mkdocs|zensical)
	@$(SITE) build --engine $(ENGINE)

figures: $(STAMP)  ## run the figure generators alone (content/generated/)
	$(PY) -m generators

dask-scheduler: $(STAMP)  ## start a Dask scheduler here (port of SCHEDULER, default 8786) for EXECUTOR=dask://
	$(VENV)/bin/dask scheduler --port $(lastword $(subst :, ,$(SCHEDULER))) --no-dashboard

# One worker process running WORKER_JOBS jobs at a time (each in a child process of its
# own, with the build's TIMEOUT and MEMORY); it imports this checkout's code.
dask-worker: $(STAMP)  ## start a Dask worker from this checkout (SCHEDULER=HOST:PORT, WORKER_JOBS=cores)
	DASK_DISTRIBUTED__WORKER__DAEMON=False PYTHONPATH=$(CURDIR) $(VENV)/bin/dask worker \
	  tcp://$(SCHEDULER) --nworkers 1 --nthreads $(WORKER_JOBS) --memory-limit 0 --no-dashboard

list-figures: $(STAMP)  ## list the figure generators: id, what each makes and is
	@$(PY) -m generators --list

describe: $(STAMP)  ## each generator's parameters, outputs, pages (ID=neurons/training: one)
	@$(PY) -m generators --describe $(ID)

expand: $(STAMP)  ## the expand step alone: build/docs/ (plain Markdown) and build/engine.yml
	$(SITE) expand

serve: $(STAMP) $(ENGINE_STAMP)  ## live preview at http://127.0.0.1:8000; edits regenerate only what changed
	$(SITE) serve --engine $(ENGINE) --dev-addr $(HOST)

# A failed build keeps the last good site/ (it is swapped in only on success): preview that.
preview: $(STAMP) $(ENGINE_STAMP)  ## build, then serve the last good site/ as GitHub Pages would, at the course url's path
	@$(SITE) build --engine $(ENGINE) || echo "warning: the build failed (errors above): previewing the last good site/" >&2
	@$(PY) -m tools.serve_static site

# Checks first (a published url, a committed tree; FORCE=1 skips the second), then a
# build: a failed one stops here, so only a site that built is ever pushed.
deploy-check: $(STAMP)  ## would `make deploy` publish? (a published url, a committed tree)
	@$(PY) -m tools.deploy_check $(if $(FORCE),--force)

deploy: $(STAMP) $(ENGINE_STAMP)  ## check, build and push site/ to the gh-pages branch (FORCE=1: uncommitted changes too)
	@$(PY) -m tools.deploy_check $(if $(FORCE),--force)
	@$(SITE) build --engine $(ENGINE)
	$(PY) -m ghp_import --no-jekyll --push --force --no-history --message "Deploy the course site" site

new-lesson: $(STAMP)  ## scaffold a lesson and its first figure: make new-lesson NAME=my-topic
	@test -n "$(NAME)" || { echo "usage: make new-lesson NAME=my-topic"; exit 2; }
	$(PY) -m tools.new_lesson "$(NAME)"

test: $(STAMP) $(ZENSICAL_STAMP)  ## run the whole test suite (library, pipeline, site under both engines, browser)
	$(PY) -m pytest

screenshots: build  ## PNG screenshots of every page (light/dark, desktop/phone) in screenshots/
	$(PY) -m tools.screenshots --full-page

bench-build: $(STAMP) $(ZENSICAL_STAMP)  ## benchmark: cold, no-op and one-generator rebuilds vs the bare engines
	$(PY) -m benchmarks.bench_build

bench-serve: $(STAMP) $(ZENSICAL_STAMP)  ## benchmark: edit-to-reload time of `make serve`, both engines, each kind of edit
	$(PY) -m benchmarks.bench_serve

bench-nn: $(STAMP)  ## benchmark: the nn library against hand-fused NumPy loops
	$(PY) -m benchmarks.bench_nn

bench-weight: $(STAMP)  ## benchmark: each page's weight in the built site/ (HTML, CSS, JS, fonts, data, figures)
	$(PY) -m benchmarks.bench_weight

bench-playground: $(STAMP)  ## benchmark: the playground's JS trainer in headless Chromium (steps/s, 100x100 forward pass)
	$(PY) -m benchmarks.bench_playground

bench-explorers: $(STAMP)  ## benchmark: the files each explorer adds to its page (scripts, CSS, data), raw and gzipped
	$(PY) -m benchmarks.bench_explorers

clean:  ## remove the built site, build/docs and published figures (the figure cache stays)
	rm -rf site content/generated build/docs build/engine.yml build/site.new-* build/serve-*

clean-all: clean  ## also remove the figure cache and the virtual environment
	rm -rf build .cache $(VENV)

# Set-up: a virtual environment with every pinned dependency, and the repository on
# its import path (a .pth file, as an editable install would add) so `generators`
# imports from anywhere: the engines' Markdown extension, notebooks, benchmarks. The
# path is relative to site-packages, so a moved or renamed checkout keeps working.
$(STAMP): requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "error: Python >= 3.11 is needed (found $$($(PYTHON) --version 2>&1)); set PYTHON=..."; exit 1; }
	@rm -f $(VENV)/.installed-*
	@echo "Setting up $(VENV): installing $$(grep -c '^[A-Za-z]' requirements.txt) pinned packages (a few minutes, once)"
	@$(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --disable-pip-version-check --quiet -r requirements.txt
	@$(PY) -c "import os, sysconfig, pathlib; lib = sysconfig.get_paths()['purelib']; pathlib.Path(lib, 'dlv_course.pth').write_text(os.path.relpath('$(CURDIR)', lib) + '\n')"
	@touch $@
	@echo "$(VENV) is ready"

# The second engine, into the same environment, at the pinned (or chosen) version.
$(ZENSICAL_STAMP): $(STAMP) requirements-zensical.txt
	@echo "Installing Zensical $(ZENSICAL_VERSION)"
	@$(PY) -m pip install --disable-pip-version-check --quiet \
	  $$(grep -v -e '^#' -e '^zensical==' requirements-zensical.txt) "zensical==$(ZENSICAL_VERSION)" || \
	  { echo "error: Zensical $(ZENSICAL_VERSION) could not be installed from the package index (pip says why above)."; \
	    echo "  Pick another version with: make ENGINE=zensical ZENSICAL_VERSION=<version>"; \
	    echo "  (the tested one is pinned in requirements-zensical.txt; 0.0.74 and 0.1.x need a zensical-ui the index lacks)"; \
	    exit 1; }
	@rm -f $(VENV)/.zensical-*
	@touch $@
