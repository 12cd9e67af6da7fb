#!/usr/bin/env bash
# The README's Citus plan ("Scaling out"), tried on a real cluster: a coordinator (port
# 9700) and two workers (9701, 9702) on this machine, the schema migrated by the release
# server as the owner, then every ente table distributed by `ente_id` (co-located with
# `piani`), every other table made a reference table, and the foreign keys put back; each
# step's refusal printed, so that one run lists every obstacle. Then the demo data and the
# server's start on it. Not part of the test command: it needs Citus 13 built for the
# PostgreSQL in PG_BIN (`shared_preload_libraries = 'citus'`), which no package of this
# machine's registries provides, and a release build (`cargo leptos build --release`).
#   scripts/citus-prova.sh            (the clusters under ${TMPDIR:-/tmp}/obiettivi-citus)
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)}
R="${TMPDIR:-/tmp}/obiettivi-citus"
Q() { local p=$1; shift; "$PG_BIN/psql" -X -h 127.0.0.1 -p "$p" -U postgres -v ON_ERROR_STOP=1 -Atq "$@"; }
C() { Q 9700 -d obiettivi "$@"; }
# As root, PostgreSQL runs as `postgres`.
come_postgres() { if [ "$(id -u)" = 0 ]; then su postgres -c "$*"; else sh -c "$*"; fi; }

for n in 0 1 2; do
  [ -f "$R/n$n/postmaster.pid" ] && come_postgres "$PG_BIN/pg_ctl -D $R/n$n -m fast -w stop" >/dev/null
done
rm -rf "$R"; mkdir -p "$R/app"
[ "$(id -u)" = 0 ] && chown postgres "$R"
for n in 0 1 2; do
  come_postgres "$PG_BIN/initdb -D $R/n$n -A trust -U postgres -E UTF8 --locale=C.UTF-8" >/dev/null 2>&1
  cat >> "$R/n$n/postgresql.conf" <<C
port = $((9700 + n))
listen_addresses = '127.0.0.1'
unix_socket_directories = '$R'
shared_preload_libraries = 'citus'
citus.propagate_set_commands = 'local'
citus.enable_unsafe_triggers = on
max_connections = 200
C
  come_postgres "$PG_BIN/pg_ctl -D $R/n$n -l $R/n$n.log -w start" >/dev/null || { cat "$R/n$n.log"; exit 1; }
  Q $((9700 + n)) -d postgres -c "create database obiettivi"
  Q $((9700 + n)) -d obiettivi -c "create extension citus" || exit 1
done
C -c "select citus_set_coordinator_host('127.0.0.1', 9700)" \
  -c "select citus_add_node('127.0.0.1', 9701)" -c "select citus_add_node('127.0.0.1', 9702)" >/dev/null
echo "Citus $(C -c "select extversion from pg_extension where extname = 'citus'"), nodi: $(C -c "select string_agg(nodeport::text, ', ') from pg_dist_node")"

export DATABASE_URL=postgres://postgres@127.0.0.1:9700/obiettivi OBIETTIVI_DATA_DIR="$R/app"
"$ROOT/target/release/server" migrate >/dev/null || exit 1
echo "migrazioni: $(C -c "select count(*) from _sqlx_migrations") applicate sul coordinatore"
echo "ruoli sul primo worker: $(Q 9701 -d obiettivi -c "select string_agg(rolname || case when rolinherit then '' else ' (noinherit)' end, ', ') from pg_roles where rolname like 'obiettivi%'")"

# Foreign keys first kept aside: Citus distributes a table only if the tables it references
# already are.
C -c "create table fk_salvate as
        select conrelid::regclass::text as tab, conname, pg_get_constraintdef(oid) as def
          from pg_constraint where contype = 'f' and connamespace = 'public'::regnamespace"
C -c "select format('alter table %s drop constraint %I', tab, conname) from fk_salvate" |
  while read -r s; do C -c "$s"; done
rifiuto() { grep -E 'ERROR|DETAIL' | sed 's/^psql:[^:]*: //' | tr '\n' ' '; }
for t in $(C -c "select c.relname from pg_class c where c.relkind = 'r' and c.relnamespace = 'public'::regnamespace
    and c.relname not like '\_sqlx%' and c.relname <> 'fk_salvate'
    and not exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'ente_id') order by 1"); do
  out=$(C -c "select create_reference_table('$t')" 2>&1) && echo "di riferimento: $t" || echo "NON di riferimento: $t: $(rifiuto <<< "$out")"
done
for t in $(C -c "select c.relname from pg_class c where c.relkind = 'r' and c.relnamespace = 'public'::regnamespace
    and exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'ente_id')
    order by c.relname <> 'piani', 1"); do
  con=""; [ "$t" != piani ] && con=", colocate_with => 'piani'"
  out=$(C -c "select create_distributed_table('$t', 'ente_id'$con)" 2>&1) && echo "distribuita: $t" || echo "NON distribuita: $t: $(rifiuto <<< "$out")"
done
C -F '|' -c "select tab, conname, def from fk_salvate" | while IFS='|' read -r t c d; do
  out=$(C -c "alter table $t add constraint $c $d" 2>&1) || echo "chiave esterna NON rimessa: $t.$c: $(rifiuto <<< "$out")"
done
# Counted on the tables alone: the coordinator also holds the reference tables' shards.
echo "chiavi esterne rimesse: $(C -c "select count(*) from pg_constraint where contype = 'f'
    and conrelid in (select logicalrelid from pg_dist_partition)") di $(C -c "select count(*) from fk_salvate")"
echo "tabelle: $(C -c "select count(*) filter (where partmethod = 'h') || ' distribuite, ' || count(*) filter (where partmethod = 'n') || ' di riferimento' from pg_dist_partition")"

echo "-- dati dimostrativi"
"$ROOT/target/release/server" demo 2>&1 | sed 's/\x1b\[[0-9;]*m//g' | tail -3
echo "-- avvio del server"
export LEPTOS_OUTPUT_NAME=obiettivi LEPTOS_SITE_ROOT="$ROOT/target/site" LEPTOS_SITE_PKG_DIR=pkg
export LEPTOS_HASH_FILES=true LEPTOS_ENV=PROD LEPTOS_SITE_ADDR=127.0.0.1:3500
"$ROOT/target/release/server" serve > "$R/server.log" 2>&1 &
S=$!
for _ in $(seq 60); do curl -sf http://127.0.0.1:3500/health >/dev/null && break; kill -0 $S 2>/dev/null || break; sleep 0.5; done
if curl -sf http://127.0.0.1:3500/health; then echo; kill $S; else sed 's/\x1b\[[0-9;]*m//g' "$R/server.log" | tail -3; fi
