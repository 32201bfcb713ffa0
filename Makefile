# The README's commands.  `make translate` runs the main job, `make test` the tests; both
# create the virtual environment (.venv) on first use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
INPUT ?= translations/ru/kz-mvd-central-asia-meeting.ru.txt
OUTDIR ?= translations/en
MODEL ?=
# Extra pip options, e.g. a PyTorch CPU index off the build machines (see README).
PIP_ARGS ?=

.PHONY: setup translate test lint typecheck standin bench bench-big bench-scale clean

setup: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet $(PIP_ARGS) -c constraints.txt -e '.[dev]'
	touch $@

# Translate INPUT into OUTDIR.  Without MODEL and with no model installed, first install
# the ru→en package from the Argos index (needs internet; offline it says what to do).
translate: $(STAMP)
	@if [ -z "$(MODEL)" ] && ! $(BIN)/rutrans model which >/dev/null 2>&1; then \
		$(BIN)/rutrans model install; fi
	$(BIN)/rutrans translate $(INPUT) -o $(OUTDIR) $(if $(MODEL),--model $(MODEL))

test: lint typecheck
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/rutrans glossary lint glossary
	@command -v msgfmt >/dev/null || { echo "msgfmt missing: apt-get install gettext"; exit 1; }
	@for po in $$(find glossary -name '*.po' | sort); do \
		msgfmt --check-format -o /dev/null "$$po" || exit 1; done

typecheck: $(STAMP)
	$(BIN)/mypy

# Stand-in models with random weights (their output is noise, never a translation).
standin: $(STAMP)
	$(BIN)/python -m rutrans.testing.standin build/standin-tiny.argosmodel --shape tiny
	$(BIN)/python -m rutrans.testing.standin build/standin-argos.argosmodel --shape argos

bench: $(STAMP)
	$(BIN)/python benchmarks/translate_bench.py
	$(BIN)/python benchmarks/scan_bench.py
	$(BIN)/python benchmarks/split_bench.py
	$(BIN)/python benchmarks/term_eval.py
	$(BIN)/python benchmarks/group_bench.py

# Very large documents (over an hour with the stand-in's 50 MB; see docs/reliability.md).
bench-big: $(STAMP)
	$(BIN)/python benchmarks/big_bench.py --engine transliterate
	$(BIN)/python benchmarks/big_bench.py --beam 1

# A folder of 200 small documents: local against `--ray local` with 1 and 2 workers.
bench-scale: $(STAMP)
	$(BIN)/python benchmarks/scale_bench.py

clean:
	rm -rf build benchmarks/out .pytest_cache .mypy_cache .ruff_cache
