# The index of commands. `make run` and `make test` are the two a newcomer needs.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

LOCK := requirements/lock.txt
BACKUP_DIR ?= backups

.PHONY: install run test lint bench migrations-check messages ci serve lock backup restore dkfds

# Every package comes from the lock with its hashes (a tampered file fails the install); the
# project itself is then installed without dependencies, built by the locked setuptools.
$(VENV)/.installed: pyproject.toml $(LOCK)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r $(LOCK)
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

install: $(VENV)/.installed

# Regenerate the lock from pyproject.toml (its pins plus the dev extras), with the hash of every
# file of every locked release. Pins already in the lock are kept (no --upgrade), so running it
# again after adding a dependency changes only what that dependency brings. Linux x86_64, Python 3.11.
lock: $(VENV)/.installed
	CUSTOM_COMPILE_COMMAND="make lock" $(VENV)/bin/pip-compile --quiet --generate-hashes \
	  --extra dev --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links \
	  --no-emit-trusted-host --output-file $(LOCK) pyproject.toml

# Det Fælles Designsystem: one pinned npm release, its built CSS, fonts and icons vendored under
# core's static files (committed, so nothing else needs Node). Needs npm and the network.
DKFDS_VERSION := 11.2.0
DKFDS_INTEGRITY := sha512-JuVf8NjEOeF+TKIhEFXa3BfZvk1ulQM8+XN+6QhgDo6kiwwvupyBY34YU4FglBeyFWHbE5mYDmnrcYTWOSKkEA==
dkfds:
	scripts/dkfds $(DKFDS_VERSION) $(DKFDS_INTEGRITY) kommuneradar/core/static/dkfds

# The production configuration on http://127.0.0.1:$(PORT): DEBUG off, static files collected,
# migrations applied, gunicorn (kommuneradar/gunicorn_conf.py) and a background worker
# (manage.py db_worker) beside it. See docs/operations.md.
serve: install
	PORT=$(PORT) PY=$(PY) scripts/serve

# PostgreSQL only: a custom-format dump of $$DATABASE_URL into $(BACKUP_DIR)/, and its restore.
backup:
	@scripts/backup "$(BACKUP_DIR)"

restore:
	@scripts/restore "$(FILE)"

# The background worker (imports, edition computation) runs beside the development server;
# Ctrl-C stops both. TASKS_BACKEND=immediate runs jobs inside the request instead.
run: install
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py load_demo --if-empty
	DEBUG=1 PY=$(PY) scripts/with_worker $(PY) manage.py runserver 127.0.0.1:$(PORT)

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
	@for script in benchmarks/[!_]*.py; do echo "== $$script"; $(PY) $$script || exit 1; done
