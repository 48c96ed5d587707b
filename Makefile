# The index of commands. `make run` and `make test` are the two a newcomer needs.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: install run test lint bench migrations-check messages ci

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

run: install
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py load_demo --if-empty
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install
	DJANGO_SETTINGS_MODULE=kommuneradar.test_settings $(PY) -m pytest

lint: install
	$(VENV)/bin/lint-imports
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

migrations-check: install
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run

# Each app keeps its own Danish catalogue in <app>/locale; needs GNU gettext (apt-get install gettext).
messages: install
	@for app in kommuneradar/*/apps.py; do dir=$$(dirname $$app); mkdir -p $$dir/locale; \
	  (cd $$dir && DEBUG=1 $(CURDIR)/$(PY) $(CURDIR)/manage.py makemessages --locale da --no-obsolete --no-location \
	   && DEBUG=1 $(CURDIR)/$(PY) $(CURDIR)/manage.py compilemessages --locale da) || exit 1; done

# What CI runs: the suite on SQLite and on PostgreSQL (CI_POSTGRES_URL), then every quality gate.
ci: install
	.ci/run

bench: install
	@for script in benchmarks/*.py; do echo "== $$script"; $(PY) $$script || exit 1; done
