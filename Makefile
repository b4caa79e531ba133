# Every target creates .venv and installs what it needs, so each one works alone on a fresh
# machine (soak also needs a PostgreSQL server: see tests/reliability/soak.py).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PYTEST_ARGS ?=

.PHONY: test test-lowest test-newest demo lint bench soak clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall when the declared dependencies change.
$(STAMP): setup.cfg setup.py | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

# The library's suite, then the sample app's end-to-end suite (a Django project of its own).
test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)
	cd sample_app && ../$(BIN)/python -m pytest $(PYTEST_ARGS)

# The suite against the lowest runtime versions setup.cfg claims, in a venv of its own;
# .ci/run sets PYTHON_LOWEST to the lowest Python claimed (python_requires) when it finds it.
LOWEST := .venv-lowest
PYTHON_LOWEST ?= $(PYTHON)
$(LOWEST)/.installed: setup.cfg setup.py .ci/lowest-constraints.txt
	$(PYTHON_LOWEST) -m venv --clear $(LOWEST)
	$(LOWEST)/bin/python -m pip install --quiet --upgrade pip
	$(LOWEST)/bin/python -m pip install --quiet -c .ci/lowest-constraints.txt -e ".[test]"
	touch $@

test-lowest: $(LOWEST)/.installed
	$(LOWEST)/bin/python --version
	$(LOWEST)/bin/python -m pip freeze | grep -iE '^(django|djangorestframework|graphene|graphene-django|graphql-core)=='
	$(LOWEST)/bin/python -m pytest $(PYTEST_ARGS)

# The suite and the sample app against the newest releases setup.cfg allows, in a venv of
# its own, upgraded on every run; .ci/run sets PYTHON_NEWEST to the newest Python claimed
# (Django 6 needs 3.12+). The venv is made again when that Python is another.
NEWEST := .venv-newest
PYTHON_NEWEST ?= $(PYTHON)

test-newest:
	@if ! [ -x $(NEWEST)/bin/python ] || [ "$$($(NEWEST)/bin/python -c 'import sys; print(sys.version)')" != "$$($(PYTHON_NEWEST) -c 'import sys; print(sys.version)')" ]; then \
		$(PYTHON_NEWEST) -m venv --clear $(NEWEST) && $(NEWEST)/bin/python -m pip install --quiet --upgrade pip; \
	fi
	$(NEWEST)/bin/python -m pip install --quiet --upgrade -e ".[test]"
	$(NEWEST)/bin/python --version
	$(NEWEST)/bin/python -m pip freeze | grep -iE '^(django|djangorestframework|graphene|graphene-django|graphql-core)=='
	$(NEWEST)/bin/python -m pytest $(PYTEST_ARGS)
	cd sample_app && ../$(NEWEST)/bin/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .

# Speed against the floor, DRF REST and graphene-django; writes benchmarks/RESULTS.md.
bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

# The long reliability run: the sample app under load on PostgreSQL (DATABASE_URL, else
# postgres://postgres@127.0.0.1:5432; it creates and drops its own database).
soak: $(STAMP)
	$(BIN)/python tests/reliability/soak.py

# The sample app: SQLite, migrations, demo data, server on 127.0.0.1:$(DEMO_PORT).
DEMO_PORT ?= 8000
demo: $(STAMP)
	cd sample_app && ../$(BIN)/python manage.py migrate --noinput
	cd sample_app && ../$(BIN)/python manage.py seed_demo
	cd sample_app && ../$(BIN)/python manage.py runserver 127.0.0.1:$(DEMO_PORT)

clean:
	rm -rf $(VENV) $(LOWEST) $(NEWEST) .pytest_cache .ruff_cache sample_app/.ruff_cache sample_app/db.sqlite3
