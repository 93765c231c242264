# showcase — `make run` serves (the demo festival on a new database), `make test` runs the whole suite.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
PYTEST_ARGS ?=

# Debian packages: what the demo needs, and what the tests need on top.
RUN_DEBS := ffmpeg fonts-wqy-zenhei fonts-dejavu-core vlc-bin vlc-plugin-base
# The press-ready programme: scribus-data ships the ISO Coated v2 CMYK profile (FOGRA39, zlib licence) its
# output intent embeds; fonts-hanazono the fallback font for ideographs beyond WenQuanYi (U+20000 and up).
RUN_DEBS += scribus-data fonts-hanazono
# fonts-droid-fallback: the programme's second CJK font; redis-server: the shared sign-in throttle's tests;
# xvfb and vlc-plugin-video-output: the kiosk on a real X display, its picture grabbed back by ffmpeg.
TEST_DEBS := $(RUN_DEBS) chromium poppler-utils zbar-tools wrk fonts-droid-fallback redis-server openssl
TEST_DEBS += xvfb vlc-plugin-video-output
TEST_DEBS += systemd openbox
# nginx: the two-host set-up's caching proxy in front of two app processes.
TEST_DEBS += nginx
# Only when the suite is asked to run on PostgreSQL (SHOWCASE_TEST_DATABASE_URL): the server the suite starts itself
# with SHOWCASE_TEST_DATABASE_URL=start (initdb, pg_ctl; Debian puts them in postgresql-<version>).
PG_DEBS := postgresql
ifneq ($(SHOWCASE_TEST_DATABASE_URL),)
TEST_DEBS += $(PG_DEBS)
endif

.PHONY: run test bench lint debs-run debs-test debs-list clean

# Install missing Debian packages when root; otherwise say which are missing.
define apt_install
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else \
	    echo "Missing Debian packages:$$missing (install them with: sudo apt-get install$$missing)" >&2; \
	  fi; \
	fi
endef

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	@touch $(VENV)/.installed $@

debs-run:
	$(call apt_install,$(RUN_DEBS))

debs-test:
	$(call apt_install,$(TEST_DEBS))

# Every Debian package and service the code and the tests use, with the Makefile list that installs it.
debs-list: $(VENV)/.installed-test
	$(BIN)/python tests/test_debian_packages.py

run: debs-run $(VENV)/.installed
	$(BIN)/showcase start --host $(HOST) --port $(PORT)   # migrate, demo into an empty database, serve

# The suite in two passes. First every test that does not time a real screen, real playback or a latency,
# on one pytest-xdist worker per core; then those (markers vlc, display, serial) on their own, so that no
# other test competes with them for the CPU. A pass with nothing to run (exit status 5) is not a failure.
TEST_WORKERS ?= auto
SERIAL_TESTS := vlc or display or serial
test: debs-test $(VENV)/.installed-test
	@status=0; \
	$(BIN)/python -m pytest -n $(TEST_WORKERS) -m "not ($(SERIAL_TESTS))" $(PYTEST_ARGS) || status=$$?; \
	[ $$status -eq 5 ] && status=0; \
	$(BIN)/python -m pytest -m "$(SERIAL_TESTS)" $(PYTEST_ARGS) || { s=$$?; [ $$s -eq 5 ] || status=$$s; }; \
	exit $$status

# bench_loop.py is a two-hour run by default (python tests/bench/bench_loop.py --minutes 120); here it is a short one.
BENCH_LOOP_MINUTES ?= 3

bench: debs-test $(VENV)/.installed-test
	@set -e; for script in tests/bench/bench_*.py; do \
	  args=""; [ "$$script" = tests/bench/bench_loop.py ] && args="--minutes $(BENCH_LOOP_MINUTES)"; \
	  echo "== $$script $$args"; $(BIN)/python $$script $$args; done

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) build dist *.egg-info
