# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: run test lint format messages screenshot clean

$(VENV)/.stamp-run: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.stamp-test: $(VENV)/.stamp-run
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

node_modules/.stamp: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --silent && touch $@; \
	else echo "npm not found: browser accessibility checks (axe-core) will be skipped."; fi

run: $(VENV)/.stamp-run
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: $(VENV)/.stamp-test node_modules/.stamp
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest

lint: $(VENV)/.stamp-test
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Regenerate and compile each app's message catalogues (needs GNU gettext).
APPS := lms courses quizzes scorm_export
messages: $(VENV)/.stamp-run
	for app in $(APPS); do (cd $$app && ../$(PY) ../manage.py makemessages --locale pl --locale uk --locale en --ignore 'demo_content/*') || exit 1; done
	$(PY) manage.py compilemessages --ignore '.venv/*' --ignore 'node_modules/*'

clean:
	rm -rf $(VENV) node_modules db.sqlite3 media staticfiles

# Load benchmark of the quiz API: gunicorn on PostgreSQL (127.0.0.1:5432, user
# postgres) driven by locust; see README, "Benchmarks". BENCH_ARGS="--seconds 20".
.PHONY: bench
$(VENV)/.stamp-bench: $(VENV)/.stamp-run
	$(PY) -m pip install --quiet -e ".[bench]"
	touch $@

bench: $(VENV)/.stamp-bench
	$(PY) benchmarks/quiz_load.py $(BENCH_ARGS)

# CPU per quiz API request, in one process on PostgreSQL: the load benchmark's steadier
# twin; see README, "Benchmarks". BENCH_CPU_ARGS="--attempts 500".
.PHONY: bench-cpu
bench-cpu: $(VENV)/.stamp-run
	$(PY) benchmarks/quiz_cpu.py $(BENCH_CPU_ARGS)

# Benchmark of the SCORM export: a generated course (20 modules, 400 questions, 200
# images) in both versions against zipfile, memory at two image sizes; SQLite in a
# temporary folder. See README, "Benchmarks". BENCH_SCORM_ARGS="--repeat 3".
.PHONY: bench-scorm
bench-scorm: $(VENV)/.stamp-run
	$(PY) benchmarks/scorm_export_bench.py $(BENCH_SCORM_ARGS)

# Benchmark of the learner side's reads (training reports, a trainee's dashboard) on
# generated data in PostgreSQL (127.0.0.1:5432, user postgres); see README, "Benchmarks".
# BENCH_LEARNER_ARGS="--trainees 2000 --progress 50000".
.PHONY: bench-learner
bench-learner: $(VENV)/.stamp-run
	$(PY) benchmarks/learner_bench.py $(BENCH_LEARNER_ARGS)
