# Platu: `make run` serves the demo; `make test` runs every check. See README.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := run

HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 3
UV_VERSION := 0.13.8
UV := python3 -m uv
PY := .venv/bin/python
DATA := $(or $(PLATU_DATA_DIR),var)
PG_URL ?= postgres://platu:platu@127.0.0.1:5432/platu
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON := python3.11

.PHONY: install system-libs poppler run serve test lint typecheck checks test-sqlite test-pg test-browser pg-up chromium secret demo bench bench-sqlite bench-pg bench-documents bench-suggest bench-report bench-relevance bench-relevance-sqlite bench-relevance-pg bench-communities backup-drill

## install: Python packages from uv.lock, front-end assets from package-lock.json,
## compiled translations, and the data folder's secret key.
install: system-libs .venv/.synced node_modules/.installed secret locale/th/LC_MESSAGES/django.mo

## system-libs: Pango for WeasyPrint (PDF documents), from Debian when missing.
system-libs:
	@python3 -c "import ctypes.util, sys; sys.exit(0 if ctypes.util.find_library('pangoft2-1.0') else 1)" || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0; }

## poppler: pdftotext and pdffonts, with which the tests read the PDFs Platu prints.
poppler:
	@command -v pdftotext >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils; }

.venv/.synced: pyproject.toml uv.lock
	@python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet "uv==$(UV_VERSION)"
	$(UV) sync --frozen
	@touch $@

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { apt-get update -qq && apt-get install -y -qq npm; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

secret: $(DATA)/secret_key
$(DATA)/secret_key:
	@mkdir -p $(DATA)
	@umask 077 && python3 -c 'import secrets; print(secrets.token_urlsafe(50))' > $@
	@echo "Generated a new secret key in $@"

locale/th/LC_MESSAGES/django.mo: locale/th/LC_MESSAGES/django.po .venv/.synced $(DATA)/secret_key
	@command -v msgfmt >/dev/null || { apt-get update -qq && apt-get install -y -qq gettext; }
	$(PY) manage.py compilemessages --locale th --ignore '.venv/*' --ignore 'node_modules/*' -v0

## run: install, migrate, load the demo network and serve with gunicorn (DEBUG off).
run: install
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py createcachetable
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) manage.py platu_demo
	$(PY) manage.py platu_reindex
	$(PY) manage.py platu_housekeeping
	@echo
	@echo "Demo accounts (log in with the username or <username>@platu.invalid):"
	@$(PY) manage.py platu_demo --list | column -t -s $$'\t'
	@echo
	@echo "Platu is at http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	@# The background worker (e-mail, exports) runs beside the web server and stops with it.
	$(PY) manage.py db_worker --no-startup-delay --interval 2 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	.venv/bin/gunicorn platu.wsgi --bind $(HOST):$(PORT) --workers $(WORKERS) --access-logfile - --forwarded-allow-ips '127.0.0.1' \
	  --limit-request-line 8190

## test: lint, types, Django checks, the suite on SQLite and PostgreSQL, browser tests.
test: install lint typecheck checks test-sqlite test-pg test-browser

lint:
	.venv/bin/ruff format --check .
	.venv/bin/ruff check .

typecheck:
	.venv/bin/mypy

checks:
	$(PY) manage.py check --fail-level WARNING
	$(PY) manage.py makemigrations --check --dry-run
	SECRET_KEY="$$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')" PLATU_HTTPS=true \
	  ALLOWED_HOSTS=platu.example.go.th $(PY) manage.py check --deploy --fail-level WARNING

test-sqlite: poppler
	.venv/bin/pytest -m "not browser" -q

test-pg: pg-up pg-replica-up poppler
	DATABASE_URL=$(PG_URL) .venv/bin/pytest -m "not browser" -q

test-browser: chromium
	.venv/bin/pytest -m browser -q

pg-up:
	@scripts/pg-up.sh

## pg-replica-up: a hot standby of it on port 5433 for the read-replica tests (tests/dbrouting).
.PHONY: pg-replica-up
pg-replica-up: pg-up
	@scripts/pg-replica-up.sh

chromium:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

## bench: search benchmark (synthetic Thai corpus) on scratch SQLite and PostgreSQL databases;
## results in docs/benchmarks.md. BENCH_SIZES=10000,100000 for a shorter run.
BENCH_SIZES ?= 10000,100000,1000000
BENCH_SIZES_PG ?= $(BENCH_SIZES)
BENCH_ENV = SECRET_KEY=platu-bench-only PLATU_DEBUG=0
PG_BENCH_URL ?= postgres://platu:platu@127.0.0.1:5432/platu_bench
bench: RELEVANCE_SIZES = 100000,1000000
bench: RELEVANCE_SIZES_PG = 100000
bench: bench-sqlite bench-pg bench-relevance-sqlite bench-relevance-pg bench-documents bench-suggest bench-communities bench-dashboards bench-surveys bench-report

## bench-relevance: the iapp-wiki-qa questions over their articles and 5,000 newer items, on SQLite
## and PostgreSQL (R@1, R@10, MRR@10 beside unsegmented search), written to docs/benchmarks.md.
## RELEVANCE_SIZES adds larger steps for latency (make bench: 100k and 1M on SQLite, 100k on PostgreSQL).
SHARED ?= $(CURDIR)/../shared
RELEVANCE_SIZES ?=
RELEVANCE_SIZES_PG ?= $(RELEVANCE_SIZES)
PG_RELEVANCE_URL ?= postgres://platu:platu@127.0.0.1:5432/platu_relevance
bench-relevance: bench-relevance-sqlite bench-relevance-pg bench-report

bench-relevance-sqlite: install
	rm -rf var/bench/relevance && mkdir -p var/bench/relevance
	$(BENCH_ENV) PLATU_DATA_DIR=$(CURDIR)/var/bench/relevance $(PY) manage.py migrate -v0
	$(BENCH_ENV) PLATU_DATA_DIR=$(CURDIR)/var/bench/relevance $(PY) manage.py platu_bench_relevance \
	  --data $(SHARED)/data/iapp-wiki-qa/valid.jsonl --sizes "$(RELEVANCE_SIZES)" --out var/bench/relevance-sqlite.json

bench-relevance-pg: install pg-up
	mkdir -p var/bench
	PGPASSWORD=platu dropdb --if-exists -h 127.0.0.1 -U platu platu_relevance
	PGPASSWORD=platu createdb -h 127.0.0.1 -U platu platu_relevance
	$(BENCH_ENV) DATABASE_URL=$(PG_RELEVANCE_URL) $(PY) manage.py migrate -v0
	$(BENCH_ENV) DATABASE_URL=$(PG_RELEVANCE_URL) $(PY) manage.py platu_bench_relevance \
	  --data $(SHARED)/data/iapp-wiki-qa/valid.jsonl --sizes "$(RELEVANCE_SIZES_PG)" --out var/bench/relevance-postgresql.json

## bench-suggest: suggestions while typing, on the demo data, through the whole request.
bench-suggest: install
	rm -rf var/bench/suggest && mkdir -p var/bench/suggest
	$(BENCH_ENV) PLATU_DATA_DIR=$(CURDIR)/var/bench/suggest $(PY) manage.py migrate -v0
	$(BENCH_ENV) PLATU_DATA_DIR=$(CURDIR)/var/bench/suggest $(PY) manage.py platu_bench_suggest --out var/bench/suggest.json

## bench-communities: a district's year of weekly PLCs (~100k sessions, ~900k attendance rows):
## the calendar, a community's page and the logbook through the whole request, SQLite and PostgreSQL.
bench-communities: install pg-up
	rm -rf var/bench/communities && mkdir -p var/bench/communities
	$(BENCH_ENV) PLATU_DATA_DIR=$(CURDIR)/var/bench/communities $(PY) manage.py migrate -v0
	$(BENCH_ENV) PLATU_DATA_DIR=$(CURDIR)/var/bench/communities $(PY) manage.py createcachetable
	$(BENCH_ENV) PLATU_DATA_DIR=$(CURDIR)/var/bench/communities $(PY) manage.py platu_bench_communities --out var/bench/communities-sqlite.json
	$(PY) -c "import psycopg; c = psycopg.connect('$(PG_URL)', autocommit=True); c.execute('DROP DATABASE IF EXISTS platu_bench_communities'); c.execute('CREATE DATABASE platu_bench_communities')"
	$(BENCH_ENV) DATABASE_URL=postgres://platu:platu@127.0.0.1:5432/platu_bench_communities $(PY) manage.py migrate -v0
	$(BENCH_ENV) DATABASE_URL=postgres://platu:platu@127.0.0.1:5432/platu_bench_communities $(PY) manage.py createcachetable
	$(BENCH_ENV) DATABASE_URL=postgres://platu:platu@127.0.0.1:5432/platu_bench_communities $(PY) manage.py platu_bench_communities --out var/bench/communities-postgresql.json

## bench-dashboards: a school's dashboard and the top office's roll-up, through the whole request: a
## district (60 schools) on SQLite, a country (30,000 organisations, 500k people, 2M items, 1M sessions,
## 300k activities with entries) on PostgreSQL; its section of docs/benchmarks.md is rewritten.
.PHONY: bench-dashboards
PG_DASHBOARDS_URL ?= postgres://platu:platu@127.0.0.1:5432/platu_bench_dashboards
bench-dashboards: install pg-up
	rm -rf var/bench/dashboards && mkdir -p var/bench/dashboards
	$(BENCH_ENV) PLATU_DATA_DIR=$(CURDIR)/var/bench/dashboards $(PY) manage.py migrate -v0
	$(BENCH_ENV) PLATU_DATA_DIR=$(CURDIR)/var/bench/dashboards $(PY) manage.py createcachetable
	$(BENCH_ENV) PLATU_DATA_DIR=$(CURDIR)/var/bench/dashboards $(PY) manage.py platu_bench_dashboards --scale district --out var/bench/dashboards-sqlite.json
	$(PY) -c "import psycopg; c = psycopg.connect('$(PG_URL)', autocommit=True); c.execute('DROP DATABASE IF EXISTS platu_bench_dashboards'); c.execute('CREATE DATABASE platu_bench_dashboards')"
	$(BENCH_ENV) DATABASE_URL=$(PG_DASHBOARDS_URL) $(PY) manage.py migrate -v0
	$(BENCH_ENV) DATABASE_URL=$(PG_DASHBOARDS_URL) $(PY) manage.py createcachetable
	$(BENCH_ENV) DATABASE_URL=$(PG_DASHBOARDS_URL) $(PY) manage.py platu_bench_dashboards --scale national --out var/bench/dashboards-postgresql.json
	$(BENCH_ENV) $(PY) manage.py platu_bench_dashboards --report var/bench/dashboards-sqlite.json var/bench/dashboards-postgresql.json --write docs/benchmarks.md

## bench-surveys: a district's KM-atmosphere survey with 100,000 responses: the results page through
## the whole request, its numbers checked to add up, SQLite and PostgreSQL; its section joins docs/benchmarks.md.
.PHONY: bench-surveys
PG_SURVEYS_URL ?= postgres://platu:platu@127.0.0.1:5432/platu_bench_surveys
bench-surveys: install pg-up
	rm -rf var/bench/surveys && mkdir -p var/bench/surveys
	$(BENCH_ENV) PLATU_DATA_DIR=$(CURDIR)/var/bench/surveys $(PY) manage.py migrate -v0
	$(BENCH_ENV) PLATU_DATA_DIR=$(CURDIR)/var/bench/surveys $(PY) manage.py createcachetable
	$(BENCH_ENV) PLATU_DATA_DIR=$(CURDIR)/var/bench/surveys $(PY) manage.py platu_bench_surveys --out var/bench/surveys-sqlite.json
	$(PY) -c "import psycopg; c = psycopg.connect('$(PG_URL)', autocommit=True); c.execute('DROP DATABASE IF EXISTS platu_bench_surveys'); c.execute('CREATE DATABASE platu_bench_surveys')"
	$(BENCH_ENV) DATABASE_URL=$(PG_SURVEYS_URL) $(PY) manage.py migrate -v0
	$(BENCH_ENV) DATABASE_URL=$(PG_SURVEYS_URL) $(PY) manage.py createcachetable
	$(BENCH_ENV) DATABASE_URL=$(PG_SURVEYS_URL) $(PY) manage.py platu_bench_surveys --out var/bench/surveys-postgresql.json
	$(BENCH_ENV) $(PY) manage.py platu_bench_surveys --report var/bench/surveys-sqlite.json var/bench/surveys-postgresql.json --write docs/benchmarks.md

## bench-documents: the plan booklet with 60 activities in PDF, DOCX and XLSX.
bench-documents: install
	rm -rf var/bench/docs && mkdir -p var/bench/docs
	$(BENCH_ENV) PLATU_DATA_DIR=$(CURDIR)/var/bench/docs $(PY) manage.py migrate -v0
	$(BENCH_ENV) PLATU_DATA_DIR=$(CURDIR)/var/bench/docs $(PY) manage.py platu_bench_documents --out var/bench/documents.json

bench-sqlite: install
	rm -rf var/bench/sqlite && mkdir -p var/bench/sqlite
	$(BENCH_ENV) PLATU_DATA_DIR=$(CURDIR)/var/bench/sqlite $(PY) manage.py migrate -v0
	$(BENCH_ENV) PLATU_DATA_DIR=$(CURDIR)/var/bench/sqlite $(PY) manage.py platu_bench --sizes $(BENCH_SIZES) --out var/bench/search-sqlite.json

bench-pg: install pg-up
	mkdir -p var/bench
	PGPASSWORD=platu dropdb --if-exists -h 127.0.0.1 -U platu platu_bench
	PGPASSWORD=platu createdb -h 127.0.0.1 -U platu platu_bench
	$(BENCH_ENV) DATABASE_URL=$(PG_BENCH_URL) $(PY) manage.py migrate -v0
	$(BENCH_ENV) DATABASE_URL=$(PG_BENCH_URL) $(PY) manage.py platu_bench --sizes $(BENCH_SIZES_PG) --out var/bench/search-postgresql.json

bench-report:
	$(BENCH_ENV) $(PY) manage.py platu_bench --report var/bench/search-sqlite.json var/bench/search-postgresql.json > docs/benchmarks.md
	$(BENCH_ENV) $(PY) manage.py platu_bench_relevance --report var/bench/relevance-sqlite.json var/bench/relevance-postgresql.json >> docs/benchmarks.md
	$(BENCH_ENV) $(PY) manage.py platu_bench_suggest --report var/bench/suggest.json >> docs/benchmarks.md
	$(BENCH_ENV) $(PY) manage.py platu_bench_documents --report var/bench/documents.json >> docs/benchmarks.md
	$(BENCH_ENV) $(PY) manage.py platu_bench_communities --report var/bench/communities-sqlite.json var/bench/communities-postgresql.json >> docs/benchmarks.md
	@test ! -f var/bench/dashboards-postgresql.json || $(BENCH_ENV) $(PY) manage.py platu_bench_dashboards --report var/bench/dashboards-sqlite.json var/bench/dashboards-postgresql.json --write docs/benchmarks.md
	@test ! -f var/bench/surveys-postgresql.json || $(BENCH_ENV) $(PY) manage.py platu_bench_surveys --report var/bench/surveys-sqlite.json var/bench/surveys-postgresql.json --write docs/benchmarks.md
	@echo "Written docs/benchmarks.md"

## backup-drill: back up the demo, wipe it, restore it and prove it identical (every table's rows,
## every media file's sha256, the searches' top results): on a scratch SQLite data folder, then on a
## scratch PostgreSQL database. Exits non-zero on any difference (docs/backups.md).
DRILL := var/drill
DRILL_ENV = SECRET_KEY=platu-drill-only PLATU_DEBUG=0
DRILL_PG_URL ?= postgres://platu:platu@127.0.0.1:5432/platu_drill
DRILL_PG_RESET = $(PY) -c "import psycopg; c = psycopg.connect('$(PG_URL)', autocommit=True); c.execute('DROP DATABASE IF EXISTS platu_drill'); c.execute('CREATE DATABASE platu_drill')"
backup-drill: install pg-up
	rm -rf $(DRILL) && mkdir -p $(DRILL)/sqlite $(DRILL)/pg
	@echo "== SQLite: the demo in $(DRILL)/sqlite"
	@for step in "migrate -v0" "createcachetable" "platu_demo" "platu_reindex"; do \
	  $(DRILL_ENV) PLATU_DATA_DIR=$(CURDIR)/$(DRILL)/sqlite $(PY) manage.py $$step >/dev/null; done
	$(DRILL_ENV) PLATU_DATA_DIR=$(CURDIR)/$(DRILL)/sqlite $(PY) manage.py platu_backup_drill fingerprint --out $(DRILL)/sqlite-before.json
	$(DRILL_ENV) PLATU_DATA_DIR=$(CURDIR)/$(DRILL)/sqlite $(PY) manage.py platu_backup $(DRILL)/sqlite.tar.gz
	rm -rf $(DRILL)/sqlite && mkdir $(DRILL)/sqlite
	$(DRILL_ENV) PLATU_DATA_DIR=$(CURDIR)/$(DRILL)/sqlite $(PY) manage.py platu_restore $(DRILL)/sqlite.tar.gz --yes
	$(DRILL_ENV) PLATU_DATA_DIR=$(CURDIR)/$(DRILL)/sqlite $(PY) manage.py platu_backup_drill fingerprint --out $(DRILL)/sqlite-after.json
	$(DRILL_ENV) $(PY) manage.py platu_backup_drill compare $(DRILL)/sqlite-before.json $(DRILL)/sqlite-after.json
	@echo "== PostgreSQL: the demo in platu_drill (media in $(DRILL)/pg)"
	$(DRILL_PG_RESET)
	@for step in "migrate -v0" "createcachetable" "platu_demo" "platu_reindex"; do \
	  $(DRILL_ENV) PLATU_DATA_DIR=$(CURDIR)/$(DRILL)/pg DATABASE_URL=$(DRILL_PG_URL) $(PY) manage.py $$step >/dev/null; done
	$(DRILL_ENV) PLATU_DATA_DIR=$(CURDIR)/$(DRILL)/pg DATABASE_URL=$(DRILL_PG_URL) $(PY) manage.py platu_backup_drill fingerprint --out $(DRILL)/pg-before.json
	$(DRILL_ENV) PLATU_DATA_DIR=$(CURDIR)/$(DRILL)/pg DATABASE_URL=$(DRILL_PG_URL) $(PY) manage.py platu_backup $(DRILL)/pg.tar.gz
	rm -rf $(DRILL)/pg && mkdir $(DRILL)/pg
	$(DRILL_PG_RESET)
	$(DRILL_ENV) PLATU_DATA_DIR=$(CURDIR)/$(DRILL)/pg DATABASE_URL=$(DRILL_PG_URL) $(PY) manage.py platu_restore $(DRILL)/pg.tar.gz --yes
	$(DRILL_ENV) PLATU_DATA_DIR=$(CURDIR)/$(DRILL)/pg DATABASE_URL=$(DRILL_PG_URL) $(PY) manage.py platu_backup_drill fingerprint --out $(DRILL)/pg-after.json
	$(DRILL_ENV) $(PY) manage.py platu_backup_drill compare $(DRILL)/pg-before.json $(DRILL)/pg-after.json
	@echo "Backup drill passed on SQLite and PostgreSQL."
