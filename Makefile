# eventum: `make run` serves the portal, `make test` runs the suite. Both set everything up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PYTEST_ARGS ?=

.PHONY: install run test lint format lock messages syscheck bench bench-cabinet clean

# Dependencies come from the lock files only, every download checked against its hash
# (requirements/dev.txt holds the production pins of requirements/base.txt plus the tools);
# the project itself adds no dependency of its own (--no-deps), and `pip check` proves the
# lock satisfies everything pyproject.toml asks for.
$(STAMP): pyproject.toml requirements/pip.txt requirements/dev.txt
	$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "eventum needs Python 3.11")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --require-hashes -r requirements/pip.txt
	$(BIN)/python -m pip install -q --require-hashes -r requirements/dev.txt
	$(BIN)/python -m pip install -q --no-deps .
	$(BIN)/python -m pip check
	touch $(STAMP)

install: $(STAMP)

syscheck: install
	@$(BIN)/python -m eventum.system_check

run: syscheck
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py seed_demo_sales
	$(BIN)/python manage.py seed_demo_seating
	$(BIN)/python manage.py seed_demo_services
	@echo "eventum: http://127.0.0.1:8000  (demo logins are in README.md)"
	$(BIN)/python manage.py runserver 127.0.0.1:8000

test: syscheck
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Benchmarks: starts the local PostgreSQL and Redis if they are down, then gunicorn and Celery on
# a bench database; prints a table, writes bench/results/latest.json. BENCH_ARGS=--quick: smoke run.
BENCH_ARGS ?=
bench: syscheck
	$(BIN)/python -m bench.run $(BENCH_ARGS)

# The cabinet of a small and a big organizer (README, Performance): on the bench database that
# `make bench` makes (BENCH_DATABASE_URL), seeded once; BENCH_ARGS e.g. --large 10000:1000000.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/eventum_bench
bench-cabinet: syscheck
	$(BIN)/python -c "from bench.stack import ensure_database as e; e('$(notdir $(BENCH_DATABASE_URL))')"
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python manage.py migrate --verbosity 0
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python -m bench.cabinet $(BENCH_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# Regenerate the hashed lock files from pyproject.toml (Python 3.11, every wheel and sdist of
# each pinned release hashed, so any platform's pip finds its file). Pins already in the files
# are kept; LOCK_ARGS=--upgrade (or --upgrade-package NAME) moves them. Commit both files.
LOCK_ARGS ?=
PIP_COMPILE := $(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-index-url --no-emit-find-links $(LOCK_ARGS)
lock: install
	$(PIP_COMPILE) --output-file=requirements/base.txt pyproject.toml
	$(PIP_COMPILE) --extra=dev --constraint=requirements/base.txt \
		--output-file=requirements/dev.txt pyproject.toml
	{ echo '# pip itself, installed first: older pips refuse a hashed lock whose packages ask for'; \
	  echo '# extras (fonttools[woff]). Copied from requirements/dev.txt by `make lock`.'; \
	  awk '/^pip==/{p=1} p{print; if ($$0 !~ /\\$$/) exit}' requirements/dev.txt; } > requirements/pip.txt

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Regenerate and compile the message catalogues (needs GNU gettext).
messages: install
	$(BIN)/python manage.py makemessages -l ru -l kk -l en --no-obsolete --ignore='.venv/*' --ignore='tests/*' --ignore='bench/*' --ignore='var/*'
	$(BIN)/python manage.py compilemessages --ignore='.venv/*'

clean:
	rm -rf $(VENV) var staticfiles
