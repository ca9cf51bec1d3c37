VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint catalogues extract bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

catalogues: $(STAMP)
	$(VENV)/bin/pybabel compile -d locales -D messages --statistics 2>&1 | tail -n 2

run: catalogues
	$(PY) -m bot run

test: catalogues
	$(VENV)/bin/ruff check bot handlers storage tests $(wildcard bench)
	$(VENV)/bin/mypy
	$(PY) -m pytest -q

# Re-extract messages from the code and merge them into both catalogues.
extract: $(STAMP)
	$(VENV)/bin/pybabel extract -F locales/babel.cfg -k text -k label -k plural:1,2 -k N_ \
		--no-default-keywords --sort-by-file --omit-header -o locales/messages.pot bot handlers
	$(VENV)/bin/pybabel update -i locales/messages.pot -d locales -D messages --no-fuzzy-matching
	$(PY) locales/fill_english.py

bench: catalogues
	$(PY) bench/throughput.py
	$(PY) bench/registration.py
	$(PY) bench/reminders.py
	$(PY) bench/booking.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
