#!/usr/bin/env bash
# Bytes a browser receives for the first visit of a page, by resource, with and without
# compression: logs in as a demo user, fetches the page and every stylesheet, script and
# wasm it names, as a browser that accepts brotli would. Not a timed test: a measurement.
#   scripts/misura-byte.sh [BASE_URL] [EMAIL] [PATH]
set -euo pipefail
BASE="${1:-http://127.0.0.1:3000}"
EMAIL="${2:-segretario@esempio.demo}"
PAGE="${3:-/e/comune-di-esempio/piani/2022}"
JAR="$(mktemp)"
trap 'rm -f "$JAR"' EXIT
curl -s -c "$JAR" -o /dev/null -H "Origin: $BASE" \
     -d "email=$EMAIL" -d "password=demo-obiettivi" "$BASE/login"
size() { # url accept-encoding → bytes on the wire
  curl -s -b "$JAR" -H "Accept-Encoding: $2" -o /dev/null -w '%{size_download}' "$1"
}
html="$(curl -s -b "$JAR" "$BASE$PAGE")"
list="$(printf '%s' "$html" | grep -oE '(href|src)="/[^"]+\.(css|js|wasm)"' | sed -E 's/^(href|src)="//; s/"$//')"
# Fonts are named by the stylesheets.
for css in $(printf '%s\n' "$list" | grep '\.css$'); do
  more="$(curl -s -b "$JAR" "$BASE$css" | grep -oE 'url\("?/[^)"]+' | sed -E 's/^url\("?//' || true)"
  [ -n "$more" ] && list="$list"$'\n'"$more"
done
urls=("$PAGE")
while read -r u; do [ -n "$u" ] && urls+=("$u"); done < <(printf '%s\n' "$list" | sort -u)
printf '%-60s %12s %12s\n' resource identity brotli
tot_i=0; tot_b=0
for u in "${urls[@]}"; do
  i=$(size "$BASE$u" identity); b=$(size "$BASE$u" "br, gzip")
  tot_i=$((tot_i + i)); tot_b=$((tot_b + b))
  printf '%-60s %12s %12s\n' "$u" "$i" "$b"
done
printf '%-60s %12s %12s\n' total "$tot_i" "$tot_b"
