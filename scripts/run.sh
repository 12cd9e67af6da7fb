#!/usr/bin/env bash
# Runs the product: installs what is missing, builds the release, and starts the server on
# its embedded Postgres (./data) with the demo data. Ctrl-C stops both.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
"$ROOT/scripts/bootstrap.sh"
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"   # binaryen's wasm-opt first
# Static files compressed once, at build time (brotli and gzip, served as they are); the
# wasm split into the main bundle and the chunks of the pages that load on demand.
cargo leptos build --release --precompress --split
export LEPTOS_OUTPUT_NAME=obiettivi
export LEPTOS_SITE_ROOT="$ROOT/target/site"
export LEPTOS_SITE_PKG_DIR=pkg
export LEPTOS_HASH_FILES=true
export LEPTOS_SITE_ADDR="${LEPTOS_SITE_ADDR:-127.0.0.1:3000}"
export LEPTOS_ENV=PROD
cat <<MSG

  Obiettivi: apri http://${LEPTOS_SITE_ADDR}/
  Accessi dimostrativi (password per tutti: demo-obiettivi):
    admin@obiettivi.demo        amministratore della piattaforma
    consulente@studiodemo.it    consulente dello Studio Demo (entrambi i comuni)
    segretario@esempio.demo     amministratore di Comune di Esempio e Comune di Prova
    responsabile@esempio.demo   responsabile di struttura, Comune di Esempio
    dipendente@esempio.demo     dipendente, Comune di Esempio
    nucleo@esempio.demo         Nucleo di Valutazione, Comune di Esempio
    admin@prova.demo            amministratore di Comune di Prova

MSG
# The demo is loaded on the first start of ./data (and is idempotent on later ones).
exec "$ROOT/target/release/server" serve --demo
