#!/usr/bin/env bash
# National scale on one server: for each N (default 10, then 7,900: every Italian comune)
# a fresh embedded database with N copies of the demo's reference-size ente, the release
# server on it, and oha on loopback for a fixed time per route, at 1 and 64 connections:
# a static file, /health, the plan page of random enti (read by one with a membership in
# every ente, and by a Nucleo member of 50), a draft of the reference's size with its
# editors (by its ente's segretario), the header the browser asks on moving to
# another page (by the same two), «I miei obiettivi» of a random ente,
# «I miei obiettivi» of one ente by a person with one membership and by one with all, the
# approved plan's PDF. Then EXPLAIN (ANALYZE, BUFFERS) of the plan page's queries and
# the cost of row-level security (`bench spiega`). Results go to stdout and to
# target/bench-nazionale/risultati-N.txt (the databases under
# ${TMPDIR:-/tmp}/obiettivi-bench). The machine is shared: compare ratios.
#   scripts/bench-nazionale.sh [N...]
# OBIETTIVI_BENCH_DURATA (default 10s) is the time per route and connection count.
# OBIETTIVI_BENCH_MONITORAGGI=1 generates the databases with `bench genera N --monitoraggi`:
# every copied ente has the demo's checkpoints, records and progress, and so its plan
# page shows lights (a bench binary of an earlier build may not know the option).
#   scripts/bench-nazionale.sh --affiancati [N1 N2]   (default 10 7900)
# serves both databases at once, from one build on two ports, and alternates the runs
# between them (OBIETTIVI_BENCH_GIRI rounds, default 4, at 64 connections): p99 at N2
# over p99 at N1 round by round, which the machine's other work moves alike on both, and
# the same of the CPU a request costs; beside the routes above, the demo's own plan page
# (the Comune di Esempio, read by its Nucleo: the one plan of the database with
# checkpoints, submitted records and so lights). With OBIETTIVI_BENCH_PRIMA=<a server
# binary> the N1 side runs that earlier build: `--affiancati 10 10` then compares two
# builds (if the later build adds a migration, OBIETTIVI_BENCH_GENERA_PRIMA=<that build's
# bench binary> generates the N1 side's database, which the later server migrates on its
# copy). With
# OBIETTIVI_BENCH_SQL_PRIMA=<statements> they are run (as postgres) on the N1 side's
# database once its server has started: `--affiancati 7900 7900` then compares one build
# on two states of the schema, and OBIETTIVI_BENCH_SQL_SECONDO the same on the N2 side.
# With N1 = N2 the second side's database is a copy of the first's: the two sides differ
# only in build or schema. With OBIETTIVI_BENCH_RIUSA=1 the databases of the last
# side-by-side run are served again (not generated): the same two databases, their states
# swapped, are the control of such a comparison.
# Each generated database's readers have a random password, kept beside it (password-bench,
# readable by its owner only) for the checks made after a run:
#   OBIETTIVI_DATA_DIR=<dir> OBIETTIVI_BENCH_PASSWORD=$(cat <dir>/password-bench) target/release/bench spiega
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
"$ROOT/scripts/bootstrap.sh"
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"
OHA_VERSION=1.16.0
if ! oha --version 2>/dev/null | grep -q "$OHA_VERSION"; then
  echo "[bench] installing oha $OHA_VERSION (the load generator, once)"
  cargo install -q oha --version "$OHA_VERSION" --locked
fi
cargo leptos build --release --precompress --split
cargo build --release -p server --bin bench
DURATA="${OBIETTIVI_BENCH_DURATA:-10s}"
GENERA_OPZIONI=()
[ "${OBIETTIVI_BENCH_MONITORAGGI:-}" = 1 ] && GENERA_OPZIONI=(--monitoraggi)
PORT="${OBIETTIVI_BENCH_PORT:-3390}"
BASE="http://127.0.0.1:$PORT"
export LEPTOS_OUTPUT_NAME=obiettivi LEPTOS_SITE_ROOT="$ROOT/target/site" LEPTOS_SITE_PKG_DIR=pkg
export LEPTOS_HASH_FILES=true LEPTOS_ENV=PROD LEPTOS_SITE_ADDR="127.0.0.1:$PORT"
# The server's info lines: the end of the reminders' first round is awaited below.
export RUST_LOG=warn,server=info
OBIETTIVI_BENCH_PASSWORD="bench-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export OBIETTIVI_BENCH_PASSWORD

# The readers' password kept beside the database it opens (see above).
tieni_password() { # data dir
  (umask 077 && printf '%s' "$OBIETTIVI_BENCH_PASSWORD" > "$1/password-bench")
}

# Random slugs among the generated enti: misura-0000 … misura-(N-1), as a regex for oha.
slug_regex() {
  local n=$1
  if ((n >= 7200)); then echo 'misura-[0-7][0-8][0-9][0-9]'     # 7,200 of them
  elif ((n >= 1000)); then echo 'misura-0[0-9][0-9][0-9]'
  elif ((n >= 100)); then echo 'misura-00[0-9][0-9]'
  else echo 'misura-000[0-9]'
  fi
}

# The first firm's enti (misura-0000 … misura-0049), those of nucleo@misura.bench.
slug_regex_50() {
  if (($1 >= 50)); then echo 'misura-00[0-4][0-9]'; else slug_regex "$1"; fi
}

login() { # email [base] [password] → cookie header value
  local jar base="${2:-$BASE}"
  jar="$(mktemp)"
  curl -s -c "$jar" -o /dev/null -H "Origin: $base" \
       --data-urlencode "email=$1" --data-urlencode "password=${3:-$OBIETTIVI_BENCH_PASSWORD}" "$base/login"
  awk '$6 ~ /sessione/ {print $6 "=" $7}' "$jar"
  rm -f "$jar"
}

# CPU time (user + system, clock ticks) of the given processes so far.
tick() {
  local t=0 p s
  for p in "$@"; do
    s=$(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null) && t=$((t + s))
  done
  echo "$t"
}
# The cluster's processes: the postmaster and its children (a backend per pooled
# connection, the background workers).
postgres_pids() { # [data dir]
  local pm
  pm=$(head -1 "${1:-$OBIETTIVI_DATA_DIR}/pgdata/postmaster.pid")
  echo "$pm" $(pgrep -P "$pm")
}

# One oha run → "req/s p50 p99 errors", and the CPU time each request cost the server and
# PostgreSQL (milliseconds): which side a change has to lighten, and less at the mercy of
# this shared machine's load than the throughput.
carico() { # concurrency url [oha args...]
  local c=$1 url=$2; shift 2
  local s0 p0
  s0=$(tick "$SERVER"); p0=$(tick $(postgres_pids))
  oha --no-tui -z "$DURATA" -c "$c" --output-format json "$@" "$url" > "$DIR/oha.json"
  DIR="$DIR" S_TICK=$(($(tick "$SERVER") - s0)) P_TICK=$(($(tick $(postgres_pids)) - p0)) HZ=$(getconf CLK_TCK) \
    python3 -c '
import json, os
r = json.load(open(os.environ["DIR"] + "/oha.json"))
s, p = r["summary"], r["latencyPercentiles"]
ok = sum(v for k, v in r["statusCodeDistribution"].items() if k.startswith("2"))
tot = sum(r["statusCodeDistribution"].values())
ms = lambda t: 1000 * int(os.environ[t]) / int(os.environ["HZ"]) / max(tot, 1)
print("%9.0f req/s  p50 %7.1f ms  p99 %7.1f ms  %d non-2xx of %d  CPU: server %.2f, PostgreSQL %.2f ms"
      % (s["requestsPerSec"], p["p50"] * 1000, p["p99"] * 1000, tot - ok, tot, ms("S_TICK"), ms("P_TICK")))'
}

# PostgreSQL's binaries, found as the server finds them (pgcluster.rs; a PATH entry may be
# a link into Debian's folder, which holds psql).
PG_BIN="${OBIETTIVI_PG_BIN:-$(dirname "$(readlink -f "$(command -v initdb || ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -1)")")}"

# psql as the superuser on the embedded database in a data dir.
psql_di() { # data dir, psql args...
  local d=$1; shift
  "$PG_BIN/psql" -h "$d/run" -p 5432 -U postgres -d obiettivi "$@"
}

# Huge pages for PostgreSQL's shared buffers, as a server holding every comune would be
# set up (PostgreSQL's "huge_pages = try", its default, takes them when the kernel has them
# reserved): with the buffers sized to a database of 7,900 enti (some 3 GB), each buffer
# read in 4 KiB pages costs the processor's address translation more than in 2 MiB ones.
# Measured on 07/12/2026, «I miei obiettivi» of a random ente at 7,900: PostgreSQL 0.66 ms
# a request with 4 KiB pages, 0.57 with huge ones (0.52 and 0.51 at N = 10). Reserved only
# when the bench may (as root), for the clusters in the given data directories, which must
# be stopped; the reservation is given back at the end of the run (`rendi_pagine_enormi`).
ENORMI_PRIMA=""
riserva_pagine_enormi() { # data dirs...
  if [ ! -w /proc/sys/vm/nr_hugepages ]; then
    echo "pagine enormi: non riservate (serve root per vm.nr_hugepages): buffer in pagine da 4 KiB"
    return
  fi
  # Writable only as root, who runs PostgreSQL as `postgres` (as the server does).
  local serve=0 d n
  for d in "$@"; do
    n=$(su postgres -s /bin/sh -c "'$PG_BIN/postgres' -D '$d/pgdata' -C shared_memory_size_in_huge_pages")
    serve=$((serve + n))
  done
  [ -n "$ENORMI_PRIMA" ] || ENORMI_PRIMA=$(cat /proc/sys/vm/nr_hugepages)
  if ! echo $((ENORMI_PRIMA + serve)) 2>/dev/null > /proc/sys/vm/nr_hugepages; then
    echo "pagine enormi: non riservate (vm.nr_hugepages rifiutato): buffer in pagine da 4 KiB"
    ENORMI_PRIMA=""
    return
  fi
  echo "pagine enormi riservate: $(($(cat /proc/sys/vm/nr_hugepages) - ENORMI_PRIMA)) da 2 MiB (ne servono $serve)"
}
rendi_pagine_enormi() {
  if [ -n "$ENORMI_PRIMA" ]; then echo "$ENORMI_PRIMA" > /proc/sys/vm/nr_hugepages || true; fi
}
# Those of the clusters running, machine-wide: once they have started, to see that they
# took them.
pagine_enormi_in_uso() {
  awk '/^HugePages_(Total|Free|Rsvd):/ {v[$1] = $2}
       END {print "pagine enormi in uso: " v["HugePages_Total:"] - v["HugePages_Free:"] + v["HugePages_Rsvd:"]}' /proc/meminfo
}

# The database read into shared buffers (sized for it by `bench genera`), as on a server
# that has run for a while: otherwise the first runs read it from disk and the kernel.
prewarm() { # data dir
  psql_di "$1" -Atq -c "create extension if not exists pg_prewarm" \
    -c "select 'pagine nella memoria condivisa: ' || sum(pg_prewarm(c.oid::regclass))
          from pg_class c where c.relkind in ('r', 'i', 't') and c.relpersistence = 'p'
           and c.relnamespace not in ('pg_catalog'::regnamespace, 'information_schema'::regnamespace)"
}

# Bootstrap Italia's CSS: the static file of the runs.
CSS=/vendor/bootstrap-italia/css/bootstrap-italia.min.css

# The header's server function as the browser asks it on moving to another page of
# misura-0000 (a POST from the site's own page): oha's arguments after the URL.
MENU=(-m POST -d 'slug=misura-0000' -H 'Content-Type: application/x-www-form-urlencoded'
      -H 'Sec-Fetch-Site: same-origin' -H 'Accept-Encoding: br')

# Waits until the server `pid` answers at `base` (its log in `dir`, shown if it stopped:
# a port already taken, say), then for the end of the reminders' round it runs at start
# over every ente, so that the figures are the steady state's. Prints both times.
avviato() { # pid base dir
  local t0
  t0=$(date +%s.%N)
  until curl -sf "$2/health" >/dev/null; do
    kill -0 "$1" 2>/dev/null || { cat "$3/server.log"; exit 1; }
    sleep 0.2
  done
  echo "avvio del server: $(python3 -c "print(round($(date +%s.%N) - $t0, 1))") s"
  for _ in $(seq 600); do grep -q "giro finito" "$3/server.log" && break; sleep 0.5; done
  echo "primo giro dei promemoria: $(sed 's/\x1b\[[0-9;]*m//g' "$3/server.log" | grep -o 'durata_ms=[0-9]*' | head -1)"
}

# As on a server that has run for a while: every ente's plan page and final PDF seen once,
# as a browser asks them (brotli), which keeps its approved plan, document (with its
# brotli bytes, server/src/innesto.rs) and PDF in memory (sized for every comune:
# ssr/approvati.rs, ssr/documenti.rs), as the shared buffers keep the database.
vedi_ogni_piano() { # N base cookie cookie-of-the-dipendente-of-every-ente
  local t0
  t0=$(date +%s.%N)
  seq -f 'misura-%04g' 0 $(($1 - 1)) |
    xargs -P 4 -I{} curl -s -o /dev/null -o /dev/null -H "Cookie: $3" -H 'Accept-Encoding: br' \
      "$2/e/{}/piani/2022" "$2/e/{}/piani/2022/allegato.pdf"
  # «I miei obiettivi» of every ente too, as its dipendente has seen it: the rounds then
  # compare the page as kept on both sides. Its render at every request is route `resa`.
  seq -f 'misura-%04g' 0 $(($1 - 1)) |
    xargs -P 4 -I{} curl -s -o /dev/null -H "Cookie: $4" -H 'Accept-Encoding: br' \
      "$2/e/{}/miei-obiettivi"
  echo "ogni piano, PDF e «I miei obiettivi» visto una volta: $(python3 -c "print(round($(date +%s.%N) - $t0, 1))") s"
}

# A draft of the reference's size (5 strutture, 30 objectives), the 2023 plan of the
# demo's Comune di Esempio, made as its segretario makes one: the page with the editors,
# kept per writer like the documents' (the demo's own draft, Comune di Prova's, is a small
# one). Made once per database: on a database served again it is there already, and the
# call is refused.
bozza() { # base cookie
  curl -s -o /dev/null -H "Cookie: $2" -H "Origin: $1" \
       -d 'slug=comune-di-esempio&anno=2023&modello=riferimento' "$1/api/piani/crea"
  curl -sf -o /dev/null -H "Cookie: $2" "$1/e/comune-di-esempio/piani/2023" || { echo "bozza non creata"; exit 1; }
}

# The server's resident memory, with what it keeps of every ente.
memoria() { # pid
  echo "memoria del server (RSS): $(($(ps -o rss= -p "$1") / 1024)) MiB"
}

# One oha run at 64 connections on side `l` of the side-by-side runs → "p99 req/s CPU
# server+PostgreSQL": its p99 in ms, and the CPU time a request cost that side's server and
# PostgreSQL together, then each, ms (the requests that were not 2xx, if any, on stderr).
misura() { # side url [oha args...]
  local l=$1 url=$2; shift 2
  local s0 p0
  s0=$(tick "${SERVERS[$l]}"); p0=$(tick $(postgres_pids "$AFF/$l"))
  oha --no-tui -z "$DURATA" -c 64 --output-format json "$@" "$url" > "$AFF/oha.json"
  F="$AFF/oha.json" S_TICK=$(($(tick "${SERVERS[$l]}") - s0)) P_TICK=$(($(tick $(postgres_pids "$AFF/$l")) - p0)) \
    HZ=$(getconf CLK_TCK) python3 -c '
import json, os, sys
r = json.load(open(os.environ["F"]))
tot = sum(r["statusCodeDistribution"].values())
bad = sum(v for k, v in r["statusCodeDistribution"].items() if not k.startswith("2"))
if bad: print("%d non-2xx" % bad, file=sys.stderr)
ms = lambda t: 1000 * int(os.environ[t]) / int(os.environ["HZ"]) / max(tot, 1)
print("%.1f %.0f %.3f %.2f+%.2f" % (r["latencyPercentiles"]["p99"] * 1000, r["summary"]["requestsPerSec"],
      ms("S_TICK") + ms("P_TICK"), ms("S_TICK"), ms("P_TICK")))'
}

if [ "${1:-}" = "--affiancati" ]; then
  N_DI=("${2:-10}" "${3:-7900}")
  # The first side may run another build's server (OBIETTIVI_BENCH_PRIMA: its binary, the
  # site being this build's): two builds compared on the same N.
  BIN_DI=("${OBIETTIVI_BENCH_PRIMA:-$ROOT/target/release/server}" "$ROOT/target/release/server")
  GENERA_DI=("${OBIETTIVI_BENCH_GENERA_PRIMA:-$ROOT/target/release/bench}" "$ROOT/target/release/bench")
  AFF="${TMPDIR:-/tmp}/obiettivi-bench/affiancati"
  OUT="$ROOT/target/bench-nazionale/affiancati-${N_DI[0]}-${N_DI[1]}.txt"
  if [ "${OBIETTIVI_BENCH_RIUSA:-}" = 1 ]; then
    OBIETTIVI_BENCH_PASSWORD="$(cat "$AFF/0/password-bench")"
    rm -rf "$AFF/prima"
  else
    rm -rf "$AFF"
  fi
  mkdir -p "$AFF" "$(dirname "$OUT")"
  if [ -n "${OBIETTIVI_BENCH_PRIMA:-}" ]; then
    # Leptos reads the built files' hashes from beside its executable: this build's.
    mkdir -p "$AFF/prima"
    cp "$OBIETTIVI_BENCH_PRIMA" "$AFF/prima/server"
    cp "$ROOT/target/release/hash.txt" "$AFF/prima/"
    BIN_DI[0]="$AFF/prima/server"
  fi
  {
    # In this block: it runs in a subshell of its own (the pipe to tee), where the servers
    # are started.
    SERVERS=()
    trap 'kill "${SERVERS[@]}" 2>/dev/null || true; wait; rendi_pagine_enormi' EXIT
    echo "== N = ${N_DI[0]} e N = ${N_DI[1]} affiancati — $(date -u '+%d/%m/%Y %H:%M') UTC — $(nproc) core, $(uname -m)"
    [ -n "${OBIETTIVI_BENCH_PRIMA:-}" ] && echo "   il primo con il server $OBIETTIVI_BENCH_PRIMA, il secondo con questa build"
    [ "${OBIETTIVI_BENCH_RIUSA:-}" = 1 ] && echo "   i database dell'ultimo confronto affiancato, di nuovo"
    [ "${OBIETTIVI_BENCH_MONITORAGGI:-}" = 1 ] && echo "   ogni ente con i monitoraggi della demo (bench genera N --monitoraggi)"
    [ -n "${OBIETTIVI_BENCH_SQL_PRIMA:-}" ] && echo "   sul database del primo, prima delle misure: $OBIETTIVI_BENCH_SQL_PRIMA"
    [ -n "${OBIETTIVI_BENCH_SQL_SECONDO:-}" ] && echo "   sul database del secondo, prima delle misure: $OBIETTIVI_BENCH_SQL_SECONDO"
    BASE_DI=(); LETTORE_DI=(); UNO_DI=(); DIPENDENTE_DI=(); NUCLEO_DI=(); ESEMPIO_DI=(); SEGRETARIO_DI=(); RE_DI=(); RE50_DI=()
    SQL_DI=("${OBIETTIVI_BENCH_SQL_PRIMA:-}" "${OBIETTIVI_BENCH_SQL_SECONDO:-}")
    for l in 0 1; do
      D="$AFF/$l"
      if [ "${OBIETTIVI_BENCH_RIUSA:-}" != 1 ]; then
        if ((l == 1)) && [ "${N_DI[0]}" = "${N_DI[1]}" ]; then
          # The same N on both sides: the second serves a copy of the first's database
          # (its cluster stopped by then), so that only the builds or the schema differ.
          # Two generated ones differ in their random people and plans by more than the
          # few percent such a comparison looks for.
          cp -a "$AFF/0" "$D"
          rm -f "$D/server.log"
        else
          OBIETTIVI_DATA_DIR="$D" "${GENERA_DI[$l]}" genera "${N_DI[$l]}" "${GENERA_OPZIONI[@]}"
          tieni_password "$D"
        fi
      fi
    done
    riserva_pagine_enormi "$AFF/0" "$AFF/1"
    for l in 0 1; do
      D="$AFF/$l"
      OBIETTIVI_DATA_DIR="$D" LEPTOS_SITE_ADDR="127.0.0.1:$((PORT + l))" "${BIN_DI[$l]}" serve > "$D/server.log" 2>&1 &
      SERVERS+=($!)
      BASE_DI[$l]="http://127.0.0.1:$((PORT + l))"
      RE_DI[$l]="$(slug_regex "${N_DI[$l]}")"
      RE50_DI[$l]="$(slug_regex_50 "${N_DI[$l]}")"
    done
    for l in 0 1; do
      D="$AFF/$l"
      echo "-- N = ${N_DI[$l]}"
      avviato "${SERVERS[$l]}" "${BASE_DI[$l]}" "$D"
      [ -n "${SQL_DI[$l]}" ] && psql_di "$D" -v ON_ERROR_STOP=1 -q -c "${SQL_DI[$l]}"
      prewarm "$D"
      LETTORE_DI[$l]="$(login lettore@misura.bench "${BASE_DI[$l]}")"
      UNO_DI[$l]="$(login uno@misura.bench "${BASE_DI[$l]}")"
      DIPENDENTE_DI[$l]="$(login dipendente@misura.bench "${BASE_DI[$l]}")"
      NUCLEO_DI[$l]="$(login nucleo@misura.bench "${BASE_DI[$l]}")"
      # The demo's Nucleo, with the demo's password (server/src/demo.rs): the bench's
      # databases are the demo's, copied.
      ESEMPIO_DI[$l]="$(login nucleo@esempio.demo "${BASE_DI[$l]}" demo-obiettivi)"
      SEGRETARIO_DI[$l]="$(login segretario@esempio.demo "${BASE_DI[$l]}" demo-obiettivi)"
      [ -n "${LETTORE_DI[$l]}" ] && [ -n "${UNO_DI[$l]}" ] && [ -n "${DIPENDENTE_DI[$l]}" ] && [ -n "${NUCLEO_DI[$l]}" ] && [ -n "${ESEMPIO_DI[$l]}" ] && [ -n "${SEGRETARIO_DI[$l]}" ] || { echo "login fallito"; exit 1; }
      bozza "${BASE_DI[$l]}" "${SEGRETARIO_DI[$l]}"
      vedi_ogni_piano "${N_DI[$l]}" "${BASE_DI[$l]}" "${LETTORE_DI[$l]}" "${DIPENDENTE_DI[$l]}"
      memoria "${SERVERS[$l]}"
    done
    pagine_enormi_in_uso
    # Each route on one side then on the other, the first one taking turns: the second
    # side's p99 and CPU per request over the first's, in the same minute.
    declare -A RAPPORTI CPU
    ROTTE=(file pagina nucleo esempio bozza menu miei caso resa pdf)
    for giro in $(seq "${OBIETTIVI_BENCH_GIRI:-4}"); do
      for rotta in "${ROTTE[@]}"; do
        V=()
        ordine=(0 1); ((giro % 2 == 0)) && ordine=(1 0)
        for l in "${ordine[@]}"; do
          B="${BASE_DI[$l]}"
          case $rotta in
            file) V[$l]=$(misura "$l" "$B$CSS" -H 'Accept-Encoding: br') ;;
            pagina) V[$l]=$(misura "$l" "$B/e/${RE_DI[$l]}/piani/2022" --rand-regex-url -H "Cookie: ${LETTORE_DI[$l]}" -H 'Accept-Encoding: br') ;;
            nucleo) V[$l]=$(misura "$l" "$B/e/${RE50_DI[$l]}/piani/2022" --rand-regex-url -H "Cookie: ${NUCLEO_DI[$l]}" -H 'Accept-Encoding: br') ;;
            esempio) V[$l]=$(misura "$l" "$B/e/comune-di-esempio/piani/2022" -H "Cookie: ${ESEMPIO_DI[$l]}" -H 'Accept-Encoding: br') ;;
            bozza) V[$l]=$(misura "$l" "$B/e/comune-di-esempio/piani/2023" -H "Cookie: ${SEGRETARIO_DI[$l]}" -H 'Accept-Encoding: br') ;;
            menu) V[$l]=$(misura "$l" "$B/api/navigazione" "${MENU[@]}" -H "Cookie: ${LETTORE_DI[$l]}") ;;
            miei) V[$l]=$(misura "$l" "$B/e/misura-0000/miei-obiettivi" -H "Cookie: ${UNO_DI[$l]}" -H 'Accept-Encoding: br') ;;
            caso) V[$l]=$(misura "$l" "$B/e/${RE_DI[$l]}/miei-obiettivi" --rand-regex-url -H "Cookie: ${DIPENDENTE_DI[$l]}" -H 'Accept-Encoding: br') ;;
            # The same page with its year asked: never kept, rendered at every request.
            resa) V[$l]=$(misura "$l" "$B/e/${RE_DI[$l]}/miei-obiettivi\\?anno=2022" --rand-regex-url -H "Cookie: ${DIPENDENTE_DI[$l]}" -H 'Accept-Encoding: br') ;;
            pdf) V[$l]=$(misura "$l" "$B/e/${RE_DI[$l]}/piani/2022/allegato.pdf" --rand-regex-url -H "Cookie: ${LETTORE_DI[$l]}") ;;
          esac
        done
        read -r p0 q0 c0 d0 <<< "${V[0]}"; read -r p1 q1 c1 d1 <<< "${V[1]}"
        r=$(python3 -c "print('%.2f' % ($p1 / $p0))")
        rc=$(python3 -c "print('%.2f' % ($c1 / $c0))")
        RAPPORTI[$rotta]="${RAPPORTI[$rotta]:-} $r"
        CPU[$rotta]="${CPU[$rotta]:-} $rc"
        printf 'giro %d  %-7s p99 %7s / %7s ms, %6s / %6s req/s, CPU %s / %s ms: p99 %s ×, CPU %s ×\n' \
          "$giro" "$rotta" "$p0" "$p1" "$q0" "$q1" "$d0" "$d1" "$r" "$rc"
      done
    done
    echo "-- il secondo (N = ${N_DI[1]}) sul primo (N = ${N_DI[0]}), mediana dei giri: p99, e CPU del server e di"
    echo "   PostgreSQL per richiesta (file statico, pagina del piano di un ente a caso letta da chi"
    echo "   è iscritto a ogni ente, pagina del piano di uno dei 50 enti del Nucleo di 50, pagina"
    echo "   del piano del Comune di Esempio, con i suoi monitoraggi, letta dal suo Nucleo, pagina"
    echo "   della bozza 2023 del Comune di Esempio, di misura del riferimento, con i suoi editor,"
    echo "   aperta dal suo segretario,"
    echo "   intestazione chiesta dal browser in misura-0000 da chi è iscritto a ogni ente, «I miei"
    echo "   obiettivi» di misura-0000 con un'iscrizione, «I miei obiettivi» di un ente a caso letti"
    echo "   da chi è dipendente in ogni ente, la stessa pagina con l'anno chiesto (?anno=2022: non"
    echo "   tenuta, resa a ogni richiesta), PDF del piano approvato di un ente a caso)"
    mediana() { python3 -c "import statistics, sys; print('%.2f' % statistics.median(map(float, sys.argv[1:])))" "$@"; }
    for rotta in "${ROTTE[@]}"; do
      printf '%-7s p99 %s ×   (%s);   CPU %s ×   (%s)\n' "$rotta" \
        "$(mediana ${RAPPORTI[$rotta]})" "${RAPPORTI[$rotta]# }" "$(mediana ${CPU[$rotta]})" "${CPU[$rotta]# }"
    done
  } 2>&1 | tee "$OUT"
  exit 0
fi

for N in ${@:-10 7900}; do
  # Under /tmp: as root, Postgres runs as `postgres`, who may not traverse the checkout.
  DIR="${TMPDIR:-/tmp}/obiettivi-bench/$N"
  OUT="$ROOT/target/bench-nazionale/risultati-$N.txt"
  rm -rf "$DIR"; mkdir -p "$DIR" "$(dirname "$OUT")"
  export OBIETTIVI_DATA_DIR="$DIR"
  {
    echo "== N = $N enti — $(date -u +%d/%m/%Y) — $(nproc) core, $(uname -m)"
    [ "${OBIETTIVI_BENCH_MONITORAGGI:-}" = 1 ] && echo "   ogni ente con i monitoraggi della demo (bench genera N --monitoraggi)"
    /usr/bin/time -f "generazione: %e s, %M KiB max RSS" "$ROOT/target/release/bench" genera "$N" "${GENERA_OPZIONI[@]}"
    tieni_password "$DIR"
    riserva_pagine_enormi "$DIR"
    "$ROOT/target/release/server" serve > "$DIR/server.log" 2>&1 &
    SERVER=$!
    trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null; rendi_pagine_enormi' EXIT
    avviato "$SERVER" "$BASE" "$DIR"
    pagine_enormi_in_uso
    prewarm "$DIR"
    LETTORE="$(login lettore@misura.bench)"
    DIPENDENTE="$(login dipendente@misura.bench)"
    UNO="$(login uno@misura.bench)"
    NUCLEO="$(login nucleo@misura.bench)"
    SEGRETARIO="$(login segretario@esempio.demo "$BASE" demo-obiettivi)"
    [ -n "$LETTORE" ] && [ -n "$DIPENDENTE" ] && [ -n "$UNO" ] && [ -n "$NUCLEO" ] && [ -n "$SEGRETARIO" ] || { echo "login fallito"; exit 1; }
    bozza "$BASE" "$SEGRETARIO"
    RE="$(slug_regex "$N")"
    # First visits: random enti whose approved plan the server has not read yet (at 7,900,
    # nearly every request of the run; at 10, only the first ten).
    printf '%-44s %s\n' "pagina del piano, prime visite, 64 conn." \
      "$(carico 64 "$BASE/e/$RE/piani/2022" --rand-regex-url -H "Cookie: $LETTORE" -H 'Accept-Encoding: br')"
    printf '%-44s %s\n' "«I miei obiettivi», prime visite, 64 conn." \
      "$(carico 64 "$BASE/e/$RE/miei-obiettivi" --rand-regex-url -H "Cookie: $DIPENDENTE" -H 'Accept-Encoding: br')"
    # Then as on a server that has run for a while.
    vedi_ogni_piano "$N" "$BASE" "$LETTORE" "$DIPENDENTE"
    memoria "$SERVER"
    for c in 1 64; do
      echo "-- $c connessioni, $DURATA per rotta"
      printf '%-44s %s\n' "file statico (CSS di Bootstrap Italia, br)" "$(carico $c "$BASE$CSS" -H 'Accept-Encoding: br')"
      printf '%-44s %s\n' "/health" "$(carico $c "$BASE/health")"
      printf '%-44s %s\n' "pagina del piano, ente a caso" \
        "$(carico $c "$BASE/e/$RE/piani/2022" --rand-regex-url -H "Cookie: $LETTORE" -H 'Accept-Encoding: br')"
      # The same page read by a Nucleo member of 50 enti, one of them at random.
      printf '%-44s %s\n' "pagina del piano, Nucleo di 50 enti" \
        "$(carico $c "$BASE/e/$(slug_regex_50 "$N")/piani/2022" --rand-regex-url -H "Cookie: $NUCLEO" -H 'Accept-Encoding: br')"
      printf '%-44s %s\n' "bozza di misura del riferimento, con editor" \
        "$(carico $c "$BASE/e/comune-di-esempio/piani/2023" -H "Cookie: $SEGRETARIO" -H 'Accept-Encoding: br')"
      # The header the browser asks on moving to another page, by the same two readers.
      printf '%-44s %s\n' "intestazione (navigazione), tutti gli enti" \
        "$(carico $c "$BASE/api/navigazione" "${MENU[@]}" -H "Cookie: $LETTORE")"
      printf '%-44s %s\n' "intestazione (navigazione), Nucleo di 50" \
        "$(carico $c "$BASE/api/navigazione" "${MENU[@]}" -H "Cookie: $NUCLEO")"
      printf '%-44s %s\n' "«I miei obiettivi», ente a caso" \
        "$(carico $c "$BASE/e/$RE/miei-obiettivi" --rand-regex-url -H "Cookie: $DIPENDENTE" -H 'Accept-Encoding: br')"
      printf '%-44s %s\n' "«I miei obiettivi», ente a caso, ?anno=2022" \
        "$(carico $c "$BASE/e/$RE/miei-obiettivi\\?anno=2022" --rand-regex-url -H "Cookie: $DIPENDENTE" -H 'Accept-Encoding: br')"
      # One ente's page, by its dipendente with one membership and by the bench's one with
      # a membership in every ente: the difference is what the memberships cost.
      printf '%-44s %s\n' "«I miei obiettivi», misura-0000, 1 ente" \
        "$(carico $c "$BASE/e/misura-0000/miei-obiettivi" -H "Cookie: $UNO" -H 'Accept-Encoding: br')"
      printf '%-44s %s\n' "«I miei obiettivi», misura-0000, tutti" \
        "$(carico $c "$BASE/e/misura-0000/miei-obiettivi" -H "Cookie: $DIPENDENTE" -H 'Accept-Encoding: br')"
      printf '%-44s %s\n' "PDF del piano approvato, ente a caso" \
        "$(carico $c "$BASE/e/$RE/piani/2022/allegato.pdf" --rand-regex-url -H "Cookie: $LETTORE")"
    done
    kill $SERVER; wait $SERVER 2>/dev/null || true
    rendi_pagine_enormi
    trap - EXIT
    "$ROOT/target/release/bench" spiega
  } 2>&1 | tee "$OUT"
done
