# The targets a person types. Each installs what is missing first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint format bench messages clean

install: $(VENV)/.installed node_modules/.installed locale/ar/LC_MESSAGES/django.mo

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

locale/ar/LC_MESSAGES/django.mo: locale/ar/LC_MESSAGES/django.po $(VENV)/.installed
	@command -v msgfmt >/dev/null || scripts/apt-install gettext
	DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0

run: install
	DEBUG=$${DEBUG:-1} scripts/run $(HOST) $(PORT)

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: install
	DEBUG=1 $(PY) manage.py makemessages -l ar --ignore=.venv --ignore=node_modules --ignore=staticfiles --no-obsolete
	DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0

bench: install
	$(PY) bench/run.py $(BENCH_ARGS)

clean:
	rm -rf var staticfiles db.sqlite3 db.sqlite3-*
