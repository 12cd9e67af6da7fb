#!/usr/bin/env bash
# Every test: formatting and lints, unit and integration tests on real Postgres, and the
# browser tests in headless Chromium. Installs what is missing first.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
"$ROOT/scripts/bootstrap.sh" --tests
export PATH="$HOME/.cargo/bin:$PATH"
# A fresh clone gains nothing from incremental data and it costs gigabytes of disk.
if [ -n "${CI:-}" ]; then export CARGO_INCREMENTAL=0; fi

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy (server side and browser side)"
cargo clippy -p app -p server --all-targets -- -D warnings
cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings

step "unit and integration tests (real Postgres)"
cargo test -p app -p server

step "build the site (cargo leptos build --split: the pages' wasm chunks, as released)"
cargo leptos build --split

step "browser tests (Playwright + axe-core, headless Chromium)"
cd "$ROOT/end2end"
npx playwright test
