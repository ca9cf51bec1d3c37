VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
CHROMIUM := /usr/bin/chromium

.PHONY: run test lint catalogues extract bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

catalogues: $(STAMP)
	$(VENV)/bin/pybabel compile -d locales -D messages --statistics 2>&1 | tail -n 2

# With a token (environment or .env): the bot on Telegram. Without one: the playground.
run: catalogues
	@if $(PY) -c 'import sys; from bot.config import token_configured; \
		sys.exit(0 if token_configured() else 1)'; then \
		exec $(PY) -m bot run; else exec $(PY) -m bot playground; fi

# The browser test drives Debian's Chromium (Playwright never downloads a browser here).
$(CHROMIUM):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

test: catalogues $(CHROMIUM)
	$(VENV)/bin/ruff check bot handlers storage playground tests $(wildcard bench)
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
	$(PY) bench/sender.py
	$(PY) bench/broadcast.py
	$(PY) bench/planning.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
