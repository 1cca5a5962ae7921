# The series' set-up and checks. Every target installs what it needs into .venv first.
PYTHON   ?= python3
VENV     := .venv
BIN      := $(VENV)/bin
STAMP    := $(VENV)/.installed
NOTEBOOKS ?= $(sort $(wildcard notebooks/[0-9][0-9]_*.ipynb))
# One BLAS thread: the stored outputs were made this way, and results stay bit-stable.
THREADS  := OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
NBVAL    := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg

.PHONY: setup lab test notebooks benchmarks images

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

setup: $(STAMP)

lab: setup
	cd notebooks && ../$(BIN)/jupyter lab --ip=127.0.0.1 $(if $(filter 0,$(shell id -u)),--allow-root)

test: setup
	$(THREADS) $(BIN)/python -m pytest tests $(NOTEBOOKS) $(NBVAL)

notebooks: setup
	$(THREADS) $(BIN)/jupyter nbconvert --to notebook --execute --inplace \
		--ExecutePreprocessor.kernel_name=python3 --ExecutePreprocessor.timeout=120 $(NOTEBOOKS)

benchmarks: setup
	$(THREADS) $(BIN)/python benchmarks/forward_prop_speed.py
	$(THREADS) $(BIN)/python benchmarks/training_speed.py

# Redraw every picture in images/ from code (see images/make_images.py).
images: setup
	MPLBACKEND=Agg $(BIN)/python images/make_images.py

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
