#!/usr/bin/env bash
# The server as the browser tests see it: the debug build cargo-leptos made, on a fresh
# embedded cluster with the demo data, in a folder of its own.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
# Under /tmp: when run as root, Postgres runs as the `postgres` user, who may not be able
# to traverse the checkout (e.g. a clone under /root).
DATA="${TMPDIR:-/tmp}/obiettivi-e2e"
rm -rf "$DATA"
export OBIETTIVI_DATA_DIR="$DATA"
export LEPTOS_OUTPUT_NAME=obiettivi
export LEPTOS_SITE_ROOT="$ROOT/target/site"
export LEPTOS_SITE_PKG_DIR=pkg
export LEPTOS_HASH_FILES=true
export LEPTOS_SITE_ADDR="127.0.0.1:${E2E_PORT:-3210}"
export LEPTOS_ENV=DEV
# The reminders' run every few seconds, so that a browser test sees the bell fill in.
export OBIETTIVI_PROMEMORIA_SECONDI=3
unset DATABASE_URL OBIETTIVI_RUNTIME_DATABASE_URL
exec "$ROOT/target/debug/server" serve --demo
