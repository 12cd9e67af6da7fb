-- A plan written from the library reads, with its head, each adopted objective's template
-- for its current version and that version's title (`ssr::piani::ADOZIONI`): a join of
-- `modelli` and `modelli_versioni`, each with its policy evaluated on every row read. The
-- version was read for its title alone. With 30 adopted objectives the versions added 30
-- index scans, each returning every version of the template and evaluating its policy on
-- each (the policy is evaluated before the join's `versione = versione_corrente`).
--
-- The template now carries its current version's title, written by the insert of that
-- version (a trigger, so that every writer keeps it: the library, the demo, the tests; the
-- benchmark's generator, which copies with triggers off, writes it itself), and the plan's
-- reads no longer join the versions.
--
-- Measured on the plan's head statement with 30 adopted objectives (`pgbench`, one
-- connection, generic plans, the N = 10 bench database, six alternated runs on a busy
-- host): as the runtime role 0.15–0.28 ms with the join, 0.07–0.16 ms without; as the
-- owner 0.11–0.15 and 0.06–0.08 ms.

alter table modelli add column titolo text not null default '';

-- The backfill reads every template whatever the settings (migration 0040).
alter table modelli no force row level security;
alter table modelli_versioni no force row level security;
update modelli m set titolo = v.titolo
  from modelli_versioni v where v.modello_id = m.id and v.versione = m.versione_corrente;
alter table modelli force row level security;
alter table modelli_versioni force row level security;

-- After the version's insert: the template, if this is its current version (the library
-- moves `versione_corrente` before it writes the version, in the same transaction), takes
-- its title. As the caller: only the template's own firm may write a version (policy
-- `modelli_versioni_insert` and the key on `ambito`), and the same firm may update it.
create function app_titolo_corrente() returns trigger language plpgsql as $$
begin
    update modelli set titolo = new.titolo
     where id = new.modello_id and versione_corrente = new.versione;
    return null;
end $$;

create trigger modelli_versioni_titolo after insert on modelli_versioni
    for each row execute function app_titolo_corrente();
