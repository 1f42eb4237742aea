# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# What CI tested is what is installed: exact versions with their hashes (make lock).
LOCK := requirements/dev.txt
STAMP := $(VENV)/.installed-$(shell cat $(LOCK) | cksum | cut -d' ' -f1)
COMPILE := $(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --no-strip-extras \
	--no-emit-find-links --no-emit-index-url --no-emit-trusted-host

.PHONY: run test lint docs install lock system browser migrate demo messages clean bench bench-scale

$(STAMP): $(LOCK)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r $(LOCK)
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP)

# After changing a range in pyproject.toml: the newest versions it allows, pinned with hashes
# (requirements/main.txt to run the portal, requirements/dev.txt to test it as well).
lock: install
	$(COMPILE) --upgrade -o requirements/main.txt pyproject.toml
	$(COMPILE) --upgrade --extra dev -o requirements/dev.txt pyproject.toml

# Serve the two demos on one instance, on SQLite: Ballerup at http://ballerup.localhost:8000
# (Danish, English, German; kroner), Düsseldorf at http://duesseldorf.localhost:8000 (German,
# English; euros), the national comparison at http://localhost:8000. Each file names its
# municipality and its host. The demo keeps its data in a file of its own: its logins must
# never reach the production database.
DEMOS := shell/demo/ballerup.json shell/demo/duesseldorf.json
run: export DEBUG ?= true
run: export DATABASE_URL ?= sqlite:///var/demo.sqlite3
run: install system
	mkdir -p var
	$(PY) manage.py migrate --noinput
	for demo in $(DEMOS); do $(PY) manage.py load_demo --logins --file $$demo || exit 1; done
	@echo "Mail worker: sends every municipality's outbox every 5 s (printed here while DEBUG is on)"
	@echo "Expiry: sessions and abandoned drafts of the grant form, every hour"
	@echo "Ballerup:   http://ballerup.localhost:8000/"
	@echo "Düsseldorf: http://duesseldorf.localhost:8000/"
	@echo "National:   http://localhost:8000/"
	$(PY) manage.py send_mail --loop --every 5 & worker=$$!; \
	$(PY) manage.py expire_sessions_and_drafts --loop --every 3600 & expiry=$$!; \
	trap 'kill $$worker $$expiry 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:8000

# The whole suite. Browser tests need Debian's chromium: installed here when we are root.
test: install system browser
	$(PY) -m pytest $(PYTEST_ARGS)

# The documentation site from docs/ into var/site (strict: a warning or a broken link fails).
docs: install
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs build --strict --quiet

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

# WeasyPrint (the PDFs) needs Pango from the system: installed here when we are root.
system:
	@$(PY) -c "import weasyprint" >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Pango for WeasyPrint"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core >/dev/null; \
	  else \
	    echo "WeasyPrint cannot load Pango: apt-get install libpango-1.0-0 libpangoft2-1.0-0"; \
	  fi; }

browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "chromium is missing: browser tests will be skipped (apt-get install chromium)"; \
	  fi; }

# The benchmark (docs/developer/benchmark.md): every page at the demo's size and at the largest
# scale in one run, as ratios with their targets: make bench DATABASE=postgres (about 25 minutes
# on two cores); BENCH_QUICK=1 make bench for a short run; LARGEST=500 for another largest scale.
# One scale in detail (downloads, PDFs, query counts): make bench-scale SCALE=100.
SCALE ?= 10
DATABASE ?= sqlite
LARGEST ?=
bench: install system
	@command -v wrk >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	  else echo "wrk is missing: apt-get install wrk"; exit 1; fi; }
	mkdir -p var
	$(PY) -m bench.ratios --database $(DATABASE) $(if $(LARGEST),--largest $(LARGEST))

bench-scale: install system
	@command -v wrk >/dev/null 2>&1 || { echo "wrk is missing: make bench installs it"; exit 1; }
	mkdir -p var
	$(PY) -m bench.run --scale $(SCALE) --database $(DATABASE)

# Rebuild the translation catalogues after changing user-facing text (needs GNU gettext).
messages: install
	DEBUG=true $(PY) manage.py makemessages --locale da --ignore '.venv/*' --ignore 'var/*'
	DEBUG=true $(PY) manage.py compilemessages --locale da --ignore '.venv/*'

clean:
	rm -rf $(VENV) var .pytest_cache
