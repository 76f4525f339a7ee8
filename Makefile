# The README's commands. `make demo` and `make test` each set up everything they need on a
# fresh Debian machine: system packages (as root, or through sudo), the virtualenv, and
# the project with its dependencies.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DEBIAN_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core poppler-utils chromium chromium-driver
WORKDIR ?= var

PG_PORT ?= 54329

.PHONY: setup system-deps demo test test-postgres lint check clean

setup: $(VENV)/.installed

# Debian packages: WeasyPrint needs pango and a font; pdftotext for checks; Chromium and
# its driver for the web UI tests (Debian's build: no browser downloads).
$(VENV)/.system-deps:
	@if command -v apt-get >/dev/null 2>&1; then \
		$(SUDO) apt-get update && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $(DEBIAN_PACKAGES) && \
		{ $(PYTHON) -m venv --help >/dev/null 2>&1 || $(SUDO) apt-get install -y python3-venv; }; \
	else echo "not a Debian system: install pango and DejaVu fonts yourself" >&2; fi
	@[ -d $(VENV) ] || $(PYTHON) -m venv $(VENV)
	@touch $@

system-deps: $(VENV)/.system-deps

$(VENV)/.installed: $(VENV)/.system-deps pyproject.toml
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

demo: setup
	$(BIN)/returnwatch demo --workdir $(WORKDIR)

test: setup
	$(BIN)/pytest

# The whole suite again on PostgreSQL: Debian's postgresql, a throwaway cluster on
# 127.0.0.1:$(PG_PORT) (.ci/postgres.sh), a fresh database per test from a migrated template.
test-postgres: setup
	$(BIN)/pip install --quiet -e '.[dev,postgres]'
	PGPORT=$(PG_PORT) .ci/postgres.sh install
	PGPORT=$(PG_PORT) .ci/postgres.sh start
	RETURNWATCH_TEST_DATABASE_URL=$$(PGPORT=$(PG_PORT) .ci/postgres.sh url) $(BIN)/pytest; \
		status=$$?; PGPORT=$(PG_PORT) .ci/postgres.sh stop; exit $$status

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

check: lint test

clean:
	rm -rf $(VENV) var build *.egg-info .pytest_cache .mypy_cache .ruff_cache
