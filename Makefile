# The series' set-up and checks. Every target installs what it needs into .venv first.
PYTHON   ?= python3
VENV     := .venv
BIN      := $(VENV)/bin
STAMP    := $(VENV)/.installed
# The numbered series, whose stored outputs are the regression baseline (make notebooks refreshes
# them); make test runs nbval over every notebook in notebooks/.
NOTEBOOKS ?= $(sort $(wildcard notebooks/[0-9][0-9]_*.ipynb))
# One BLAS thread: the stored outputs were made this way, and results stay bit-stable.
THREADS  := OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
NBVAL    := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg

.PHONY: setup lab test test-portability notebooks benchmarks images lint lock

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# Matplotlib's font cache belongs to this checkout's .venv and is built before any notebook runs: a
# shared cache left by another environment can name font files that no longer exist (matplotlib then
# warns on stderr, which nbval compares), and a cache built inside a cell may warn too.
export MPLCONFIGDIR := $(CURDIR)/build/matplotlib
MPL_READY := build/matplotlib/.fonts-ready
$(MPL_READY): $(STAMP)
	mkdir -p build/matplotlib
	$(BIN)/python -c "import matplotlib.font_manager"
	touch $@

setup: $(STAMP) $(MPL_READY)

# JupyterLab with the numeric settings of `make test` (one BLAS thread), so a re-run cell prints the
# stored numbers. LAB_PORT=... to change the port.
LAB_PORT ?= 8888
lab: setup
	cd notebooks && $(THREADS) ../$(BIN)/jupyter lab --ip=127.0.0.1 --port=$(LAB_PORT) \
		$(if $(filter 0,$(shell id -u)),--allow-root)

test: setup
	$(THREADS) $(BIN)/python -m pytest tests --ignore=tests/browser notebooks $(NBVAL)

# Every notebook re-run against the same stored outputs under each numeric configuration this
# CPU can run (OpenBLAS kernel families, two BLAS threads, NumPy's SIMD held to AVX2); prints a
# table of configuration -> cells passed and failed (see tests/portability.py). NOTEBOOKS=... to
# check only some.
test-portability: setup
	$(BIN)/python tests/portability.py $(if $(filter command line,$(origin NOTEBOOKS)),$(NOTEBOOKS))

notebooks: setup
	$(THREADS) $(BIN)/jupyter nbconvert --to notebook --execute --inplace \
		--ExecutePreprocessor.kernel_name=python3 --ExecutePreprocessor.timeout=120 \
		--ExecutePreprocessor.record_timing=False $(NOTEBOOKS)

benchmarks: setup
	$(THREADS) $(BIN)/python benchmarks/forward_prop_speed.py
	$(THREADS) $(BIN)/python benchmarks/training_speed.py
	$(THREADS) $(BIN)/python benchmarks/explorer_latency.py

# Redraw every picture in images/ from code (see images/make_images.py).
images: setup
	MPLBACKEND=Agg $(BIN)/python images/make_images.py

# Lint and type checks: ruff (lint and format, configured in pyproject.toml; notebooks/ruff.toml
# gives the notebooks' code 88 characters a line) and mypy over the package.
LINT_PATHS := weight_init tests benchmarks images notebooks

lint: setup
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/ruff format --check $(LINT_PATHS)
	$(BIN)/mypy weight_init

# The exact pins: pip-compile turns pyproject.toml's dependencies and extras (the short
# top-level source) into requirements.txt, which setup installs. Existing pins are kept unless
# pyproject.toml asks otherwise; `make lock LOCK_FLAGS=--upgrade` moves every pin to the newest.
LOCK_FLAGS ?=
lock: setup
	$(BIN)/pip-compile --quiet --all-extras --strip-extras --no-emit-index-url \
		--no-emit-find-links $(LOCK_FLAGS) --output-file requirements.txt pyproject.toml

# Keras 3.15.1 on its NumPy backend, in a throwaway environment (never needed by `make test`):
# keras-fixtures rewrites tests/fixtures/, keras-parity compares live, keras-benchmark times both.
KERAS_VENV := build/keras-venv
KERAS_PY   := KERAS_BACKEND=numpy PYTHONPATH=. $(THREADS) $(KERAS_VENV)/bin/python
KERAS_PINS := keras==3.15.1 jax==0.10.2 jaxlib==0.10.2 scipy==1.17.1 numpy==2.4.6 pytest==9.2.0

$(KERAS_VENV)/.installed:
	test -x $(KERAS_VENV)/bin/python || $(PYTHON) -m venv $(KERAS_VENV)
	$(KERAS_VENV)/bin/python -m pip install --quiet $(KERAS_PINS)
	touch $@

.PHONY: keras-fixtures keras-parity keras-benchmark
keras-fixtures: $(KERAS_VENV)/.installed
	$(KERAS_PY) tests/keras_reference.py

keras-parity: $(KERAS_VENV)/.installed
	$(KERAS_PY) -m pytest -q --noconftest -p no:cacheprovider tests/keras_reference.py

keras-benchmark: $(KERAS_VENV)/.installed
	$(KERAS_PY) benchmarks/initializers_speed.py

# The explorer in a browser: Voilà and Playwright for Python from tests/browser/requirements.txt, and
# Debian's Chromium (installed with apt-get when missing and we are root; Playwright's own
# browser downloads are never used). test-browser drives notebook 08 in headless Chromium and
# saves screenshots to test-artifacts/; app serves the explorer alone, to a projector or a class,
# with the settings of app/voila.py: APP_IP=0.0.0.0 serves the local network, APP_POOL kernels
# are kept preheated, a kernel whose page is gone is shut down after APP_CULL idle seconds.
BROWSER_STAMP := $(VENV)/.browser-installed
CHROMIUM      := /usr/bin/chromium
APP_PORT      ?= 8866
APP_IP        ?= 127.0.0.1
APP_POOL      ?= 30
APP_CULL      ?= 50
export APP_PORT APP_IP APP_POOL APP_CULL

$(BROWSER_STAMP): $(STAMP) tests/browser/requirements.txt
	$(BIN)/python -m pip install --quiet -r tests/browser/requirements.txt
	touch $(BROWSER_STAMP)

.PHONY: chromium test-browser app
chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; \
		else \
			echo "$(CHROMIUM) is missing: install Debian's chromium (sudo apt-get install chromium)"; exit 1; \
		fi; \
	fi

test-browser: setup $(BROWSER_STAMP) chromium
	mkdir -p test-artifacts
	$(THREADS) $(BIN)/python -m pytest tests/browser -p no:cacheprovider

app: setup $(BROWSER_STAMP)
	$(THREADS) $(BIN)/voila notebooks/explorer_app.ipynb --no-browser --port=$(APP_PORT) --Voila.ip=$(APP_IP) --Voila.config_file_paths=app

# The series as a static site in build/book/ (Sphinx, myst-nb, sphinx-book-theme; see book/conf.py),
# built from the stored notebooks without running them, so it shows exactly what nbval checks. The
# sources are gathered in build/book-src/: book/, images/, the numbered notebooks and the README
# (its landing-page introduction and table; its Colab badges are left out, the book links each
# chapter to Colab and Binder itself). A warning fails the build.
BOOK_SRC := build/book-src
.PHONY: book
book: setup
	rm -rf $(BOOK_SRC) build/book
	mkdir -p $(BOOK_SRC)/notebooks
	cp -R book/. images $(BOOK_SRC)/
	cp $(sort $(wildcard notebooks/[0-9][0-9]_*.ipynb)) $(BOOK_SRC)/notebooks/
	sed '/<!-- launch-badges:start -->/,/<!-- launch-badges:end -->/d' README.md > $(BOOK_SRC)/README.md
	$(BIN)/sphinx-build -b html -W --keep-going -q $(BOOK_SRC) build/book

# The repository's address is written once, REPOSITORY_URL in book/links.py: this rewrites the
# README's Colab and Binder badges and every notebook's first code cell (the install guard) from it.
.PHONY: launch-links
launch-links: setup
	$(BIN)/python book/links.py

# The book in headless Chromium (Playwright, as test-browser): builds it, serves build/book/ on
# 127.0.0.1 and checks every page (title, images, typeset math, console, requests, links), the
# chapters' Colab and Binder links and the search; screenshots go to test-artifacts/.
.PHONY: test-book
test-book: book $(BROWSER_STAMP) chromium
	mkdir -p test-artifacts
	$(BIN)/python -m pytest tests/browser/book_in_a_browser.py -p no:cacheprovider -q

# Installs without our pins: `pip install .` in fresh venvs under build/unpinned/, resolved to the
# newest allowed versions and to pyproject.toml's lower bounds, then every notebook executed in
# each (outputs not compared; an error or anything on stderr fails). See tests/unpinned.py.
.PHONY: test-unpinned
test-unpinned: setup
	$(BIN)/python tests/unpinned.py
