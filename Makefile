# The targets a person types. Each installs what is missing first, from the
# locks: requirements.lock (what the app runs on) and requirements-dev.lock
# (that plus the test tools); `make lock` refreshes both after editing
# requirements.txt or requirements-dev.txt.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# Test processes side by side (pytest-xdist): one per core of a 2-core machine.
TEST_PROCESSES ?= 2
PIP := $(VENV)/bin/pip install --quiet --require-hashes
HOST ?= 127.0.0.1
PORT ?= 8000
# Locks are resolved against PyPI alone, never a local wheel cache or mirror,
# so that their hashes are the ones every machine downloads.
LOCK := env -u PIP_FIND_LINKS PIP_CONFIG_FILE=/dev/null CUSTOM_COMPILE_COMMAND="make lock" \
	$(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	--index-url https://pypi.org/simple $(LOCK_ARGS)

.PHONY: install install-runtime assets run test lint format lock bench messages clean

install: $(VENV)/.installed-dev assets
install-runtime: $(VENV)/.installed-runtime assets
assets: node_modules/.installed locale/ar/LC_MESSAGES/django.mo

$(PY):
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-runtime: requirements.lock | $(PY)
	$(PIP) -r requirements.lock
	touch $@

# The dev lock pins the runtime packages at the same versions.
$(VENV)/.installed-dev: requirements-dev.lock requirements.lock | $(PY)
	$(PIP) -r requirements-dev.lock
	touch $(VENV)/.installed-runtime $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

locale/ar/LC_MESSAGES/django.mo: locale/ar/LC_MESSAGES/django.po | $(VENV)/.installed-runtime
	@command -v msgfmt >/dev/null || scripts/apt-install gettext
	DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0

run: install-runtime
	DEBUG=$${DEBUG:-1} scripts/run $(HOST) $(PORT)

test: install
	$(PY) -m pytest -n $(TEST_PROCESSES) $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# LOCK_ARGS=--upgrade (or --upgrade-package NAME) to move pins forward.
lock: install
	$(LOCK) -o requirements.lock requirements.txt
	$(LOCK) -o requirements-dev.lock requirements-dev.txt

messages: install
	DEBUG=1 $(PY) manage.py makemessages -l ar --ignore=.venv --ignore=node_modules --ignore=staticfiles --no-obsolete
	DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0

bench: install
	$(PY) bench/run.py $(BENCH_ARGS)

clean:
	rm -rf var staticfiles db.sqlite3 db.sqlite3-*
