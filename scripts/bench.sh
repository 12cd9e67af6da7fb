#!/usr/bin/env bash
# Every speed goal of the README measured on this machine, in one command, and a table of
# the goals with the figures and whether each is met (target/bench-nazionale/obiettivi.txt):
#   scripts/bench.sh
# 1. the national benchmark side by side (`bench-nazionale.sh --affiancati 10 7900`, which
#    installs what it needs and builds the release): every route at 64 connections on a
#    database of 10 enti and on one of 7,900, the rounds alternated;
# 2. row-level security on both databases (`bench spiega`);
# 3. the main wasm bundle, as sent with brotli;
# 4. the render and PDF timings of `bench` (the draft PDF among them);
# 5. the first visits in Chromium on a 10 Mbit/s line (`end2end/misura/prima-visita.mjs`),
#    against the release server on a fresh demo database.
# OBIETTIVI_BENCH_DURATA, OBIETTIVI_BENCH_GIRI and OBIETTIVI_BENCH_MONITORAGGI are passed on.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
"$ROOT/scripts/bootstrap.sh" --tests
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"
OUT="$ROOT/target/bench-nazionale"
mkdir -p "$OUT"

"$ROOT/scripts/bench-nazionale.sh" --affiancati 10 7900

AFF="${TMPDIR:-/tmp}/obiettivi-bench/affiancati"
for l in 0 1; do
  OBIETTIVI_DATA_DIR="$AFF/$l" OBIETTIVI_BENCH_PASSWORD="$(cat "$AFF/$l/password-bench")" \
    "$ROOT/target/release/bench" spiega > "$OUT/spiega-$l.txt" 2>&1
done

# Every wasm file as sent with brotli: the summary takes the main bundle, named after the
# crate (the parts come with their pages).
ls -l "$ROOT"/target/site/pkg/*.wasm.br > "$OUT/wasm.txt"

"$ROOT/target/release/bench" 30 | tee "$OUT/tempi.txt"

# The first visits, against the release server on a demo database of its own.
DEMO="${TMPDIR:-/tmp}/obiettivi-bench/demo"
rm -rf "$DEMO"; mkdir -p "$DEMO"
PORT=3395
OBIETTIVI_DATA_DIR="$DEMO" LEPTOS_OUTPUT_NAME=obiettivi LEPTOS_SITE_ROOT="$ROOT/target/site" \
  LEPTOS_SITE_PKG_DIR=pkg LEPTOS_HASH_FILES=true LEPTOS_ENV=PROD LEPTOS_SITE_ADDR="127.0.0.1:$PORT" \
  "$ROOT/target/release/server" serve --demo > "$DEMO/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
until curl -sf "http://127.0.0.1:$PORT/health" >/dev/null; do
  kill -0 "$SERVER" 2>/dev/null || { cat "$DEMO/server.log"; exit 1; }
  sleep 0.2
done
# The editor's page of a draft of the reference's size: the 2023 plan of the Comune di
# Esempio, made as its segretario makes one (the demo's own draft is a small one).
BASE="http://127.0.0.1:$PORT"
JAR="$DEMO/cookie"
curl -s -c "$JAR" -o /dev/null -H "Origin: $BASE" \
     -d 'email=segretario@esempio.demo' -d 'password=demo-obiettivi' "$BASE/login"
curl -sf -b "$JAR" -o /dev/null -H "Origin: $BASE" \
     -d 'slug=comune-di-esempio&anno=2023&modello=riferimento' "$BASE/api/piani/crea"
(cd "$ROOT/end2end" && node misura/prima-visita.mjs "$BASE" \
  segretario@esempio.demo /e/comune-di-esempio/piani/2023 \
  segretario@esempio.demo /e/comune-di-esempio/piani/2022 \
  dipendente@esempio.demo /e/comune-di-esempio/miei-obiettivi) | tee "$OUT/prima-visita.txt"
kill $SERVER; wait $SERVER 2>/dev/null || true
trap - EXIT

python3 "$ROOT/scripts/bench-obiettivi.py" "$OUT" | tee "$OUT/obiettivi.txt"
