# CareerGuide: `make run` serves the site, `make test` runs every test. `make help` lists the rest.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1
# make run is for trying the site locally: debug on, a development key. Production: see README.
RUN_ENV := DJANGO_DEBUG=$${DJANGO_DEBUG:-1}
PYTEST_ARGS ?=
# Two workers (this machine has two cores); files stay together so their fixtures are reused.
PYTEST_WORKERS ?= 2



.PHONY: help run test test-postgres check lint fmt migrate content venv clean static serve scaleout bench

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(VENV)/.python:
	@python=$$(scripts/find-python) || exit 1; \
	echo "Creating $(VENV) with $$python"; \
	"$$python" -m venv $(VENV) && $(PY) -m pip install --quiet --upgrade pip && touch $@

$(VENV)/.installed-runtime: requirements.txt | $(VENV)/.python
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(VENV)/.python
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.installed-runtime

venv: $(VENV)/.installed-dev ## Create .venv with the runtime and test dependencies

var:
	@mkdir -p var/static

migrate: $(VENV)/.installed-runtime | var ## Apply database migrations
	$(RUN_ENV) $(PY) manage.py migrate --noinput

content: migrate ## Add the starter content the database lacks (never overwrites edits)
	$(RUN_ENV) $(PY) manage.py load_starter_content

run: content ## Set up and serve the site at http://127.0.0.1:8000/ (PORT=8123 for another port)
	@echo "Serving CareerGuide at http://$(HOST):$(PORT)/ (Ctrl-C stops it)"
	$(RUN_ENV) $(PY) manage.py runserver $(HOST):$(PORT)

# make serve: production settings (debug off; DJANGO_SECRET_KEY required), static files collected
# once into var/static with hashed names and .br/.gz siblings, served by WhiteNoise from gunicorn.
# Collecting again only when our static files or the requirements change.
STATIC_SOURCES := $(shell find static -type f 2>/dev/null)
SERVE_ENV := DJANGO_MANIFEST_STATIC=1

var/static/staticfiles.json: $(STATIC_SOURCES) requirements.txt $(VENV)/.installed-runtime | var
	$(SERVE_ENV) $(PY) manage.py collectstatic --noinput --clear --verbosity 0

static: var/static/staticfiles.json ## Collect static files for make serve (hashed names, brotli and gzip)

serve: static ## Serve with gunicorn and production settings (needs DJANGO_SECRET_KEY; README: Deployment)
	@echo "Serving CareerGuide with gunicorn at http://$(HOST):$(PORT)/ (migrations: make migrate)"
	$(SERVE_ENV) exec $(VENV)/bin/gunicorn careerguide.wsgi --bind $(HOST):$(PORT) \
		--config careerguide/gunicorn.conf.py

bench: $(VENV)/.installed-runtime ## Measure throughput, latency and page weight with wrk; writes benchmarks/RESULTS.md
	benchmarks/bench.sh

scaleout: $(VENV)/.installed-runtime ## Two instances on PostgreSQL and Redis share readers and edits
	benchmarks/scaleout.sh

# make css: static/css/careerguide.css, the one stylesheet, from Bootstrap's Sass (only the parts
# used) and static/css/site.css, by dart-sass; both pinned in package.json and package-lock.json.
# The result is committed, so make run and make serve need no Node; make css-check (CI) fails when
# it is out of date.
SASS := node_modules/.bin/sass
SASS_ARGS := --no-source-map --style=compressed --load-path=node_modules --load-path=static/css \
	--quiet-deps --silence-deprecation=import,global-builtin,color-functions
CSS_OUT := static/css/careerguide.css

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	@touch $@

.PHONY: css css-check
css: node_modules/.installed ## Build static/css/careerguide.css from Bootstrap's Sass and site.css
	$(SASS) $(SASS_ARGS) assets/careerguide.scss $(CSS_OUT)
	@$(PY) -c "import brotli, sys; d = open(sys.argv[1], 'rb').read(); print(f'{sys.argv[1]}: {len(d)} bytes, {len(brotli.compress(d))} with brotli (limit 15360)')" $(CSS_OUT)

css-check: node_modules/.installed ## Fail when static/css/careerguide.css is not what make css builds
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	$(SASS) $(SASS_ARGS) assets/careerguide.scss "$$tmp/careerguide.css" && \
	if ! cmp -s "$$tmp/careerguide.css" $(CSS_OUT); then \
		echo "$(CSS_OUT) is out of date with assets/careerguide.scss or static/css/site.css: run make css and commit it" >&2; exit 1; \
	fi && \
	$(PY) -c "import brotli, sys; n = len(brotli.compress(open(sys.argv[1], 'rb').read())); print(f'{sys.argv[1]} is up to date, {n} bytes with brotli'); sys.exit(n > 15360)" $(CSS_OUT)

.PHONY: lighthouse
lighthouse: $(VENV)/.installed-runtime ## Lighthouse on every public page type; writes benchmarks/RESULTS-lighthouse.md
	benchmarks/lighthouse.sh

.PHONY: load
load: $(VENV)/.installed-runtime ## wrk, 64 connections for 30 s over a mix of pages: no error allowed
	benchmarks/load.sh

check: $(VENV)/.installed-dev ## Django system checks and the migrations check
	$(PY) manage.py check --fail-level WARNING
	$(PY) manage.py makemigrations --check --dry-run

test: $(VENV)/.installed-dev | var ## Set up and run every test (installs Chromium when missing)
	@scripts/ensure-chromium
	@scripts/ensure-redis
	@scripts/ensure-nginx
	DJANGO_SECRET_KEY=test-only-not-secret $(MAKE) --no-print-directory check
	$(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

test-postgres: $(VENV)/.installed-dev ## Run the suite against a throwaway PostgreSQL cluster
	@scripts/ensure-chromium
	@scripts/ensure-redis
	@scripts/ensure-nginx
	scripts/with-postgres $(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev ## Ruff lint and format check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

fmt: $(VENV)/.installed-dev ## Format and fix with Ruff
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

.PHONY: hooks
hooks: $(VENV)/.installed-dev ## Install the git pre-commit hooks (make lint, YAML check)
	$(VENV)/bin/pre-commit install

clean: ## Remove .venv and var/ (the SQLite database)
	rm -rf $(VENV) var
