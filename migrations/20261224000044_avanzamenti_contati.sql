-- An approved plan's page read its objectives' progress (the lights) on every request, in
-- its head statement: six tables and a subquery, each through its policy, set up on every
-- request even where no record was ever submitted. With `pgbench` (one connection, the
-- runtime role, generic plans, BEGIN READ ONLY, the caller's read, the head statement,
-- ROLLBACK; `bench genera 10`, 14 alternated 2 s runs) the head statement took a median
-- of 0.219 ms with that read and 0.130 without it: the largest part of it.
--
-- Each plan now counts the changes to what that read shows: every insert, update or
-- delete of a checkpoint (`monitoraggi`), of a struttura's record (`rilevazioni`) or of a
-- row of progress (`avanzamenti`) of the plan adds one. The server keeps the progress it
-- read of an approved plan with the plan's version and that count; the head statement
-- reads the count and reads the progress again, in the same statement and snapshot, only
-- when the count, the plan's version, or the role and ente it is read as have moved.
-- The rest of what the read shows (the approval's date, the objectives' strutture) does
-- not change while the plan is approved at one version (migration 0008).
--
-- The count is written when the writer commits (a deferred trigger): it is the last row
-- each writer locks, so it orders the writers by commit without a new way to deadlock
-- (two writers of different rows of progress would otherwise meet on it mid-transaction),
-- and a statement that sees a writer's rows sees its count. It is written by a trigger
-- that runs as the owner (SECURITY DEFINER): the runtime role may only read it (no write
-- grant: `db.rs`). A plan without a row counts 0.
create table monitoraggio_cambi (
    ente_id uuid not null,
    piano_id uuid not null,
    cambi bigint not null,
    primary key (ente_id, piano_id),
    foreign key (ente_id, piano_id) references piani (ente_id, id) on delete cascade
);

alter table monitoraggio_cambi enable row level security;
alter table monitoraggio_cambi force row level security;
create policy monitoraggio_cambi_ente on monitoraggio_cambi
    using (ente_id = app_ente()) with check (ente_id = app_ente());

-- The plan of the row changed: its own for a checkpoint, its checkpoint's for the others.
-- A row removed with its checkpoint (a cascade) finds none: the checkpoint's removal was
-- counted. Nor is a plan removed in the writer's transaction counted: its count went with
-- it, and a new plan has a new id.
create function app_conta_avanzamento() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
declare
    r record;
    v_piano uuid;
begin
    if tg_op = 'DELETE' then r := old; else r := new; end if;
    if tg_table_name = 'monitoraggi' then
        v_piano := r.piano_id;
    else
        select m.piano_id into v_piano from monitoraggi m
         where m.ente_id = r.ente_id and m.id = r.monitoraggio_id;
    end if;
    if exists (select 1 from piani p where p.ente_id = r.ente_id and p.id = v_piano) then
        insert into monitoraggio_cambi (ente_id, piano_id, cambi)
        values (r.ente_id, v_piano, 1)
        on conflict (ente_id, piano_id) do update set cambi = monitoraggio_cambi.cambi + 1;
    end if;
    return null;
end $$;

do $$
declare t text;
begin
    foreach t in array array['monitoraggi', 'rilevazioni', 'avanzamenti'] loop
        execute format('create constraint trigger %I after insert or update or delete on %I
                        deferrable initially deferred
                        for each row execute function app_conta_avanzamento()', t || '_cambi', t);
    end loop;
end $$;

-- The progress of the objectives of the plan of year `p_anno` in the ente `p_ente` (of
-- those in `p_obiettivi`, if given) at the latest checkpoint whose record was submitted
-- for the objective's struttura, with the checkpoint's date and the plan's approval, as
-- JSON text (`ssr::monitoraggio::da_json`). A function, so that a statement that calls it
-- only when it must (the plan's page, above) sets its statement up only then; STABLE, so
-- that it reads the caller's snapshot (the count and the progress agree).
create function app_avanzamenti(p_ente uuid, p_anno int, p_obiettivi uuid[])
returns text
language plpgsql stable as $$
begin
    return (
        select coalesce(json_agg(x), '[]')::text from (
            select m.data_riferimento as data,
                   coalesce(v.delibera_data, p.delibera_data) as approvazione,
                   a.obiettivo_id, a.fase_id, a.version,
                   (a.percentuale * 100)::int4 as centesimi, a.valore_effettivo,
                   a.valore_data, a.valore_fonte, a.nota, a.causa, a.causa_testo,
                   a.azione_correttiva, a.proposta, a.proposta_testo, a.conclusa_il
              from avanzamenti a
              join monitoraggi m on m.ente_id = a.ente_id and m.id = a.monitoraggio_id
              join piani p on p.ente_id = m.ente_id and p.id = m.piano_id
              left join piani_versioni v on v.ente_id = p.ente_id and v.piano_id = p.id
                                        and v.numero = 1
              join obiettivi o on o.ente_id = a.ente_id and o.id = a.obiettivo_id
              join rilevazioni r on r.ente_id = a.ente_id and r.monitoraggio_id = m.id
                                and r.struttura_id = o.struttura_id
                                and r.inviata_il is not null
             where a.ente_id = p_ente and p.anno = p_anno
               and (p_obiettivi is null or a.obiettivo_id = any (p_obiettivi))
               and m.data_riferimento = (
                   select max(m2.data_riferimento) from monitoraggi m2
                     join rilevazioni r2 on r2.ente_id = m2.ente_id
                                        and r2.monitoraggio_id = m2.id
                    where m2.ente_id = a.ente_id and m2.piano_id = m.piano_id
                      and r2.struttura_id = o.struttura_id and r2.inviata_il is not null)
        ) x);
end $$;
