# Every target creates .venv and installs what it needs, so each one works alone on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PYTEST_ARGS ?=

.PHONY: test demo lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall when the declared dependencies change.
$(STAMP): setup.cfg setup.py | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .

# The sample app: SQLite, migrations, demo data, server on 127.0.0.1:8000.
demo: $(STAMP)
	cd sample_app && ../$(BIN)/python manage.py migrate --noinput
	cd sample_app && ../$(BIN)/python manage.py seed_demo
	cd sample_app && ../$(BIN)/python manage.py runserver 127.0.0.1:8000

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache sample_app/db.sqlite3
