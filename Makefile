# Two commands: `make run` serves the demo, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test install install-test translations extract-messages browser office bandit lint bench cluster-check clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(VENV)/.installed $@

install: $(VENV)/.installed translations
install-test: $(VENV)/.installed-test translations

translations:
	$(BIN)/pybabel compile --statistics -d translations

extract-messages:
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_ngettext:1,2 -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching

run: install
	$(FLASK) db upgrade
	$(FLASK) seed-demo --if-empty $(if $(DEMO_PASSWORD),--password "$(DEMO_PASSWORD)")
	$(BIN)/gunicorn --bind $(HOST):$(PORT) --workers 2 --access-logfile - wsgi:app

# Browser tests need Debian's chromium; as root, install it when it is missing.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium is missing: sudo apt-get install chromium"; exit 1; fi; }

# The Word documents' test converts them to PDF (LibreOffice Writer, Liberation fonts standing in for Times New
# Roman with the same metrics) and reads the PDF back (poppler's pdfinfo, pdftotext); as root, install what is missing.
office:
	@command -v soffice >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1 \
	  && fc-list 2>/dev/null | grep -q LiberationSerif || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    --no-install-recommends libreoffice-writer-nogui poppler-utils fonts-liberation >/dev/null; \
	  else echo "missing: sudo apt-get install libreoffice-writer-nogui poppler-utils fonts-liberation"; exit 1; fi; }

# Static security check of the application code: any finding of medium severity or above fails.
bandit: install-test
	$(BIN)/bandit -q -c pyproject.toml -r app config.py wsgi.py --severity-level medium

# Lint: pyflakes, pycodestyle errors, import order and bugbear, as configured in pyproject.toml's [tool.ruff].
lint: install-test
	$(BIN)/ruff check app tests config.py wsgi.py migrations

# The SQLite run (browser tests included) and the PostgreSQL run go side by side, one per core; the PostgreSQL
# run's output is printed after the SQLite run's, and either failing fails the target. The PostgreSQL run leaves
# out what would only repeat the SQLite run: the browser tests (their server is SQLite) and the tests marked
# database_independent, which use no database or a SQLite file of their own (the missing-Chromium check, the
# Vietnamese catalog check, config.py read from the environment, SQLite's locking, a killed SQLite writer, restore
# refusals on SQLite files). Bytecode is written even where PYTHONDONTWRITEBYTECODE is set: each gunicorn, flask
# and pytest the tests start compiles the app (and pytest its rewritten test modules) once instead of every time.
test: install-test browser office lint bandit
	@mkdir -p instance; unset PYTHONDONTWRITEBYTECODE; pg=; \
	if [ -n "$$TEST_DATABASE_URL" ]; then \
	  $(BIN)/pytest -m "not browser and not database_independent" > instance/test-postgresql.log 2>&1 & pg=$$!; fi; \
	env -u TEST_DATABASE_URL $(BIN)/pytest; sqlite=$$?; \
	if [ -n "$$pg" ]; then wait $$pg; postgresql=$$?; \
	  echo "== the same suite on $$TEST_DATABASE_URL (browser and database-independent tests aside)"; \
	  cat instance/test-postgresql.log; \
	  [ $$postgresql = 0 ] || exit $$postgresql; fi; \
	exit $$sqlite

# Not part of make test (tests/test_province.py is its smoke version): writes BENCHMARKS.md.
# SQLite by default; BENCH_DATABASE_URL=postgresql+psycopg://... to measure PostgreSQL (its data is replaced).
bench: install-test
	@command -v wrk >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq wrk >/dev/null; \
	  else echo "wrk is missing: sudo apt-get install wrk"; exit 1; fi; }
	$(BIN)/python bench/run.py $(if $(BENCH_SECONDS),--seconds $(BENCH_SECONDS)) $(if $(BENCH_SMOKE),--smoke)

# Not part of make test (.ci/run runs it afterwards): two app servers behind HAProxy on PostgreSQL (CLUSTER_PG,
# default postgresql://postgres@127.0.0.1:5432; creates database cluster_check) and Redis (CLUSTER_REDIS_URL,
# default redis://127.0.0.1:6379/0). As root, installs Debian's haproxy when it is missing.
cluster-check: install
	@command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ] || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy >/dev/null; \
	  else echo "haproxy is missing: sudo apt-get install haproxy"; exit 1; fi; }
	$(BIN)/python scripts/cluster_check.py

clean:
	rm -rf $(VENV) instance/*.db* translations/*/LC_MESSAGES/*.mo
