# Switchboard — the README's two commands, and the steps behind them.
#   make run    builds and opens the app
#   make test   installs what the tests need, then runs every check and test
#   make bench  runs the benchmarks and prints their figures
# Every install step skips what is already there; works as root or as a user with sudo.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
CARGO ?= cargo
NPM ?= npm

BUILD_DEBS := build-essential pkg-config libssl-dev file libwebkit2gtk-4.1-dev libgtk-3-dev \
              libayatana-appindicator3-dev librsvg2-dev libsoup-3.0-dev libxdo-dev libdbus-1-dev \
              xdg-utils desktop-file-utils
TEST_DEBS := xvfb xauth webkit2gtk-driver gnome-keyring libsecret-tools dbus dbus-bin libglib2.0-bin
TAURI_DRIVER_VERSION := 2.1.0
# The checks of the dependency tree (`make test`): licences and bans, and unused dependencies.
CARGO_DENY_VERSION := 0.20.2
CARGO_MACHETE_VERSION := 0.9.2
# -fbdir keeps the screen as an XWD file, which tests/tests/e2e_screen.rs reads.
XVFB_SCREEN_DIR := $(CURDIR)/target/xvfb
XVFB := xvfb-run -a -s "-screen 0 1280x800x24 -fbdir $(XVFB_SCREEN_DIR)"
CARGO_BIN := $(or $(CARGO_HOME),$(HOME)/.cargo)/bin

.PHONY: run test bench deps-build deps-test ui-deps cli-tools ui tauri-driver cargo-checkers app bindings clean

run: deps-build ui app
	./target/debug/switchboard-app

test: deps-build deps-test ui-deps cli-tools tauri-driver cargo-checkers
	@echo "== format"
	$(CARGO) fmt --all --check
	@echo "== UI: format and lint, types, unit tests, build"
	cd ui && $(NPM) run --silent lint
	cd ui && $(NPM) run --silent check
	cd ui && $(NPM) run --silent test
	cd ui && $(NPM) run --silent build
	@echo "== clippy"
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	@echo "== the faces reach the core through its front door only (api), and the core has no dead code"
	$(CARGO) clippy -p switchboard-core -p switchboard-cli -p switchboard-app -- -D warnings
	@echo "== the docs build without a warning; licences, bans and sources (deny.toml); no unused dependency"
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --workspace --no-deps --quiet
	$(CARGO) deny --log-level error check licenses bans sources
	$(CARGO) machete
	@echo "== build: the command line, the app (UI embedded), the test tools"
	$(CARGO) build --workspace --bins
	@echo "== the command line links no GUI library"
	scripts/check-cli-deps.sh target/debug/switchboard
	@echo "== unit, integration, keychain and end-to-end tests (Xvfb + private keyring)"
	mkdir -p artifacts $(XVFB_SCREEN_DIR)
	touch artifacts/.tests-started
	# A bound for a hang (a full run takes about 10 minutes on 2 cores), so a stuck test fails
	# with its log rather than running into CI's own limit.
	PATH="$(CARGO_BIN):$$PATH" SWITCHBOARD_TEST_SCREEN="$(XVFB_SCREEN_DIR)/Xvfb_screen0" \
	  timeout --kill-after=30s 40m $(XVFB) scripts/with-keyring.sh \
	  $(CARGO) test --workspace --no-fail-fast -- --test-threads=2 2>&1 | tee artifacts/cargo-test.log \
	  || { echo "the tests failed or did not end within 40 minutes: see artifacts/cargo-test.log"; exit 1; }
	@echo "== the tests left the real HOME alone"
	scripts/check-home-untouched.sh artifacts/.tests-started
	@awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($$(i+1) ~ /^passed/) p += $$i; if ($$(i+1) ~ /^failed/) f += $$i } } \
	  END { printf "rust tests: %d passed, %d failed\n", p, f; exit (p == 0 || f > 0) }' artifacts/cargo-test.log

AISW_VERSION := 0.3.11
AISW_ROOT := $(CURDIR)/target/bench-tools

# What measure-desktop.sh needs to watch a window (for the benchmarks only).
BENCH_DEBS := xdotool imagemagick libx11-dev libxdamage-dev
MEASURE_DESKTOP ?= $(CURDIR)/../shared/tools/measure-desktop.sh

# Release builds: the command-line figures time the binary users run, beside `aisw use`
# (pinned; installed here, for the benchmarks only); the window's figures are taken beside an
# empty Tauri app, a second binary of the app's crate (src-tauri/bench); the window's frames
# while it scrolls are read in its page over WebDriver (tauri-driver), under Xvfb.
bench: deps-build deps-test cli-tools ui tauri-driver
	@scripts/ensure-debs.sh $(BENCH_DEBS)
	$(CARGO) build --release -p switchboard-cli -p switchboard-app
	@if "$(AISW_ROOT)/bin/aisw" --version 2>/dev/null | grep -q "$(AISW_VERSION)"; then :; else \
	  echo "Installing aisw $(AISW_VERSION) to compare against"; \
	  $(CARGO) install aisw --version $(AISW_VERSION) --locked --root "$(AISW_ROOT)"; fi
	$(CARGO) build --release -p switchboard-tests --bins
	SWITCHBOARD_BIN="$(CURDIR)/target/release/switchboard" AISW_BIN="$(AISW_ROOT)/bin/aisw" PATH="$(CARGO_BIN):$$PATH" \
	  xvfb-run -a -s "-screen 0 1280x800x24" scripts/with-keyring.sh target/release/bench
	MEASURE_DESKTOP="$(MEASURE_DESKTOP)" scripts/with-keyring.sh scripts/bench-desktop.sh \
	  target/release/switchboard-app target/release/empty-tauri-app target/release/switchboard

deps-build:
	@command -v $(CARGO) >/dev/null || { echo "cargo is missing: install Rust with rustup (https://rustup.rs)"; exit 1; }
	@command -v $(NPM) >/dev/null || { echo "npm is missing: install Node.js 20.19+ and npm"; exit 1; }
	@scripts/ensure-debs.sh $(BUILD_DEBS)

deps-test:
	@scripts/ensure-debs.sh $(TEST_DEBS)

# npm ci only when the lock file changed since the last install.
ui-deps: ui/node_modules/.installed
ui/node_modules/.installed: ui/package-lock.json
	cd ui && $(NPM) ci --no-audit --no-fund
	touch $@

# The real CLIs (pinned in tests/cli-tools) that check the files Switchboard writes.
cli-tools: tests/cli-tools/node_modules/.installed
tests/cli-tools/node_modules/.installed: tests/cli-tools/package-lock.json
	cd tests/cli-tools && $(NPM) ci --no-audit --no-fund
	touch $@

ui: ui-deps
	cd ui && $(NPM) run --silent build

# cargo-deny and cargo-machete, pinned, installed once.
cargo-checkers:
	@if $(CARGO) install --list | grep -q "^cargo-deny v$(CARGO_DENY_VERSION):"; then :; else \
	  echo "Installing cargo-deny $(CARGO_DENY_VERSION)"; \
	  $(CARGO) install cargo-deny --version $(CARGO_DENY_VERSION) --locked; fi
	@if $(CARGO) install --list | grep -q "^cargo-machete v$(CARGO_MACHETE_VERSION):"; then :; else \
	  echo "Installing cargo-machete $(CARGO_MACHETE_VERSION)"; \
	  $(CARGO) install cargo-machete --version $(CARGO_MACHETE_VERSION) --locked; fi

tauri-driver:
	@if "$(CARGO_BIN)/tauri-driver" --help >/dev/null 2>&1 && \
	    $(CARGO) install --list | grep -q "^tauri-driver v$(TAURI_DRIVER_VERSION):"; then :; else \
	  echo "Installing tauri-driver $(TAURI_DRIVER_VERSION)"; \
	  $(CARGO) install tauri-driver --version $(TAURI_DRIVER_VERSION) --locked; fi

app: ui
	$(CARGO) build -p switchboard-cli -p switchboard-app

# Regenerate ui/src/lib/bindings.ts from the Rust types (CI fails when it is stale).
bindings:
	SWITCHBOARD_UPDATE_BINDINGS=1 $(CARGO) test -p switchboard-core --lib bindings::

clean:
	$(CARGO) clean
	rm -rf ui/node_modules ui/dist tests/cli-tools/node_modules artifacts
