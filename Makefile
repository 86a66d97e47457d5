# Coparcours — developer commands. `make demo` and `make test` are all a newcomer needs.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install demo serve worker test screenshots lint format messages lock bench load clean

$(BIN)/coparcours: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/coparcours ## Create the virtual environment and install Coparcours

#: The demo as people try it: French error pages (no debug page), its messages kept for the
#: administrator to read (Administration › Messages envoyés), the worker beside the server.
DEMO_ENV := DEBUG=0 EMAIL_URL=outbox:// SMS_URL=outbox://

demo: install ## Migrate SQLite, load the Nord demo, serve on :8000 with the worker (Ctrl+C stops both)
	$(BIN)/coparcours migrate --no-input
	$(BIN)/coparcours createcachetable
	$(DEMO_ENV) $(BIN)/coparcours load_demo
	@echo "Coparcours est servi sur http://$(HOST):$(PORT)/, avec ses tâches de fond (Ctrl+C arrête les deux)."
	@echo "Les courriels et SMS envoyés se lisent dans l'administration (compte admin) : Messages envoyés."
	$(DEMO_ENV) bash -c 'trap "trap - EXIT INT TERM; kill 0" EXIT INT TERM; $(BIN)/coparcours run_huey & $(BIN)/coparcours runserver --noreload $(HOST):$(PORT) & wait -n'

worker: install ## Run the huey worker (periodic jobs)
	$(BIN)/coparcours run_huey

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint coparcours/templates --lint

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: install ## ruff, system checks, missing migrations, then the whole pytest suite
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/coparcours check --fail-level WARNING
	$(BIN)/coparcours makemigrations --check --dry-run
	$(BIN)/pytest -n auto --durations=25

screenshots: install ## The browser journeys, writing the README's screenshots to docs/screenshots
	COPARCOURS_SCREENSHOTS=docs/screenshots $(BIN)/pytest tests/browser -n auto

#: The runtime dependencies pinned at the versions .venv tests, for the container image: a
#: fresh venv installs Coparcours without its development tools under .venv's versions, then
#: the build backend of pyproject's [build-system]; its freeze is the lock.
LOCK_VENV := var/lock-venv
lock: install ## Pin the runtime dependencies (.venv's versions) in requirements.lock, which the image installs
	rm -rf $(LOCK_VENV) && mkdir -p var
	$(PYTHON) -m venv $(LOCK_VENV)
	$(BIN)/pip freeze --exclude-editable > var/lock-constraints.txt
	$(LOCK_VENV)/bin/pip install --quiet --constraint var/lock-constraints.txt .
	$(LOCK_VENV)/bin/pip install --quiet --constraint var/lock-constraints.txt --upgrade \
		$$($(LOCK_VENV)/bin/python -c "import tomllib; print(*tomllib.load(open('pyproject.toml', 'rb'))['build-system']['requires'])")
	{ echo "# Runtime dependencies of Coparcours, pinned: the container image installs exactly these"; \
		echo "# (Dockerfile). setuptools and wheel build Coparcours itself (pyproject's build-system)."; \
		echo "# Regenerate with \`make lock\` after a change of pyproject.toml or of .venv; Linux, Python 3.11."; \
		$(LOCK_VENV)/bin/pip freeze --all --exclude pip --exclude coparcours; } > requirements.lock
	rm -rf $(LOCK_VENV) var/lock-constraints.txt build coparcours.egg-info

SCALE ?= 0.1
messages: install ## Update the youth space's translation catalogues (needs GNU gettext) and compile them
	cd coparcours && DJANGO_SETTINGS_MODULE=coparcours.settings ../$(BIN)/django-admin makemessages \
		--all --no-location --no-obsolete --ignore=static --ignore='*/migrations/*'
	cd coparcours && DJANGO_SETTINGS_MODULE=coparcours.settings ../$(BIN)/django-admin compilemessages

bench: install ## Page and job benchmarks on DATABASE_URL (PostgreSQL for the targets), into bench/RESULTS.md
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -q wrk; } || \
		{ echo "wrk is needed: sudo apt-get install wrk"; exit 1; }
	$(BIN)/python -m bench.run --scale $(SCALE)

DURATION ?= 2m
load: install ## Load and soak run on DATABASE_URL (PostgreSQL), into bench/RESULTS.md
	$(BIN)/python -m bench.load.run --duration $(DURATION)

clean:
	rm -rf $(VENV) var .pytest_cache
