# All set-up happens here: a local virtualenv in .venv, created on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The editable install compiles the modules listed in pyproject.toml with mypyc (see setup.py),
# beside their sources in src/factorcheck/*/: editing one of them reinstalls, which recompiles it. With
# FACTORCHECK_PURE_PYTHON=1 the install is pure Python; each kind has its own stamp, so switching
# reinstalls too.
COMPILED := $(shell $(PYTHON) -c 'import tomllib; print(*tomllib.load(open("pyproject.toml", "rb"))["tool"]["factorcheck"]["mypyc-compiled"])')
STAMP := $(VENV)/.installed-$(if $(filter 1,$(FACTORCHECK_PURE_PYTHON)),pure,compiled)

.PHONY: run test fuzz lint typecheck bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml setup.py $(COMPILED) | $(BIN)/python
	rm -f $(VENV)/.installed*
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

# The browser tests drive Debian's chromium (Playwright cannot download its own browser here).
# As root it is installed when missing (about a minute, ~380 MB); otherwise make says what to run.
CHROMIUM := /usr/bin/chromium

$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing chromium for the browser tests (apt-get)..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "The browser tests need chromium at $(CHROMIUM). Install it, for example:"; \
		echo "    sudo apt-get install chromium"; \
		echo "then run make test again."; \
		exit 1; \
	fi

run: $(STAMP)
	$(BIN)/factorcheck check examples/both-pains-several-links.json

test: $(STAMP) | $(CHROMIUM)
	$(BIN)/ruff check setup.py src tests bench
	$(BIN)/ruff format --check setup.py src tests bench
	$(BIN)/mypy
	$(BIN)/factorcheck rules check
	$(BIN)/pytest

# The long fuzz run: 10,000 cases for each entry point (the library, check, batch JSON Lines, CSV
# cells, rule-file edits, the form API, POST /fhir/QuestionnaireResponse, the FHIR reader through
# check and through batch, ask --plain's typed replies; `make test` runs 50 of each), each case
# under a 5 s deadline, with a summary of what they gave. FUZZ_EXAMPLES=N changes the count.
# Takes about an hour and a half on two shared cores.
FUZZ_EXAMPLES ?= 10000
fuzz: $(STAMP)
	FACTORCHECK_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/pytest tests/fuzz -q -p no:cacheprovider

# Engine-only speed, batch throughput, peak memory and cold start, in one run (a few minutes).
# Its answer sets come from the tests' generator (tests/support/synthetic.py), hence PYTHONPATH.
bench: $(STAMP)
	PYTHONPATH=tests $(BIN)/python bench/bench.py

clean:
	rm -rf $(VENV) build src/*.egg-info .mypy_cache .pytest_cache .ruff_cache .hypothesis
	find src/factorcheck \( -name '*.so' -o -name '*.pyd' \) -delete
	rm -f src/*__mypyc.* src/factorcheck/compiled-sources.sha256
