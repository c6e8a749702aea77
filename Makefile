# The two commands: `make run` (the whole system with a demo campaign) and `make test` (every test).
SHELL := /bin/bash
PY := .venv/bin/python
DEVSTACK := python3 devstack/devstack.py
PYTEST_ARGS ?=
# Another checkout running tests at the same time takes another profile: TEST_PROFILE=test1 … test6.
TEST_PROFILE ?= test

.PHONY: run test test-unit chaos bench bench-archive venv provision up down status logs clean-data

venv: .venv/.installed

.venv/.installed: pyproject.toml constraints.txt
	@test -x $(PY) || python3 -m venv .venv
	@$(PY) -m pip install -q --disable-pip-version-check -U pip
	@$(PY) -m pip install -q --disable-pip-version-check -c constraints.txt -e '.[dev]'
	@touch $@

provision:
	@$(DEVSTACK) provision

run: venv provision
	@$(DEVSTACK) up --profile run
	@eval "$$($(DEVSTACK) env --profile run)" && export TUIJU_ENV=dev TUIJU_DEMO=1 TUIJU_DEMO_ANCHOR="$$(date -u +%Y-%m-%dT%H:%M:%S+00:00)" PATH="$$PWD/.venv/bin:$$PATH" && \
	  $(PY) -m shared.setup && $(PY) -m services.intake.seed_demo && $(PY) -m services.archive.seed_demo && $(PY) -m services.review.seed_demo && \
	  $(PY) -m shared.urls && exec .venv/bin/honcho start -f Procfile

test: venv provision
	@$(DEVSTACK) up --profile $(TEST_PROFILE) --fresh
	@eval "$$($(DEVSTACK) env --profile $(TEST_PROFILE))" && export TUIJU_ENV=test TUIJU_DEVSTACK_PROFILE=$(TEST_PROFILE) PATH="$$PWD/.venv/bin:$$PATH" && \
	  $(PY) -m pytest -p no:cacheprovider $(PYTEST_ARGS); status=$$?; \
	  $(DEVSTACK) down --profile $(TEST_PROFILE) >/dev/null; exit $$status

# The fault and abuse suite (tests/chaos, README "Fault and abuse suite"): its own servers' profile, fresh;
# writes and prints chaos/results/latest.md. CHAOS_ARGS picks parts: CHAOS_ARGS="tests/chaos/test_faults_under_load.py".
CHAOS_ARGS ?= tests/chaos
chaos: venv provision
	@$(DEVSTACK) up --profile $(TEST_PROFILE) --fresh
	@eval "$$($(DEVSTACK) env --profile $(TEST_PROFILE))" && export TUIJU_ENV=test TUIJU_DEVSTACK_PROFILE=$(TEST_PROFILE) PATH="$$PWD/.venv/bin:$$PATH" && \
	  $(PY) -m pytest -p no:cacheprovider -m chaos -q $(CHAOS_ARGS); status=$$?; \
	  $(DEVSTACK) down --profile $(TEST_PROFILE) >/dev/null; exit $$status

test-unit: venv
	@$(PY) -m pytest -m unit -q

# The bench's servers: the test profile unless told (BENCH_PROFILE=test3); BENCH_ARGS="--quick" tries it.
BENCH_PROFILE ?= $(TEST_PROFILE)
BENCH_ARGS ?=
bench: venv provision .venv/.bench-installed
	@$(DEVSTACK) up --profile $(BENCH_PROFILE)
	@eval "$$($(DEVSTACK) env --profile $(BENCH_PROFILE))" && export TUIJU_ENV=test TUIJU_DEVSTACK_PROFILE=$(BENCH_PROFILE) \
	  PATH="$$PWD/.venv/bin:$$PATH" && $(PY) -m bench $(BENCH_ARGS)

.venv/.bench-installed: pyproject.toml constraints.txt .venv/.installed
	@$(PY) -m pip install -q --disable-pip-version-check -c constraints.txt -e '.[dev,bench]'
	@touch $@

# The archive's exports with 100,000 nominations (time and peak memory of each, in a process of its own).
bench-archive: venv provision
	@$(DEVSTACK) up --profile $(TEST_PROFILE)
	@eval "$$($(DEVSTACK) env --profile $(TEST_PROFILE))" && export TUIJU_ENV=test PATH="$$PWD/.venv/bin:$$PATH" && \
	  $(PY) -m shared.setup >/dev/null && $(PY) -m bench.archive_exports

up:
	@$(DEVSTACK) up --profile run
down:
	@$(DEVSTACK) down --profile run
status:
	@$(DEVSTACK) status --profile run
logs:
	@$(DEVSTACK) logs --profile run
