#!/usr/bin/env python3
"""The speed goals of the README against what `scripts/bench.sh` measured: one line per
goal, with the figures and whether it is met. Reads the files the script leaves in the
folder it is given (target/bench-nazionale)."""
import os
import re
import statistics
import sys

cartella = sys.argv[1]


def leggi(nome):
    path = os.path.join(cartella, nome)
    return open(path, encoding="utf-8").read() if os.path.exists(path) else ""


def intervallo(valori, fmt="{:,.0f}"):
    if not valori:
        return "non misurato"
    lo, hi = min(valori), max(valori)
    return fmt.format(lo) if lo == hi else f"{fmt.format(lo)}–{fmt.format(hi)}"


# 1. The side-by-side rounds: per route, per side, the req/s and the p99 of every round.
giri = {}
mediane = {}
testo = leggi("affiancati-10-7900.txt")
for m in re.finditer(
    r"^giro \d+\s+(\S+)\s+p99\s+([\d.]+) /\s+([\d.]+) ms,\s+(\d+) /\s+(\d+) req/s",
    testo,
    re.M,
):
    rotta, p0, p1, q0, q1 = m.group(1), *map(float, m.groups()[1:])
    giri.setdefault(rotta, {0: [], 1: []})
    giri[rotta][0].append((q0, p0))
    giri[rotta][1].append((q1, p1))
for m in re.finditer(r"^(\S+)\s+p99 ([\d.]+) ×", testo, re.M):
    mediane[m.group(1)] = float(m.group(2))


def rotta(nome, lato):
    return giri.get(nome, {}).get(lato, [])


def rps(nome, lato):
    return [q for q, _ in rotta(nome, lato)]


def p99(nome, lato):
    return [p for _, p in rotta(nome, lato)]


righe = []


def obiettivo(nome, misura, esito):
    righe.append((nome, misura, esito))


def si(cond):
    return "raggiunto" if cond else "NON raggiunto"


# First visits (prima-visita.mjs): bytes and times per page.
visite = {}
for blocco in re.split(r"\n(?=/)", leggi("prima-visita.txt")):
    m = re.match(r"(/\S+) \((\S+)\)", blocco.strip())
    t = re.search(r"totale\s+([\d.]+) KiB", blocco)
    i = re.search(r"idratata dopo (\d+) ms; rete ferma dopo (\d+) ms", blocco)
    if m and t and i:
        visite[m.group(1)] = (float(t.group(1)), int(i.group(1)), int(i.group(2)))


def visita(path, kib_max, s_max, nome):
    v = visite.get(path)
    if not v:
        obiettivo(nome, "non misurato", "—")
        return
    kib, idratata, ferma = v
    fine = max(idratata, ferma) / 1000
    obiettivo(
        nome,
        f"{kib:,.1f} KiB, idratata {idratata / 1000:.2f} s, rete ferma {ferma / 1000:.2f} s",
        si(kib <= kib_max and fine <= s_max),
    )


visita("/e/comune-di-esempio/miei-obiettivi", 400, 1.2,
       "prima visita di «I miei obiettivi» ≤ 400 KiB, ≤ 1.2 s")
visita("/e/comune-di-esempio/piani/2023", 900, 2.0,
       "prima visita dell'editor (bozza di misura del riferimento) ≤ 900 KiB, ≤ 2 s")
visita("/e/comune-di-esempio/piani/2022", 900, 2.0,
       "prima visita del piano approvato ≤ 900 KiB, ≤ 2 s")

# The main wasm bundle with brotli: the largest .wasm.br that is not a part (the parts are
# named after their split point, the bundle after the crate).
wasm = [
    (int(c[4]), c[-1])
    for c in (r.split() for r in leggi("wasm.txt").splitlines())
    if len(c) >= 9
]
principale = [b for b, n in wasm if re.search(r"/obiettivi[.\w-]*\.wasm\.br$", n)]
if principale:
    b = max(principale)
    obiettivo("wasm iniziale ≤ 250 KB con brotli", f"{b:,} B", si(b <= 250_000))
else:
    obiettivo("wasm iniziale ≤ 250 KB con brotli", "non misurato", "—")

# Throughput at 64 connections, N = 10 and N = 7,900 (the two sides).
for nome, etichetta, minimo in [
    ("bozza", "pagina del piano in bozza (editor, misura del riferimento)", 1000),
    ("pagina", "pagina del piano approvato (sola lettura), ente a caso", 2000),
    ("nucleo", "pagina del piano approvato, Nucleo di 50 enti", 2000),
    ("esempio", "pagina del piano con i monitoraggi (Comune di Esempio)", 2000),
]:
    q = rps(nome, 0) + rps(nome, 1)
    p = p99(nome, 0) + p99(nome, 1)
    if not q:
        obiettivo(f"{etichetta} ≥ {minimo:,} req/s a 64 conn., p99 < 100 ms", "non misurato", "—")
        continue
    obiettivo(
        f"{etichetta} ≥ {minimo:,} req/s a 64 conn., p99 < 100 ms",
        f"N = 10: {intervallo(rps(nome, 0))} req/s, p99 {intervallo(p99(nome, 0), '{:.0f}')} ms; "
        f"N = 7900: {intervallo(rps(nome, 1))} req/s, p99 {intervallo(p99(nome, 1), '{:.0f}')} ms",
        si(min(q) >= minimo and max(p) < 100)
        + ("" if min(q) >= minimo else f" (in {sum(x >= minimo for x in q)} giri su {len(q)})"),
    )

# The stored PDF against the static file, in the same rounds.
pdf, file = rps("pdf", 0) + rps("pdf", 1), rps("file", 0) + rps("file", 1)
if pdf and file:
    rapporto = statistics.median(pdf) / statistics.median(file)
    obiettivo(
        "PDF finale conservato alla velocità di un file statico",
        f"{intervallo(pdf)} req/s; file statico {intervallo(file)} req/s "
        f"(mediane: {rapporto:.0%} del file statico)",
        si(rapporto >= 0.9),
    )

# The draft PDF, composed on request (`bench` timings, median).
m = re.search(r"allegato\.pdf \(draft: composed\).*?median=\s*([\d.]+)(ms|µs|s)", leggi("tempi.txt"))
if m:
    ms = float(m.group(1)) * {"ms": 1, "µs": 0.001, "s": 1000}[m.group(2)]
    obiettivo("PDF di una bozza < 30 ms", f"mediana {ms:.1f} ms", si(ms < 30))
else:
    obiettivo("PDF di una bozza < 30 ms", "non misurato", "—")

# p99 at 7,900 over p99 at 10: the median of the rounds, route by route.
NOMI = {
    "pagina": "piano approvato",
    "nucleo": "piano (Nucleo di 50)",
    "esempio": "piano con monitoraggi",
    "bozza": "bozza",
    "menu": "intestazione",
    "miei": "«I miei obiettivi» (un ente)",
    "caso": "«I miei obiettivi» (ente a caso)",
    "resa": "«I miei obiettivi» (ente a caso, resa a ogni richiesta)",
    "pdf": "PDF",
}
rapporti = {k: v for k, v in mediane.items() if k != "file"}
if rapporti:
    obiettivo(
        "p99 a 7900 enti ≤ 1.2 × p99 a 10 (mediana dei giri)",
        ", ".join(f"{NOMI.get(k, k)} {v:.2f} ×" for k, v in rapporti.items())
        + (f"; il file statico {mediane['file']:.2f} ×" if "file" in mediane else ""),
        si(max(rapporti.values()) <= 1.2),
    )

# Row-level security on the plan's reads, on both databases.
costi = []
for lato, n in [(0, "10"), (1, "7900")]:
    m = re.search(r"costo ([+-][\d.]+)%", leggi(f"spiega-{lato}.txt"))
    if m:
        costi.append((n, float(m.group(1))))
if costi:
    obiettivo(
        "costo della row-level security ≤ 10 %",
        "; ".join(f"N = {n}: {c:+.1f} %" for n, c in costi),
        si(max(c for _, c in costi) <= 10),
    )

larghezza = max(len(r[0]) for r in righe)
for nome, misura, esito in righe:
    print(f"{nome:<{larghezza}}  {esito:<14} {misura}")
