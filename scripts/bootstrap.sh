#!/usr/bin/env bash
# Installs everything the build and the tests need on a fresh Debian machine,
# reusing whatever is already there. Safe to run repeatedly.
#   scripts/bootstrap.sh          build tools (wasm target, cargo-leptos, wasm-bindgen, npm)
#   scripts/bootstrap.sh --tests  also Chromium and poppler-utils for the test suite
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CARGO_LEPTOS_VERSION=0.3.11
WASM_BINDGEN_VERSION=0.2.130
WITH_TESTS=0
[[ "${1:-}" == "--tests" ]] && WITH_TESTS=1

log() { printf '\033[1m[bootstrap]\033[0m %s\n' "$*"; }
export PATH="$HOME/.cargo/bin:$PATH"

SUDO=""
if [[ "$(id -u)" != 0 ]]; then SUDO="sudo"; fi

apt_install() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if ((${#missing[@]})); then
    log "apt-get install ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

# Postgres server binaries (initdb, pg_ctl) for the embedded cluster.
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null; then
  apt_install postgresql
fi

rustup target list --installed | grep -q wasm32-unknown-unknown || {
  log "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
}

# Installs a crate from its published source with one lockfile pin changed: the published
# lockfiles of these tools need a newer rustc than this machine has.
install_pinned() {
  local crate=$1 version=$2 pin_pkg=$3 pin_ver=$4; shift 4
  local work
  work="$(mktemp -d)"
  log "installing $crate $version (a few minutes, once)"
  curl -sSfL "https://static.crates.io/crates/$crate/$crate-$version.crate" | tar xz -C "$work"
  (
    cd "$work/$crate-$version"
    cargo update -q -p "$pin_pkg" --precise "$pin_ver"
    # Thin LTO and parallel codegen: a build tool does not need the last percent of speed.
    CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
      cargo install -q --path . --locked "$@"
  )
  rm -rf "$work"
}

if ! cargo-leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
  install_pinned cargo-leptos "$CARGO_LEPTOS_VERSION" cargo-util-schemas 0.14.1 --features no_downloads
fi
if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
  install_pinned wasm-bindgen-cli "$WASM_BINDGEN_VERSION" webpki-roots 1.0.10
fi

# npm: Bootstrap Italia and binaryen's wasm-opt (root), Playwright and axe-core (end2end).
npm_ci() {
  local dir=$1
  if [[ ! -d "$dir/node_modules" || "$dir/package-lock.json" -nt "$dir/node_modules/.stamp" ]]; then
    log "npm ci in ${dir#"$ROOT"/}"
    (cd "$dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error && touch node_modules/.stamp)
  fi
}
npm_ci "$ROOT"
npm_ci "$ROOT/end2end"

# The app serves Bootstrap Italia itself: copy Titillium Web and the icon sprite into the
# assets folder cargo-leptos publishes.
BI="$ROOT/node_modules/bootstrap-italia/dist"
VENDOR="$ROOT/public/vendor/bootstrap-italia"
if [[ ! -f "$VENDOR/.stamp" || "$BI/css/bootstrap-italia.min.css" -nt "$VENDOR/.stamp" ]]; then
  rm -rf "$VENDOR" && mkdir -p "$VENDOR/css" "$VENDOR/fonts/Titillium_Web" "$VENDOR/svg"
  cp "$BI"/fonts/Titillium_Web/*.woff2 "$BI/fonts/Titillium_Web/OFL.txt" "$VENDOR/fonts/Titillium_Web/"
  cp "$BI/svg/sprites.svg" "$VENDOR/svg/"
  touch "$VENDOR/.stamp"
fi
# Its CSS with only the rules whose classes, ids and elements the app's source names
# (PurgeCSS, about a second): 612 KB → about 70 KB, the largest part of every first visit
# after the wasm. Run on every build, since a new class in the source needs its rule; a
# class must appear whole in the source (never put together from pieces).
rm -f "$VENDOR/css/bootstrap-italia.min.css.map"   # it maps the whole file, not this one
"$ROOT/node_modules/.bin/purgecss" --css "$BI/css/bootstrap-italia.min.css" --content "$ROOT/app/src/**/*.rs" \
  --output "$VENDOR/css/"

if ((WITH_TESTS)); then
  apt_install chromium poppler-utils openssl
fi
log "ready"
